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
          checkKey(parsed.accessKey(), WebPubSubConnectionString.PROPERTY + " AccessKey");
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
    if (!StringUtils.hasText(key)) {
      return null;
    }
    int length = key.getBytes(StandardCharsets.UTF_8).length;
    if (length < MIN_KEY_BYTES) {
      throw new InvalidWebPubSubPropertyException(
          property,
          "is too short to sign HS256 tokens: it has "
              + length
              + " bytes, at least "
              + MIN_KEY_BYTES
              + " are needed",
          KEY_EXAMPLE);
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
