package io.github.webpubsub.core.internal;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import reactor.core.publisher.Mono;

/**
 * Signs HS256 tokens with an access key: request tokens ({@code aud} = request URL), reused per
 * audience from a bounded cache until their half-life, and client access tokens.
 */
public final class AccessKeySigner implements RequestAuthorizer {

  /** Smallest HS256 key nimbus accepts. */
  public static final int MIN_KEY_BYTES = Arguments.MIN_ACCESS_KEY_BYTES;

  static final Duration REQUEST_TOKEN_LIFETIME = Duration.ofMinutes(10);

  static final int MAX_CACHED_TOKENS = 1000;

  private final JwtEncoder encoder;

  private final Clock clock;

  private final Map<String, CachedToken> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedToken> eldest) {
          return size() > MAX_CACHED_TOKENS;
        }
      };

  /**
   * Creates a signer.
   *
   * @param accessKey the key; its UTF-8 bytes are the HMAC key
   * @param clock the clock giving {@code exp}
   * @throws IllegalArgumentException when the key has fewer than 32 UTF-8 bytes (never shows it)
   */
  public AccessKeySigner(String accessKey, Clock clock) {
    byte[] key = Arguments.accessKey("accessKey", accessKey).getBytes(StandardCharsets.UTF_8);
    // A JWK source without a key id: the builder's withSecretKey(..) would add a "kid" header
    // (the key's thumbprint) that no Microsoft SDK sends and the service does not expect.
    this.encoder =
        new NimbusJwtEncoder(new ImmutableSecret<>(new SecretKeySpec(key, "HmacSHA256")));
    this.clock = clock;
  }

  @Override
  public Mono<String> bearerToken(String audience) {
    return Mono.fromSupplier(() -> requestToken(audience));
  }

  /** A token for the audience: the cached one until its half-life, otherwise a new one. */
  public String requestToken(String audience) {
    Instant now = this.clock.instant();
    CachedToken cached;
    synchronized (this.cache) {
      cached = this.cache.get(audience);
    }
    if (cached != null && now.isBefore(cached.refreshAt())) {
      return cached.token();
    }
    Instant expiresAt = now.plus(REQUEST_TOKEN_LIFETIME);
    String token =
        sign(JwtClaimsSet.builder().audience(List.of(audience)).expiresAt(expiresAt).build());
    synchronized (this.cache) {
      this.cache.put(
          audience, new CachedToken(token, now.plus(REQUEST_TOKEN_LIFETIME.dividedBy(2))));
    }
    return token;
  }

  /** Number of cached request tokens. */
  int cachedTokens() {
    synchronized (this.cache) {
      return this.cache.size();
    }
  }

  /**
   * Signs a client access token.
   *
   * @param audience the client URL with an http(s) scheme, without query
   * @param userId the {@code sub} claim, omitted when {@code null}
   * @param roles the {@code role} claim, omitted when empty
   * @param groups the {@code webpubsub.group} claim, omitted when empty
   * @param expiresAfter lifetime
   */
  public String clientToken(
      String audience,
      @Nullable String userId,
      List<String> roles,
      List<String> groups,
      Duration expiresAfter) {
    Instant now = this.clock.instant();
    JwtClaimsSet.Builder claims =
        JwtClaimsSet.builder()
            .audience(List.of(audience))
            .issuedAt(now)
            .expiresAt(now.plus(expiresAfter));
    if (userId != null) {
      claims.subject(userId);
    }
    if (!roles.isEmpty()) {
      claims.claim("role", List.copyOf(roles));
    }
    if (!groups.isEmpty()) {
      claims.claim("webpubsub.group", List.copyOf(groups));
    }
    return sign(claims.build());
  }

  private String sign(JwtClaimsSet claims) {
    JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).type("JWT").build();
    return this.encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
  }

  @Override
  public String toString() {
    return "AccessKeySigner[key=<redacted>]";
  }

  private record CachedToken(String token, Instant refreshAt) {}
}
