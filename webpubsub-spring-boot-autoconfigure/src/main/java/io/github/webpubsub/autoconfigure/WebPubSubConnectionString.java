package io.github.webpubsub.autoconfigure;

import io.github.webpubsub.core.WebPubSubConstraints;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A parsed connection string: {@code Endpoint=...;AccessKey=...;Version=1.0;[Port=...;]}. Keys are
 * case-insensitive, values trimmed, {@code Version} ignored, {@code Port} applied to the endpoint
 * (as Microsoft's SDKs do).
 */
record WebPubSubConnectionString(URI endpoint, @Nullable String accessKey) {

  static final String PROPERTY = "webpubsub.connection-string";

  static final String EXAMPLE =
      PROPERTY
          + "=Endpoint=https://<name>.webpubsub.azure.com;AccessKey=<the 44-character key from the"
          + " portal's Keys blade>;Version=1.0;";

  /** Names people give the key part by mistake. */
  private static final java.util.Set<String> KEY_MISTAKES =
      java.util.Set.of(
          "key", "access-key", "access_key", "sharedaccesskey", "accesskeys", "primarykey");

  static WebPubSubConnectionString parse(String connectionString) {
    String endpoint = null;
    String accessKey = null;
    String port = null;
    String misnamedKey = null;
    for (String part : connectionString.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int equals = part.indexOf('=');
      if (equals <= 0) {
        throw invalid("has a part without 'name=value' (parts are separated by ';')");
      }
      String name = part.substring(0, equals).trim().toLowerCase(Locale.ROOT);
      String value = part.substring(equals + 1).trim();
      switch (name) {
        case "endpoint" -> endpoint = value;
        case "accesskey" -> accessKey = value;
        case "port" -> port = value;
        default -> {
          if (KEY_MISTAKES.contains(name)) {
            misnamedKey = part.substring(0, equals).trim();
          }
          // Version, AuthType, ClientId and other parts do not change how we connect.
        }
      }
    }
    if (misnamedKey != null && accessKey == null) {
      throw invalid(
          "has a '" + misnamedKey + "=' part, but the access key's part is named 'AccessKey='");
    }
    if (endpoint == null || endpoint.isEmpty()) {
      throw invalid("has no 'Endpoint=' part");
    }
    URI uri = endpointUri(endpoint, PROPERTY, "has an 'Endpoint=' part that ", EXAMPLE);
    if (port != null) {
      uri = withPort(uri, port);
    }
    return new WebPubSubConnectionString(
        uri, (accessKey == null || accessKey.isEmpty()) ? null : accessKey);
  }

  /**
   * Validates an endpoint with the template's rule ({@link WebPubSubConstraints#checkEndpoint}); a
   * trailing slash is dropped.
   */
  static URI endpointUri(String endpoint, String property) {
    return endpointUri(endpoint, property, "", "https://<name>.webpubsub.azure.com");
  }

  /**
   * Validates an endpoint; a failure names the property, the subject of the rule (empty when the
   * property is the endpoint itself) and a valid example line.
   */
  static URI endpointUri(String endpoint, String property, String subject, String example) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException ex) {
      throw new InvalidWebPubSubPropertyException(
          property, subject + "is not a valid URL", example);
    }
    try {
      // The template's own rule, so that what starts also builds.
      return WebPubSubConstraints.checkEndpoint("endpoint", uri);
    } catch (IllegalArgumentException ex) {
      throw new InvalidWebPubSubPropertyException(
          property,
          subject
              + (subject.isEmpty() ? "must be" : "is not")
              + " an absolute http or https URL with a host and no path, query or user info, such as"
              + " https://<name>.webpubsub.azure.com (the value is not shown: it may contain a key"
              + " when parts are not separated by ';')",
          example);
    }
  }

  private static URI withPort(URI uri, String port) {
    int number;
    try {
      number = Integer.parseInt(port);
    } catch (NumberFormatException ex) {
      throw invalid("has a 'Port=' part that is not a number: '" + port + "'");
    }
    if (number < 1 || number > 65535) {
      throw invalid("has a 'Port=' part outside 1..65535: " + number);
    }
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), number, uri.getPath(), null, null);
    } catch (URISyntaxException ex) {
      throw invalid("has an endpoint that cannot take port " + number);
    }
  }

  private static InvalidWebPubSubPropertyException invalid(String problem) {
    return new InvalidWebPubSubPropertyException(PROPERTY, problem, EXAMPLE);
  }

  @Override
  public String toString() {
    return "WebPubSubConnectionString[endpoint=" + this.endpoint + ", accessKey=<redacted>]";
  }
}
