package io.github.webpubsub.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** The test access key and verification of the tokens signed with it. */
final class TestTokens {

  /** A distinctive key (> 32 bytes) whose absence from logs and messages can be asserted. */
  static final String KEY = "Zq7-TEST-ACCESS-KEY-never-show-me-4f1c9e2b8a7d6c5b";

  private TestTokens() {}

  /** Verifies signature (with {@link #KEY}), {@code exp} and that {@code aud} is the audience. */
  static Jwt verify(String token, String audience) {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefault(), new JwtAudienceValidator(audience)));
    Jwt jwt = decoder.decode(token);
    assertThat(jwt.getAudience()).containsExactly(audience);
    assertThat(jwt.getExpiresAt()).isAfter(Instant.now());
    return jwt;
  }

  /** The bearer token of a request received by WireMock. */
  static String bearer(LoggedRequest request) {
    String authorization = request.getHeader("Authorization");
    assertThat(authorization).startsWith("Bearer ");
    return authorization.substring("Bearer ".length());
  }

  /** Verifies the request's token; its audience must be the exact URL received. */
  static Jwt verifyRequest(LoggedRequest request, String baseUrl) {
    return verify(bearer(request), baseUrl + request.getUrl());
  }
}
