package io.github.webpubsub.eventhandler.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The CloudEvents webhook validation handshake: which {@code WebHook-Request-Origin} values may
 * deliver events. Allowed are the service endpoint's host (with or without port) and the configured
 * origins; {@code *} allows any.
 */
final class AbuseProtection {

  private final List<String> configuredOrigins;

  private final boolean allowAny;

  AbuseProtection(List<String> allowedOrigins) {
    List<String> origins = new ArrayList<>();
    boolean any = false;
    for (String origin : allowedOrigins) {
      String trimmed = origin.trim();
      if (trimmed.equals("*")) {
        any = true;
      } else if (!trimmed.isEmpty()) {
        origins.add(normalize(trimmed));
      }
    }
    this.configuredOrigins = List.copyOf(origins);
    this.allowAny = any;
  }

  /**
   * The {@code WebHook-Allowed-Origin} answer for a request origin header, or {@code null} when no
   * origin in it is allowed.
   */
  @Nullable String allowedOrigin(@Nullable String requestOrigins, @Nullable URI endpoint) {
    if (requestOrigins == null || requestOrigins.isBlank()) {
      return null;
    }
    if (this.allowAny) {
      return "*";
    }
    for (String origin : requestOrigins.split(",")) {
      String candidate = normalize(origin.trim());
      if (!candidate.isEmpty() && isAllowed(candidate, endpoint)) {
        // The matched origin, normalized: never the caller's raw text echoed back.
        return candidate;
      }
    }
    return null;
  }

  private boolean isAllowed(String origin, @Nullable URI endpoint) {
    if (endpoint != null && endpoint.getHost() != null) {
      String host = endpoint.getHost().toLowerCase(Locale.ROOT);
      if (origin.equals(host) || origin.equals(host + ":" + effectivePort(endpoint))) {
        return true;
      }
    }
    return this.configuredOrigins.contains(origin);
  }

  /** The endpoint's port, or its scheme's default when the URI names none (-1). */
  private static int effectivePort(URI endpoint) {
    if (endpoint.getPort() >= 0) {
      return endpoint.getPort();
    }
    return "http".equalsIgnoreCase(endpoint.getScheme()) ? 80 : 443;
  }

  /** Lower-cased host[:port], accepting a full URL too. */
  private static String normalize(String origin) {
    String value = origin;
    int scheme = value.indexOf("://");
    if (scheme >= 0) {
      value = value.substring(scheme + 3);
    }
    int slash = value.indexOf('/');
    if (slash >= 0) {
      value = value.substring(0, slash);
    }
    return value.toLowerCase(Locale.ROOT);
  }
}
