package io.github.webpubsub.emulator.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Client access tokens and the audience rules of the service. */
final class Tokens {

  private Tokens() {}

  /**
   * Signs a client access token as the SDKs do.
   *
   * @param jwt the signer
   * @param audience the client URL with an http(s) scheme
   * @param userId the {@code sub} claim or {@code null}
   * @param roles the {@code role} claim values
   * @param groups the {@code webpubsub.group} claim values
   * @param minutes the lifetime in minutes
   * @return the token
   */
  static String clientToken(
      Jwt jwt,
      String audience,
      @Nullable String userId,
      List<String> roles,
      List<String> groups,
      long minutes) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", audience);
    long now = Instant.now().getEpochSecond();
    claims.put("iat", now);
    claims.put("exp", now + minutes * 60);
    if (userId != null) {
      claims.put("sub", userId);
    }
    if (!roles.isEmpty()) {
      claims.put("role", roles);
    }
    if (!groups.isEmpty()) {
      claims.put("webpubsub.group", groups);
    }
    return jwt.sign(claims);
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** A random, URL-safe secret (a reliable client's reconnection token). */
  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Drops a leading {@code scheme://} (the service ignores the scheme of an audience). */
  static String withoutScheme(String url) {
    int index = url.indexOf("://");
    return (index >= 0) ? url.substring(index + 3) : url;
  }
}
