package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.github.webpubsub.core.WebPubSubTokenProvider;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The checked settings of a template: what its builder was given, validated once, with the rule
 * broken and the setting's name in every failure (never the key).
 *
 * @param endpoint the service endpoint, {@code http(s)://host[:port]}, no trailing slash
 * @param reverseProxy the reverse proxy endpoint, no trailing slash, or {@code null}
 * @param hub the default hub
 * @param accessKey the access key, or {@code null} when a token provider is used
 * @param tokenProvider the token provider, or {@code null} when an access key is used
 * @param apiVersion the REST api-version
 * @param connectTimeout the connect timeout, or {@code null} to keep the HTTP client's
 * @param responseTimeout the limit of each attempt
 * @param retry the retry settings
 * @param listPageSize connections per page when listing a group
 */
public record TemplateSettings(
    String endpoint,
    @Nullable String reverseProxy,
    String hub,
    @Nullable String accessKey,
    @Nullable WebPubSubTokenProvider tokenProvider,
    String apiVersion,
    @Nullable Duration connectTimeout,
    Duration responseTimeout,
    WebPubSubRetrySettings retry,
    int listPageSize) {

  /** Largest {@code maxpagesize} the service accepts. */
  public static final int MAX_LIST_PAGE_SIZE = 200;

  /**
   * Checks the builder's values.
   *
   * @throws IllegalStateException when a required setting is missing or both credentials are set
   * @throws IllegalArgumentException when a setting is malformed
   */
  @SuppressWarnings("checkstyle:ParameterNumber")
  public static TemplateSettings check(
      @Nullable URI endpoint,
      @Nullable URI reverseProxy,
      @Nullable String hub,
      @Nullable String accessKey,
      @Nullable WebPubSubTokenProvider tokenProvider,
      @Nullable String apiVersion,
      @Nullable Duration connectTimeout,
      @Nullable Duration responseTimeout,
      @Nullable WebPubSubRetrySettings retry,
      int listPageSize) {
    if (endpoint == null) {
      throw new IllegalStateException(
          "endpoint is required, e.g. https://<name>.webpubsub.azure.com");
    }
    if (hub == null) {
      throw new IllegalStateException("hub is required");
    }
    if (accessKey == null && tokenProvider == null) {
      throw new IllegalStateException("accessKey or tokenProvider is required");
    }
    if (accessKey != null && tokenProvider != null) {
      throw new IllegalStateException("set either accessKey or tokenProvider, not both");
    }
    String normalizedEndpoint = endpoint("endpoint", endpoint, false);
    String normalizedProxy =
        (reverseProxy != null) ? endpoint("reverseProxyEndpoint", reverseProxy, true) : null;
    String checkedHub = Arguments.hub(hub);
    if (apiVersion == null || apiVersion.isBlank()) {
      throw new IllegalArgumentException("apiVersion must not be blank");
    }
    if (connectTimeout != null) {
      requirePositive("connectTimeout", connectTimeout);
    }
    Duration checkedResponseTimeout = requirePositive("responseTimeout", responseTimeout);
    if (retry == null) {
      throw new IllegalArgumentException("retry must not be null");
    }
    if (listPageSize < 1 || listPageSize > MAX_LIST_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "listPageSize must be between 1 and " + MAX_LIST_PAGE_SIZE + " but was " + listPageSize);
    }
    return new TemplateSettings(
        normalizedEndpoint,
        normalizedProxy,
        checkedHub,
        accessKey,
        tokenProvider,
        apiVersion,
        connectTimeout,
        checkedResponseTimeout,
        retry,
        listPageSize);
  }

  /** The endpoint of WebSocket clients: {@code ws(s)://host[:port]}. */
  public String clientEndpoint() {
    return "ws" + this.endpoint.substring("http".length());
  }

  private static Duration requirePositive(String name, @Nullable Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive but was " + value);
    }
    return value;
  }

  /**
   * An endpoint as {@code scheme://authority[path]} without trailing slash.
   *
   * @param name the setting, for the message
   * @param uri the value
   * @param pathAllowed whether a path prefix is allowed (a reverse proxy's)
   * @return the normalized endpoint
   * @throws IllegalArgumentException when it is not an absolute http(s) URL, or has user info, a
   *     query, a fragment, or a path where none is allowed
   */
  public static String endpoint(String name, URI uri, boolean pathAllowed) {
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          name
              + " must be an absolute http(s) URL such as https://<name>.webpubsub.azure.com but"
              + " was '"
              + uri
              + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          name + " must not have user info, a query or a fragment but was '" + uri + "'");
    }
    String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.isEmpty() && !pathAllowed) {
      throw new IllegalArgumentException(
          name + " must not have a path (http(s)://host[:port]) but was '" + uri + "'");
    }
    return scheme.toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + path;
  }

  @Override
  public String toString() {
    return "TemplateSettings[endpoint="
        + this.endpoint
        + ", hub="
        + this.hub
        + ", credential="
        + ((this.accessKey != null) ? "access key (redacted)" : "token provider")
        + "]";
  }
}
