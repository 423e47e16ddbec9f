package io.github.webpubsub.emulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * HS256 tokens as the SDKs sign them, written here with {@link Mac} rather than with the emulator's
 * own (internal) signer, so the tests check the emulator's verification against an independent
 * signature.
 */
final class TestJwt {

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;

  TestJwt(String accessKey) {
    this.key = accessKey.getBytes(StandardCharsets.UTF_8);
  }

  /** The compact HS256 serialization of the claims. */
  String sign(Map<String, ?> claims) {
    return sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims);
  }

  /** The compact serialization of the claims under the given header, signed with HS256. */
  String sign(String headerJson, Map<String, ?> claims) {
    String header = BASE64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8));
    String payload = BASE64.encodeToString(TestClient.JSON.writeValueAsBytes(claims));
    String signingInput = header + "." + payload;
    return signingInput + "." + BASE64.encodeToString(hmac(signingInput));
  }

  /** A client access token: {@code aud}, {@code iat}, {@code exp} and the optional claims. */
  String clientToken(
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
    return sign(claims);
  }

  private byte[] hmac(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
