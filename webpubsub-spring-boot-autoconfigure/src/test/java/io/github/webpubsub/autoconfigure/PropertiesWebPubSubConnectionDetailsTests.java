package io.github.webpubsub.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PropertiesWebPubSubConnectionDetailsTests {

  private static final String KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  private static final String SECONDARY = "secondary-key-secondary-key-secondary-key!!";

  private final WebPubSubProperties properties = new WebPubSubProperties();

  @Test
  void connectionStringShouldTakePrecedenceOverEndpointAndKey() {
    this.properties.setConnectionString("Endpoint=https://a.example;AccessKey=" + KEY + ";");
    this.properties.setEndpoint(URI.create("https://b.example"));
    this.properties.setAccessKey(SECONDARY);
    PropertiesWebPubSubConnectionDetails details =
        new PropertiesWebPubSubConnectionDetails(this.properties);
    assertThat(details.getEndpoint()).isEqualTo(URI.create("https://a.example"));
    assertThat(details.getAccessKey()).isEqualTo(KEY);
  }

  @Test
  void endpointAndKeyShouldBeUsedWithoutConnectionString() {
    this.properties.setEndpoint(URI.create("https://b.example/"));
    this.properties.setAccessKey(KEY);
    PropertiesWebPubSubConnectionDetails details =
        new PropertiesWebPubSubConnectionDetails(this.properties);
    assertThat(details.getEndpoint()).isEqualTo(URI.create("https://b.example"));
    assertThat(details.getAccessKeys()).containsExactly(KEY);
  }

  @Test
  void secondaryKeyShouldFollowThePrimaryKey() {
    this.properties.setEndpoint(URI.create("https://b.example"));
    this.properties.setAccessKey(KEY);
    this.properties.setSecondaryAccessKey(SECONDARY);
    assertThat(new PropertiesWebPubSubConnectionDetails(this.properties).getAccessKeys())
        .containsExactly(KEY, SECONDARY);
  }

  @Test
  void endpointWithoutKeyShouldLeaveTheKeyForATokenCredential() {
    this.properties.setEndpoint(URI.create("https://b.example"));
    PropertiesWebPubSubConnectionDetails details =
        new PropertiesWebPubSubConnectionDetails(this.properties);
    assertThat(details.getAccessKey()).isNull();
    assertThat(details.getAccessKeys()).isEmpty();
  }

  @Test
  void nothingConfiguredShouldFailWithMissingConnection() {
    assertThatExceptionOfType(MissingWebPubSubConnectionException.class)
        .isThrownBy(() -> new PropertiesWebPubSubConnectionDetails(this.properties).getEndpoint());
  }

  @Test
  void shortKeyShouldFailNamingThePropertyAndLengthButNotTheKey() {
    this.properties.setEndpoint(URI.create("https://b.example"));
    this.properties.setAccessKey("short-secret-123");
    assertThatExceptionOfType(InvalidWebPubSubPropertyException.class)
        .isThrownBy(() -> new PropertiesWebPubSubConnectionDetails(this.properties).getEndpoint())
        .satisfies(
            (ex) -> {
              assertThat(ex.getProperty()).isEqualTo("webpubsub.access-key");
              assertThat(ex.getMessage())
                  .contains("16 bytes, at least 32")
                  .doesNotContain("short-secret-123");
            });
  }

  @Test
  void shortKeyInConnectionStringShouldNameTheConnectionString() {
    this.properties.setConnectionString("Endpoint=https://a.example;AccessKey=tooShortKey;");
    assertThatExceptionOfType(InvalidWebPubSubPropertyException.class)
        .isThrownBy(() -> new PropertiesWebPubSubConnectionDetails(this.properties).getEndpoint())
        .withMessageStartingWith(
            "Property 'webpubsub.connection-string' has an AccessKey that is too short to sign HS256"
                + " tokens: it has 11 bytes, at least 32 are needed")
        .withMessageNotContaining("tooShortKey")
        .satisfies(
            (ex) -> {
              assertThat(ex.getProperty()).isEqualTo("webpubsub.connection-string");
              assertThat(ex.getExample())
                  .isEqualTo(
                      "webpubsub.connection-string=Endpoint=https://<name>.webpubsub.azure.com;"
                          + "AccessKey=<the 44-character key from the portal's Keys blade>;"
                          + "Version=1.0;");
            });
  }

  @Test
  void toStringShouldNotShowKeys() {
    this.properties.setEndpoint(URI.create("https://b.example"));
    this.properties.setAccessKey(KEY);
    this.properties.setSecondaryAccessKey(SECONDARY);
    assertThat(new PropertiesWebPubSubConnectionDetails(this.properties))
        .asString()
        .doesNotContain(KEY)
        .doesNotContain(SECONDARY);
  }
}
