package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.webpubsub.core.WebPubSubException;
import java.net.URI;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Fuzzes how the template reads the service's answers: a token, a page of group members or an error
 * body either reads or is a {@link WebPubSubException}, and a page's next link never leaves the
 * service's (or the reverse proxy's) origin.
 */
class RepliesFuzzTests {

  private static final URI ENDPOINT = URI.create("https://contoso.webpubsub.azure.com");

  private static final URI PROXY = URI.create("https://proxy.example.com/wps");

  // Built per input, not in a static field: a project class loaded before Jazzer's agent and
  // instrumented later failed with IllegalAccessError between nest mates (WebPubSubRequest and its
  // Builder) when fuzzing through JUnit.
  private static WebPubSubRequest request() {
    return WebPubSubRequest.of("listConnectionsInGroup", "chat", HttpMethod.GET)
        .path("/api/hubs/chat/groups/g/connections")
        .readsBody()
        .build();
  }

  @FuzzTest(maxDuration = "5s")
  @Timeout(10)
  void pageEitherReadsOrFailsWithWebPubSubException(FuzzedDataProvider data) {
    Replies replies = new Replies(ENDPOINT, data.consumeBoolean() ? PROXY : null);
    WebPubSubResponse response =
        new WebPubSubResponse(200, new HttpHeaders(), data.consumeRemainingAsBytes());
    Replies.Page page;
    try {
      page = replies.page(request(), response);
    } catch (WebPubSubException unreadable) {
      assertThat(unreadable.getMessage()).startsWith("listConnectionsInGroup on hub 'chat'");
      return;
    }
    assertThat(page.members())
        .allSatisfy((member) -> assertThat(member.connectionId()).isNotNull());
    if (page.nextLink() != null) {
      URI next = URI.create(page.nextLink());
      assertThat(next.getHost()).isEqualToIgnoringCase(ENDPOINT.getHost());
      assertThat(next.getScheme()).isEqualToIgnoringCase("https");
    }
  }

  @FuzzTest(maxDuration = "5s")
  @Timeout(10)
  void tokenEitherReadsOrFailsWithWebPubSubException(FuzzedDataProvider data) {
    Replies replies = new Replies(ENDPOINT, null);
    WebPubSubResponse response =
        new WebPubSubResponse(200, new HttpHeaders(), data.consumeRemainingAsBytes());
    try {
      assertThat(replies.token(request(), response)).isNotEmpty();
    } catch (WebPubSubException unreadable) {
      assertThat(unreadable.getMessage()).isNotEmpty();
    }
  }

  @FuzzTest(maxDuration = "5s")
  @Timeout(10)
  void errorAnswersAlwaysMapToAResponseException(FuzzedDataProvider data) {
    // The input's last bytes pick the status and the headers; the rest is the body.
    int status = data.consumeInt(100, 599);
    HttpHeaders headers = new HttpHeaders();
    if (data.consumeBoolean()) {
      headers.set("x-ms-error-code", "Error.Header");
    }
    if (data.consumeBoolean()) {
      headers.set("x-ms-request-id", "request-1");
    }
    WebPubSubResponse response =
        new WebPubSubResponse(status, headers, data.consumeRemainingAsBytes());
    WebPubSubException mapped = ErrorMapper.fromResponse(request(), ENDPOINT, response);
    assertThat(mapped.getMessage()).startsWith("listConnectionsInGroup on hub 'chat'");
    // The body is quoted at most 1000 characters at a time (code, message, request id).
    assertThat(mapped.getMessage().length()).isLessThan(4000);
  }
}
