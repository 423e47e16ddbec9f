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

  @org.junit.jupiter.api.Test
  void keysInsideOtherValuesShouldBeMasked() {
    String command =
        "app.jar --webpubsub.connection-string=Endpoint=http://localhost:8081;AccessKey=K3y+/="
            + "secret;Version=1.0; --webpubsub.access-key=other-secret --server.port=8080";
    Object masked =
        this.function.apply(new SanitizableData(null, "sun.java.command", command)).getValue();
    assertThat(masked)
        .isEqualTo(
            "app.jar --webpubsub.connection-string=Endpoint=http://localhost:8081;AccessKey=******"
                + ";Version=1.0; --webpubsub.access-key=****** --server.port=8080");
    assertThat(
            this.function
                .apply(new SanitizableData(null, "JAVA_TOOL_OPTIONS", "-Dwebpubsub_access_key=k1"))
                .getValue())
        .isEqualTo("-Dwebpubsub_access_key=******");
    assertThat(
            this.function.apply(new SanitizableData(null, "java.home", "/usr/lib/jvm")).getValue())
        .isEqualTo("/usr/lib/jvm");
  }
}
