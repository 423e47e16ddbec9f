package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The emulator's HS256 tokens: what is accepted, what is refused and why, and the claims read. */
class JwtTests {

  static final String KEY = "emulator-jwt-test-access-key-32b";

  static final Jwt JWT = new Jwt(KEY);

  static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

  static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static String signed(String header, String payload) {
    String input = encode(header) + "." + encode(payload);
    return input + "." + BASE64URL.encodeToString(JWT.hmac(input));
  }

  static String token(String payload) {
    return signed("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload);
  }

  static void refused(String token, String message) {
    assertThatExceptionOfType(Jwt.InvalidTokenException.class)
        .isThrownBy(() -> JWT.verify(token, NOW))
        .withMessage(message);
  }

  @Test
  void keysOfAtLeast32BytesAreAccepted() {
    assertThat(new Jwt("k".repeat(32))).hasToString("Jwt[HS256]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Jwt("k".repeat(31)))
        .withMessage("accessKey must be at least 32 bytes (HS256 needs a 256-bit key) but has 31");
  }

  @Test
  void aSignedTokenVerifiesIntoItsClaims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", "http://localhost/client/hubs/chat");
    claims.put("exp", NOW.getEpochSecond() + 60);
    claims.put("role", List.of("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"));
    claims.put("sub", "alice");

    Jwt.Claims verified = JWT.verify(JWT.sign(claims), NOW);

    assertThat(verified.string("sub")).isEqualTo("alice");
    assertThat(verified.strings("aud")).containsExactly("http://localhost/client/hubs/chat");
    assertThat(verified.strings("role"))
        .containsExactly("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup");
    assertThat(verified.strings("missing")).isEmpty();
    assertThat(verified.string("missing")).isNull();
    assertThat(verified.asMultiMap())
        .containsEntry("sub", List.of("alice"))
        .containsEntry("exp", List.of(String.valueOf(NOW.getEpochSecond() + 60)))
        .containsEntry("role", List.of("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"));
  }

  @Test
  void nullClaimsReadAsAbsentAndNonStringArrayItemsAsJson() {
    Jwt.Claims claims =
        JWT.verify(token("{\"exp\":1700000060,\"sub\":null,\"x\":[1,\"a\",{\"b\":2}]}"), NOW);

    assertThat(claims.strings("sub")).isEmpty();
    assertThat(claims.asMultiMap()).containsEntry("x", List.of("1", "a", "{\"b\":2}"));
  }

  @Test
  void aTokenIsValidUntilTheSecondBeforeItsExpiry() {
    assertThat(JWT.verify(token("{\"exp\":1700000001}"), NOW).asMultiMap()).containsKey("exp");
    refused(token("{\"exp\":1700000000}"), "The token expired at 1700000000");
    assertThatExceptionOfType(Jwt.InvalidTokenException.class)
        .isThrownBy(() -> JWT.verify(token("{\"exp\":1699999999.5}"), NOW))
        .withMessageStartingWith("The token expired at ");
    assertThat(JWT.verify(token("{\"exp\":1700000000.5}"), NOW).asMultiMap()).containsKey("exp");
  }

  @Test
  void notBeforeAllowsFiveMinutesOfClockSkew() {
    assertThat(JWT.verify(token("{\"exp\":1700000600,\"nbf\":1700000300}"), NOW).asMultiMap())
        .containsKey("nbf");
    refused(
        token("{\"exp\":1700000600,\"nbf\":1700000301}"),
        "The token is not valid before 1700000301");
  }

  @Test
  void expiryMustBeAPresentNumericDateInRange() {
    refused(token("{\"sub\":\"a\"}"), "The token has no exp claim");
    refused(token("{\"exp\":\"1700000060\"}"), "The token exp is not a NumericDate");
    refused(token("{\"exp\":1e400}"), "The token exp is not a NumericDate");
    refused(token("{\"exp\":9223372036854775808}"), "The token exp is out of range");
    refused(
        token("{\"exp\":1700000060,\"nbf\":-9223372036854775809}"),
        "The token nbf is out of range");
    assertThat(JWT.verify(token("{\"exp\":9223372036854775807}"), NOW).asMultiMap())
        .containsKey("exp");
    assertThat(
            JWT.verify(token("{\"exp\":1700000060,\"nbf\":-9223372036854775808}"), NOW)
                .asMultiMap())
        .containsKey("nbf");
  }

  @Test
  void onlyUnpaddedThreePartHs256TokensWithoutExtensionsAreAccepted() {
    String valid = token("{\"exp\":1700000060}");
    refused("a.b", "The token is not a compact JWS (three dot-separated parts)");
    refused(valid + ".x", "The token is not a compact JWS (three dot-separated parts)");
    refused(valid + "=", "The token is not unpadded base64url ('=' is not allowed)");
    refused("=" + valid, "The token is not unpadded base64url ('=' is not allowed)");
    refused(signed("{\"alg\":\"none\"}", "{\"exp\":1700000060}"), "The token alg must be HS256");
    refused(signed("{\"typ\":\"JWT\"}", "{\"exp\":1700000060}"), "The token alg must be HS256");
    refused(
        signed("{\"alg\":\"HS256\",\"crit\":[\"b64\"]}", "{\"exp\":1700000060}"),
        "The token header has a crit parameter: the emulator supports no JWS extension");
  }

  @Test
  void signatureMustBeBase64urlAndMatchTheKey() {
    String valid = token("{\"exp\":1700000060}");
    String headerAndPayload = valid.substring(0, valid.lastIndexOf('.'));

    refused(headerAndPayload + ".***", "The token signature is not base64url");
    refused(headerAndPayload + ".AAAA", "The token signature does not match the access key");
    Jwt other = new Jwt("another-access-key-of-32-bytes-x");
    refused(
        headerAndPayload + "." + BASE64URL.encodeToString(other.hmac(headerAndPayload)),
        "The token signature does not match the access key");
  }

  @Test
  void headerAndPayloadMustBeBase64JsonObjects() {
    refused("***.e30.AAAA", "The token is not valid base64url JSON");
    refused(encode("[1]") + ".e30.AAAA", "The token header and payload must be JSON objects");
    refused(
        signed("{\"alg\":\"HS256\"}", "\"text\""),
        "The token header and payload must be JSON objects");
  }

  @Test
  void clientTokensCarryAudienceLifetimeUserRolesAndGroups() {
    long before = Instant.now().getEpochSecond();
    String token =
        Tokens.clientToken(
            JWT, "http://h/client/hubs/chat", "bob", List.of("r1"), List.of("g1", "g2"), 10);

    Jwt.Claims claims = JWT.verify(token, Instant.now());
    Map<String, List<String>> all = claims.asMultiMap();
    assertThat(all.keySet()).containsExactly("aud", "iat", "exp", "sub", "role", "webpubsub.group");
    long iat = Long.parseLong(all.get("iat").get(0));
    assertThat(iat).isBetween(before, before + 5);
    assertThat(Long.parseLong(all.get("exp").get(0))).isEqualTo(iat + 600);
    assertThat(claims.strings("webpubsub.group")).containsExactly("g1", "g2");

    Jwt.Claims anonymous =
        JWT.verify(
            Tokens.clientToken(JWT, "http://h/client/hubs/chat", null, List.of(), List.of(), 1),
            Instant.now());
    assertThat(anonymous.asMultiMap().keySet()).containsExactly("aud", "iat", "exp");
  }

  @Test
  void reconnectionTokensAreRandomUrlSafeAnd256Bits() {
    String first = Tokens.randomToken();

    assertThat(first).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(Tokens.randomToken()).isNotEqualTo(first);
  }

  @Test
  void audiencesAreComparedWithoutTheirScheme() {
    assertThat(Tokens.withoutScheme("https://h/x")).isEqualTo("h/x");
    assertThat(Tokens.withoutScheme("://h")).isEqualTo("h");
    assertThat(Tokens.withoutScheme("h/x")).isEqualTo("h/x");
  }
}
