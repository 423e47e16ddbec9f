package io.github.webpubsub.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hand-rolled HS256 JWTs with one {@link Mac} per thread, re-used across signatures: the cheapest
 * correct way to sign a Web PubSub REST request on the JVM, used by the raw floor and the server.
 */
final class Hs256Jwt {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private static final String HEADER =
      ENCODER.encodeToString(
          "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final ThreadLocal<Mac> macs;

  Hs256Jwt(String accessKey) {
    SecretKeySpec key = new SecretKeySpec(accessKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(() -> newMac(key));
  }

  /** A token for {@code audience} expiring at {@code expiresAtEpochSecond}. */
  String sign(String audience, long expiresAtEpochSecond) {
    String payload =
        "{\"aud\":\"" + jsonEscape(audience) + "\",\"exp\":" + expiresAtEpochSecond + "}";
    String signingInput =
        HEADER + '.' + ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    byte[] signature = mac().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + '.' + ENCODER.encodeToString(signature);
  }

  /** The HMAC-SHA256 of {@code signingInput}, computed with this thread's re-used {@link Mac}. */
  byte[] hmac(byte[] signingInput) {
    return mac().doFinal(signingInput);
  }

  private Mac mac() {
    return this.macs.get();
  }

  private static Mac newMac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("HmacSHA256 is not available", ex);
    }
  }

  private static String jsonEscape(String value) {
    if (value.indexOf('"') < 0 && value.indexOf('\\') < 0) {
      return value;
    }
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
