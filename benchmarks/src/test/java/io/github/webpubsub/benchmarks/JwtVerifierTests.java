package io.github.webpubsub.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

class JwtVerifierTests {

  private static final String KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  private static final String URL =
      "http://127.0.0.1:18090/api/hubs/bench/groups/g/:send?api-version=2024-12-01";

  private static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");

  private final JwtVerifier verifier = new JwtVerifier(KEY, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void handSignedTokenForTheRequestUrlIsAcceptedExactly() {
    String token = new Hs256Jwt(KEY).sign(URL, NOW.getEpochSecond() + 60);

    JwtVerifier.Result result = this.verifier.verify("Bearer " + token, URL);

    assertThat(result.problem()).isNull();
    assertThat(result.match()).isEqualTo(JwtVerifier.AudienceMatch.EXACT);
  }

  @Test
  void handSignedTokenVerifiesWithSpringSecuritysDecoder() {
    String token = new Hs256Jwt(KEY).sign(URL, Instant.now().getEpochSecond() + 60);

    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();

    assertThat(decoder.decode(token).getAudience()).containsExactly(URL);
  }

  @Test
  void springEncodedTokenWithArrayAudienceIsAccepted() {
    String token =
        NimbusJwtEncoder.withSecretKey(
                new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .algorithm(MacAlgorithm.HS256)
            .build()
            .encode(
                JwtEncoderParameters.from(
                    JwsHeader.with(MacAlgorithm.HS256).build(),
                    JwtClaimsSet.builder()
                        .audience(List.of(URL))
                        .expiresAt(NOW.plusSeconds(60))
                        .build()))
            .getTokenValue();

    assertThat(this.verifier.verify("Bearer " + token, URL).problem()).isNull();
  }

  @Test
  void tokenSignedWithAnotherKeyIsRejected() {
    String token =
        new Hs256Jwt("ZYXWVUTSRQPONMLKJIHGFEDCBA0123456789ABCDEFGH")
            .sign(URL, NOW.getEpochSecond() + 60);

    assertThat(this.verifier.verify("Bearer " + token, URL).problem())
        .isEqualTo("token signature does not verify with the access key");
  }

  @Test
  void tokenForAnotherUrlIsRejected() {
    String token =
        new Hs256Jwt(KEY).sign(URL.replace("groups/g", "groups/h"), NOW.getEpochSecond() + 60);

    assertThat(this.verifier.verify("Bearer " + token, URL).problem())
        .startsWith("token aud '")
        .contains("is not the request URL");
  }

  @Test
  void tokenWithoutTheQueryIsRejected() {
    String token =
        new Hs256Jwt(KEY).sign(URL.substring(0, URL.indexOf('?')), NOW.getEpochSecond() + 60);

    assertThat(this.verifier.verify("Bearer " + token, URL).problem())
        .contains("is not the request URL");
  }

  @Test
  void percentEncodedAudienceIsAcceptedAsDecodedMatchOnly() {
    String token =
        new Hs256Jwt(KEY).sign(URL.replace(":send", "%3Asend"), NOW.getEpochSecond() + 60);

    JwtVerifier.Result result = this.verifier.verify("Bearer " + token, URL);

    assertThat(result.problem()).isNull();
    assertThat(result.match()).isEqualTo(JwtVerifier.AudienceMatch.DECODED);
  }

  @Test
  void expiredTokenIsRejected() {
    String token = new Hs256Jwt(KEY).sign(URL, NOW.getEpochSecond());

    assertThat(this.verifier.verify("Bearer " + token, URL).problem())
        .isEqualTo("token has expired");
  }

  @Test
  void tokenWithoutExpIsRejected() {
    String token = unsignedPartsSignedWithKey("{\"alg\":\"HS256\"}", "{\"aud\":\"" + URL + "\"}");

    assertThat(this.verifier.verify("Bearer " + token, URL).problem())
        .isEqualTo("token exp claim is required");
  }

  @Test
  void tokenWithAnotherAlgorithmIsRejected() {
    String token =
        unsignedPartsSignedWithKey(
            "{\"alg\":\"none\"}",
            "{\"aud\":\"" + URL + "\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}");

    assertThat(this.verifier.verify("Bearer " + token, URL).problem())
        .isEqualTo("token alg must be HS256");
  }

  @Test
  void missingOrNonBearerAuthorizationIsRejected() {
    assertThat(this.verifier.verify(null, URL).problem())
        .isEqualTo("Authorization header must be 'Bearer <jwt>'");
    assertThat(this.verifier.verify("Basic abc", URL).problem())
        .isEqualTo("Authorization header must be 'Bearer <jwt>'");
  }

  private static String unsignedPartsSignedWithKey(String header, String payload) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    String input =
        encoder.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + encoder.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    byte[] signature = new Hs256Jwt(KEY).hmac(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + encoder.encodeToString(signature);
  }
}
