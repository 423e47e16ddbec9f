package io.github.webpubsub.autoconfigure;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.util.StringUtils;

/**
 * {@link WebPubSubConnectionDetails} read from {@link WebPubSubProperties}: the connection string
 * when set, otherwise endpoint and access key. Validates eagerly so that bad configuration fails
 * start-up.
 */
final class PropertiesWebPubSubConnectionDetails implements WebPubSubConnectionDetails {

  static final int MIN_KEY_BYTES = 32;

  private static final String KEY_EXAMPLE = "<the 44-character key from the portal's Keys blade>";

  private final URI endpoint;

  private final @Nullable String accessKey;

  private final List<String> accessKeys;

  PropertiesWebPubSubConnectionDetails(WebPubSubProperties properties) {
    String connectionString = properties.getConnectionString();
    if (StringUtils.hasText(connectionString)) {
      WebPubSubConnectionString parsed = WebPubSubConnectionString.parse(connectionString);
      this.endpoint = parsed.endpoint();
      this.accessKey =
          checkKey(
              parsed.accessKey(),
              WebPubSubConnectionString.PROPERTY,
              "has an AccessKey that ",
              WebPubSubConnectionString.PROPERTY
                  + "=Endpoint=https://<name>.webpubsub.azure.com;AccessKey="
                  + KEY_EXAMPLE
                  + ";Version=1.0;");
    } else if (properties.getEndpoint() != null) {
      this.endpoint =
          WebPubSubConnectionString.endpointUri(
              properties.getEndpoint().toString(), "webpubsub.endpoint");
      this.accessKey = checkKey(properties.getAccessKey(), "webpubsub.access-key");
    } else {
      throw new MissingWebPubSubConnectionException();
    }
    List<String> keys = new ArrayList<>();
    if (this.accessKey != null) {
      keys.add(this.accessKey);
    }
    String secondary =
        checkKey(properties.getSecondaryAccessKey(), "webpubsub.secondary-access-key");
    if (secondary != null) {
      keys.add(secondary);
    }
    this.accessKeys = List.copyOf(keys);
  }

  static @Nullable String checkKey(@Nullable String key, String property) {
    return checkKey(key, property, "", KEY_EXAMPLE);
  }

  /**
   * The key, or {@code null} when blank; a key shorter than {@value #MIN_KEY_BYTES} bytes fails
   * with the property, the subject of the rule (empty when the property is the key itself) and a
   * valid example.
   */
  static @Nullable String checkKey(
      @Nullable String key, String property, String subject, String example) {
    if (!StringUtils.hasText(key)) {
      return null;
    }
    int length = key.getBytes(StandardCharsets.UTF_8).length;
    if (length < MIN_KEY_BYTES) {
      throw new InvalidWebPubSubPropertyException(
          property,
          subject
              + "is too short to sign HS256 tokens: it has "
              + length
              + " bytes, at least "
              + MIN_KEY_BYTES
              + " are needed",
          example);
    }
    return key;
  }

  @Override
  public URI getEndpoint() {
    return this.endpoint;
  }

  @Override
  public @Nullable String getAccessKey() {
    return this.accessKey;
  }

  @Override
  public List<String> getAccessKeys() {
    return this.accessKeys;
  }

  @Override
  public String toString() {
    return "PropertiesWebPubSubConnectionDetails[endpoint="
        + this.endpoint
        + ", accessKeys="
        + this.accessKeys.size()
        + " (redacted)]";
  }
}
