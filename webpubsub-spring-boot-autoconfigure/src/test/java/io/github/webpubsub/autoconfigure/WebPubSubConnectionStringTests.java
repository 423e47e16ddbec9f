package io.github.webpubsub.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.URI;
import org.junit.jupiter.api.Test;

class WebPubSubConnectionStringTests {

  private static final String KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  @Test
  void parseShouldReadEndpointAndKeyIgnoringVersion() {
    WebPubSubConnectionString parsed =
        WebPubSubConnectionString.parse(
            "Endpoint=https://contoso.webpubsub.azure.com;AccessKey=" + KEY + ";Version=1.0;");
    assertThat(parsed.endpoint()).isEqualTo(URI.create("https://contoso.webpubsub.azure.com"));
    assertThat(parsed.accessKey()).isEqualTo(KEY);
  }

  @Test
  void parseShouldTreatNamesCaseInsensitivelyAndTrimValues() {
    WebPubSubConnectionString parsed =
        WebPubSubConnectionString.parse(
            " endpoint = http://localhost/ ; ACCESSKEY= " + KEY + " ;version=1.0");
    assertThat(parsed.endpoint()).isEqualTo(URI.create("http://localhost"));
    assertThat(parsed.accessKey()).isEqualTo(KEY);
  }

  @Test
  void parseShouldKeepEqualsSignsInsideTheKey() {
    String base64Key = "q3Ry0y1X4pQ1FzVhZm5mQnN1b3JtZm9yZXhhbXBsZQ==";
    WebPubSubConnectionString parsed =
        WebPubSubConnectionString.parse("Endpoint=https://h;AccessKey=" + base64Key + ";");
    assertThat(parsed.accessKey()).isEqualTo(base64Key);
  }

  @Test
  void parseShouldApplyThePortToTheEndpoint() {
    WebPubSubConnectionString parsed =
        WebPubSubConnectionString.parse(
            "Endpoint=http://localhost;Port=8080;AccessKey=" + KEY + ";Version=1.0;");
    assertThat(parsed.endpoint()).isEqualTo(URI.create("http://localhost:8080"));
  }

  @Test
  void parseWithoutAccessKeyShouldLeaveKeyNullForTokenCredentials() {
    WebPubSubConnectionString parsed =
        WebPubSubConnectionString.parse(
            "Endpoint=https://contoso.webpubsub.azure.com;AuthType=aad;");
    assertThat(parsed.accessKey()).isNull();
  }

  @Test
  void parseWithoutEndpointShouldNameThePropertyAndNotShowTheKey() {
    assertThatExceptionOfType(InvalidWebPubSubPropertyException.class)
        .isThrownBy(() -> WebPubSubConnectionString.parse("AccessKey=" + KEY + ";Version=1.0;"))
        .satisfies(
            (ex) -> {
              assertThat(ex.getProperty()).isEqualTo("webpubsub.connection-string");
              assertThat(ex.getMessage()).contains("has no 'Endpoint=' part").doesNotContain(KEY);
            });
  }

  @Test
  void parseWithANonHttpEndpointShouldFail() {
    assertThatExceptionOfType(InvalidWebPubSubPropertyException.class)
        .isThrownBy(
            () -> WebPubSubConnectionString.parse("Endpoint=contoso;AccessKey=" + KEY + ";"))
        .withMessageContaining(
            "Property 'webpubsub.connection-string' has an 'Endpoint=' part that is not an absolute"
                + " http or https URL")
        .withMessageNotContaining(KEY);
  }

  @Test
  void endpointErrorShouldNotEchoAValueThatMayHoldTheKey() {
    assertThatExceptionOfType(InvalidWebPubSubPropertyException.class)
        .isThrownBy(
            () -> WebPubSubConnectionString.parse("Endpoint=https://x.example,AccessKey=" + KEY))
        .withMessageContaining("is not an absolute http or https URL")
        .withMessageNotContaining(KEY);
  }

  @Test
  void parseWithABadPortShouldFail() {
    assertThatExceptionOfType(InvalidWebPubSubPropertyException.class)
        .isThrownBy(
            () ->
                WebPubSubConnectionString.parse(
                    "Endpoint=http://localhost;Port=http;AccessKey=" + KEY))
        .withMessageContaining("'Port=' part that is not a number");
  }

  @Test
  void parseWithAPartWithoutEqualsShouldFail() {
    assertThatExceptionOfType(InvalidWebPubSubPropertyException.class)
        .isThrownBy(() -> WebPubSubConnectionString.parse("Endpoint=http://h;" + KEY))
        .withMessageContaining("part without 'name=value'")
        .withMessageNotContaining(KEY);
  }

  @Test
  void toStringShouldNotShowTheKey() {
    assertThat(WebPubSubConnectionString.parse("Endpoint=http://h;AccessKey=" + KEY))
        .asString()
        .doesNotContain(KEY)
        .contains("http://h");
  }

  @Test
  void hostAndPortWithoutSchemeShouldNameTheConnectionStringAndShowAWholeValidLine() {
    assertThatExceptionOfType(InvalidWebPubSubPropertyException.class)
        .isThrownBy(
            () -> WebPubSubConnectionString.parse("Endpoint=localhost:8081;AccessKey=" + KEY))
        .satisfies(
            (ex) -> {
              assertThat(ex.getProperty()).isEqualTo("webpubsub.connection-string");
              assertThat(ex.getMessage())
                  .startsWith(
                      "Property 'webpubsub.connection-string' has an 'Endpoint=' part that is not"
                          + " an absolute http or https URL with a host")
                  .doesNotContain(KEY);
              assertThat(ex.getExample())
                  .isEqualTo(
                      "webpubsub.connection-string=Endpoint=https://<name>.webpubsub.azure.com;"
                          + "AccessKey=<the 44-character key from the portal's Keys blade>;"
                          + "Version=1.0;");
            });
  }

  @Test
  void keyPartNamedKeyShouldSayItsNameIsAccessKey() {
    assertThatExceptionOfType(InvalidWebPubSubPropertyException.class)
        .isThrownBy(
            () ->
                WebPubSubConnectionString.parse(
                    "Endpoint=https://contoso.webpubsub.azure.com;Key=" + KEY + ";Version=1.0;"))
        .withMessage(
            "Property 'webpubsub.connection-string' has a 'Key=' part, but the access key's part is"
                + " named 'AccessKey='")
        .withMessageNotContaining(KEY);
  }
}
