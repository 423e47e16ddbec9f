package io.github.webpubsub.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the connection-string parser: any text parses into an http(s) endpoint, or is refused with
 * an {@link InvalidWebPubSubPropertyException} naming the property.
 */
class WebPubSubConnectionStringFuzzTests {

  @FuzzTest(maxDuration = "5s")
  @Timeout(10)
  void parseEitherReturnsAnEndpointOrRefusesTheProperty(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    WebPubSubConnectionString parsed;
    try {
      parsed = WebPubSubConnectionString.parse(text);
    } catch (InvalidWebPubSubPropertyException refused) {
      assertThat(refused.getProperty()).isEqualTo(WebPubSubConnectionString.PROPERTY);
      return;
    }
    assertThat(parsed.endpoint().getScheme()).isIn("http", "https");
    assertThat(parsed.endpoint().getHost()).isNotEmpty();
  }
}
