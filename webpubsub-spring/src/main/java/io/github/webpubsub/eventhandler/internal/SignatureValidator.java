package io.github.webpubsub.eventhandler.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Checks {@code ce-signature}: a comma-separated list of {@code sha256=<hex>} where hex is
 * HMAC-SHA256 of the connection id keyed with an access key's UTF-8 bytes. Valid when any entry
 * matches any key; hex compared case-insensitively in constant time.
 */
final class SignatureValidator {

  private static final String PREFIX = "sha256=";

  private SignatureValidator() {}

  static boolean isValid(
      @Nullable String signatureHeader, @Nullable String connectionId, List<String> accessKeys) {
    if (signatureHeader == null || connectionId == null || accessKeys.isEmpty()) {
      return false;
    }
    boolean valid = false;
    for (String key : accessKeys) {
      byte[] expected = sign(key, connectionId);
      for (String entry : signatureHeader.split(",")) {
        byte[] candidate = decode(entry.trim());
        // no early exit: every key and entry is compared
        valid |= candidate != null && MessageDigest.isEqual(expected, candidate);
      }
    }
    return valid;
  }

  static String signature(String accessKey, String connectionId) {
    return PREFIX + HexFormat.of().formatHex(sign(accessKey, connectionId));
  }

  private static byte @Nullable [] decode(String entry) {
    if (entry.length() != PREFIX.length() + 64
        || !entry.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    try {
      return HexFormat.of().parseHex(entry, PREFIX.length(), entry.length());
    } catch (IllegalArgumentException ex) {
      return null;
    }
  }

  private static byte[] sign(String accessKey, String connectionId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(accessKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(connectionId.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException ex) {
      throw new IllegalStateException("HmacSHA256 is not available", ex);
    }
  }
}
