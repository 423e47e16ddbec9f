package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

class AccessKeySignerTests {

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  static final String KEY = "0123456789abcdef0123456789abcdef-signer";

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  final AccessKeySigner signer = new AccessKeySigner(KEY, this.clock);

  @Test
  void sameAudienceReusesTheTokenUntilItsHalfLife() {
    String first = this.signer.requestToken("http://h/a?api-version=1");
    this.clock.advance(AccessKeySigner.REQUEST_TOKEN_LIFETIME.dividedBy(2).minusSeconds(1));

    assertThat(this.signer.requestToken("http://h/a?api-version=1")).isEqualTo(first);

    this.clock.advance(Duration.ofSeconds(1));
    String refreshed = this.signer.requestToken("http://h/a?api-version=1");
    assertThat(refreshed).isNotEqualTo(first);
    assertThat(decode(refreshed).getExpiresAt())
        .isEqualTo(this.clock.instant().plus(AccessKeySigner.REQUEST_TOKEN_LIFETIME));
  }

  @Test
  void eachAudienceHasItsOwnToken() {
    Jwt a = decode(this.signer.requestToken("http://h/a"));
    Jwt b = decode(this.signer.requestToken("http://h/b"));

    assertThat(a.getAudience()).containsExactly("http://h/a");
    assertThat(b.getAudience()).containsExactly("http://h/b");
  }

  @Test
  @SuppressWarnings("unchecked")
  void requestTokensCarryOnlyAudAndExpAndNoKeyId() {
    String[] parts = this.signer.requestToken("http://h/a?api-version=1").split("\\.");

    // Read the raw JSON: Spring's decoder would add an iat claim of its own.
    assertThat(JSON.readValue(base64Url(parts[0]), java.util.Map.class))
        .containsOnlyKeys("alg", "typ")
        .containsEntry("alg", "HS256");
    assertThat(JSON.readValue(base64Url(parts[1]), java.util.Map.class))
        .containsOnlyKeys("aud", "exp")
        .containsEntry("aud", "http://h/a?api-version=1");
  }

  static String base64Url(String part) {
    return new String(java.util.Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
  }

  @Test
  void cacheIsBounded() {
    for (int i = 0; i < AccessKeySigner.MAX_CACHED_TOKENS + 50; i++) {
      this.signer.requestToken("http://h/" + i);
    }

    assertThat(this.signer.cachedTokens()).isEqualTo(AccessKeySigner.MAX_CACHED_TOKENS);
  }

  @Test
  void toStringRedactsTheKey() {
    assertThat(this.signer).hasToString("AccessKeySigner[key=<redacted>]");
  }

  @Test
  void theBearerTokenOfAnAttemptIsTheRequestTokenOfItsAudience() {
    String token = this.signer.bearerToken("http://h/a?api-version=1").block();

    assertThat(token).isEqualTo(this.signer.requestToken("http://h/a?api-version=1"));
    assertThat(decode(token).getAudience()).containsExactly("http://h/a?api-version=1");
  }

  @Test
  @SuppressWarnings("unchecked")
  void clientTokensCarryTheUserRolesAndGroupsGiven() {
    String token =
        this.signer.clientToken(
            "https://h/client/hubs/chat",
            "u1",
            List.of("webpubsub.sendToGroup", "webpubsub.joinLeaveGroup"),
            List.of("g1"),
            Duration.ofMinutes(5));

    Jwt jwt = decode(token);
    assertThat(jwt.getAudience()).containsExactly("https://h/client/hubs/chat");
    assertThat(jwt.getSubject()).isEqualTo("u1");
    assertThat(jwt.getIssuedAt()).isEqualTo(this.clock.instant());
    assertThat(jwt.getExpiresAt()).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(jwt.getClaimAsStringList("role"))
        .containsExactly("webpubsub.sendToGroup", "webpubsub.joinLeaveGroup");
    assertThat(jwt.getClaimAsStringList("webpubsub.group")).containsExactly("g1");
  }

  @Test
  @SuppressWarnings("unchecked")
  void clientTokensLeaveOutWhatWasNotGiven() {
    String token =
        this.signer.clientToken(
            "https://h/client/hubs/chat", null, List.of(), List.of(), Duration.ofMinutes(60));

    assertThat(JSON.readValue(base64Url(token.split("\\.")[1]), java.util.Map.class))
        .containsOnlyKeys("aud", "iat", "exp");
  }

  static Jwt decode(String token) {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    // The clock is in the past: check signature and claims, not the wall-clock expiry.
    decoder.setJwtValidator(
        jwt -> org.springframework.security.oauth2.core.OAuth2TokenValidatorResult.success());
    return decoder.decode(token);
  }

  static final class MutableClock extends Clock {

    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      this.now = this.now.plus(duration);
    }

    @Override
    public Instant instant() {
      return this.now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
