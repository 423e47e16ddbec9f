package io.github.webpubsub.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.endpoint.SanitizableData;

class WebPubSubSecretsSanitizingFunctionTests {

  private final WebPubSubSecretsSanitizingFunction function =
      new WebPubSubSecretsSanitizingFunction();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "webpubsub.access-key",
        "webpubsub.secondary-access-key",
        "webpubsub.connection-string",
        "WEBPUBSUB_CONNECTIONSTRING",
        "accessKey",
        "connectionString"
      })
  void secretsShouldBeMasked(String key) {
    assertThat(this.function.apply(new SanitizableData(null, key, "secret-value")).getValue())
        .isEqualTo(SanitizableData.SANITIZED_VALUE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"webpubsub.hub", "webpubsub.endpoint", "server.port"})
  void otherPropertiesShouldBeLeftAlone(String key) {
    assertThat(this.function.apply(new SanitizableData(null, key, "value")).getValue())
        .isEqualTo("value");
  }
}
