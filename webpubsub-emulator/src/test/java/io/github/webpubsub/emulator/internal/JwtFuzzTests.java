package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the JWT verifier: a token either verifies into claims that can be read, or is refused with
 * an {@link Jwt.InvalidTokenException}. A fuzzer cannot forge HMACs, so most inputs are signed with
 * the key after fuzzing, to get past the signature to the header and payload checks.
 */
class JwtFuzzTests {

  private static final Jwt JWT = new Jwt("fuzz-test-access-key-of-at-least-32-bytes");

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

  @FuzzTest(maxDuration = "5s")
  @Timeout(10)
  void verifyEitherRefusesOrReturnsReadableClaims(FuzzedDataProvider data) {
    // The mode is the input's last byte: 0 a raw token, 1 fuzzed parts with a valid signature,
    // 2 fuzzed header and payload JSON (split at the first newline), base64url-encoded and signed.
    int mode = data.consumeInt(0, 2);
    String token =
        switch (mode) {
          case 0 -> data.consumeRemainingAsString();
          case 1 -> signed(data.consumeRemainingAsString());
          default -> {
            String json = data.consumeRemainingAsString();
            int newline = Math.max(json.indexOf('\n'), 0);
            yield signed(
                encode(json.substring(0, newline)) + "." + encode(json.substring(newline)));
          }
        };
    Jwt.Claims claims;
    try {
      claims = JWT.verify(token, NOW);
    } catch (Jwt.InvalidTokenException refused) {
      assertThat(refused.getMessage()).isNotEmpty();
      return;
    }
    claims.strings("role");
    claims.string("sub");
    assertThat(claims.asMultiMap()).containsKey("exp");
  }

  private static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String signed(String headerAndPayload) {
    return headerAndPayload + "." + BASE64URL.encodeToString(JWT.hmac(headerAndPayload));
  }
}
