package io.github.webpubsub.autoconfigure;

import io.github.webpubsub.core.WebPubSubConstraints;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.util.StringUtils;

/**
 * {@link WebPubSubConnectionDetails} read from {@link WebPubSubProperties}: the connection string
 * when set, otherwise endpoint and access key. Read and validated when first asked, as Boot's
 * {@code PropertiesRabbitConnectionDetails} does, so that an application bringing its own {@code
 * WebPubSubOperations} never trips over properties it did not set; the template and the event
 * handler ask at start-up, so bad configuration still fails start-up.
 */
final class PropertiesWebPubSubConnectionDetails implements WebPubSubConnectionDetails {

  static final int MIN_KEY_BYTES = WebPubSubConstraints.MIN_ACCESS_KEY_BYTES;

  private static final String KEY_EXAMPLE = "<the 44-character key from the portal's Keys blade>";

  private final WebPubSubProperties properties;

  private volatile @Nullable Resolved resolved;

  PropertiesWebPubSubConnectionDetails(WebPubSubProperties properties) {
    this.properties = properties;
  }

  /** The connection, or {@code null} when neither a connection string nor an endpoint is set. */
  private @Nullable Resolved resolved() {
    Resolved result = this.resolved;
    if (result == null) {
      result = resolve(this.properties);
      this.resolved = result;
    }
    return (result == Resolved.NONE) ? null : result;
  }

  private static Resolved resolve(WebPubSubProperties properties) {
    URI endpoint;
    String accessKey;
    String connectionString = properties.getConnectionString();
    if (StringUtils.hasText(connectionString)) {
      WebPubSubConnectionString parsed = WebPubSubConnectionString.parse(connectionString);
      endpoint = parsed.endpoint();
      accessKey =
          checkKey(
              parsed.accessKey(),
              WebPubSubConnectionString.PROPERTY,
              "has an AccessKey that ",
              WebPubSubConnectionString.PROPERTY
                  + "=Endpoint=https://<name>.webpubsub.azure.com;AccessKey="
                  + KEY_EXAMPLE
                  + ";Version=1.0;");
    } else if (properties.getEndpoint() != null) {
      endpoint =
          WebPubSubConnectionString.endpointUri(
              properties.getEndpoint().toString(), "webpubsub.endpoint");
      accessKey = checkKey(properties.getAccessKey(), "webpubsub.access-key");
    } else {
      return Resolved.NONE;
    }
    List<String> keys = new ArrayList<>();
    if (accessKey != null) {
      keys.add(accessKey);
    }
    String secondary =
        checkKey(properties.getSecondaryAccessKey(), "webpubsub.secondary-access-key");
    if (secondary != null) {
      keys.add(secondary);
    }
    return new Resolved(endpoint, accessKey, List.copyOf(keys));
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
    try {
      return WebPubSubConstraints.checkAccessKey("key", key);
    } catch (IllegalArgumentException ex) {
      throw new InvalidWebPubSubPropertyException(
          property, subject + InvalidWebPubSubPropertyException.problem("key", ex), example);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws MissingWebPubSubConnectionException when neither a connection string nor an endpoint is
   *     set
   */
  @Override
  public URI getEndpoint() {
    Resolved connection = resolved();
    URI endpoint = (connection != null) ? connection.endpoint() : null;
    if (endpoint == null) {
      throw new MissingWebPubSubConnectionException();
    }
    return endpoint;
  }

  @Override
  public @Nullable String getAccessKey() {
    Resolved connection = resolved();
    return (connection != null) ? connection.accessKey() : null;
  }

  /** {@inheritDoc} Empty when no connection is configured at all. */
  @Override
  public List<String> getAccessKeys() {
    Resolved connection = resolved();
    return (connection != null) ? connection.accessKeys() : List.of();
  }

  @Override
  public String toString() {
    Resolved connection = this.resolved;
    if (connection == null || connection == Resolved.NONE) {
      return "PropertiesWebPubSubConnectionDetails["
          + ((connection == null) ? "not read yet" : "not configured")
          + "]";
    }
    return "PropertiesWebPubSubConnectionDetails[endpoint="
        + connection.endpoint()
        + ", accessKeys="
        + connection.accessKeys().size()
        + " (redacted)]";
  }

  private record Resolved(
      @Nullable URI endpoint, @Nullable String accessKey, List<String> accessKeys) {

    static final Resolved NONE = new Resolved(null, null, List.of());

    @Override
    public String toString() {
      return "Resolved[endpoint=" + this.endpoint + ", accessKeys=" + this.accessKeys.size() + "]";
    }
  }
}
