package io.github.webpubsub.eventhandler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebPubSubConnectRequestTests {

  @Test
  void toStringShouldShowNamesButNeverTokensHeadersOrCookies() {
    WebPubSubConnectRequest request =
        new WebPubSubConnectRequest(
            Map.of("sub", List.of("alice")),
            Map.of("access_token", List.of("eyJhbGciOiJIUzI1NiJ9.secret-token")),
            Map.of(
                "Authorization",
                List.of("Bearer secret-bearer"),
                "Cookie",
                List.of("s=secret-cookie")),
            List.of("json.webpubsub.azure.v1"),
            List.of());
    assertThat(request.toString())
        .contains("access_token", "Authorization", "json.webpubsub.azure.v1")
        .doesNotContain("secret-token", "secret-bearer", "secret-cookie", "alice");
  }
}
