package io.github.webpubsub.emulator.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** HS256 JSON Web Tokens signed with the UTF-8 bytes of an access key, as the service uses them. */
final class Jwt {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private static final BigDecimal CLOCK_SKEW = BigDecimal.valueOf(300);

  private static final BigDecimal MIN_SECONDS = BigDecimal.valueOf(Long.MIN_VALUE);

  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Long.MAX_VALUE);

  private final byte[] key;

  /**
   * Creates a signer and verifier for the given access key.
   *
   * @param accessKey the access key, at least 32 UTF-8 bytes
   */
  Jwt(String accessKey) {
    this.key = accessKey.getBytes(StandardCharsets.UTF_8);
    if (this.key.length < 32) {
      throw new IllegalArgumentException(
          "accessKey must be at least 32 bytes (HS256 needs a 256-bit key) but has "
              + this.key.length);
    }
  }

  /**
   * Signs the claims with HS256.
   *
   * @param claims the payload claims
   * @return the compact serialization
   */
  String sign(Map<String, ?> claims) {
    String header = ENCODER.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes());
    String payload = ENCODER.encodeToString(Json.MAPPER.writeValueAsBytes(claims));
    String signingInput = header + "." + payload;
    return signingInput + "." + ENCODER.encodeToString(hmac(signingInput));
  }

  /**
   * Verifies signature, algorithm and expiry and returns the claims.
   *
   * @param token the compact token
   * @param now the current time
   * @return the claims
   * @throws InvalidTokenException when the token is malformed, badly signed or expired
   */
  Claims verify(String token, Instant now) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException("The token is not a compact JWS (three dot-separated parts)");
    }
    if (token.indexOf('=') >= 0) {
      // RFC 7515 section 2: base64url without padding; Java's decoder would accept it.
      throw new InvalidTokenException("The token is not unpadded base64url ('=' is not allowed)");
    }
    JsonNode header = parse(parts[0]);
    if (!"HS256".equals(header.path("alg").asString(""))) {
      throw new InvalidTokenException("The token alg must be HS256");
    }
    if (header.has("crit")) {
      // RFC 7515 section 4.1.11: extensions a recipient does not understand must be refused, and
      // the emulator understands none.
      throw new InvalidTokenException(
          "The token header has a crit parameter: the emulator supports no JWS extension");
    }
    byte[] signature;
    try {
      signature = DECODER.decode(parts[2]);
    } catch (IllegalArgumentException ex) {
      throw new InvalidTokenException("The token signature is not base64url");
    }
    if (!MessageDigest.isEqual(hmac(parts[0] + "." + parts[1]), signature)) {
      throw new InvalidTokenException("The token signature does not match the access key");
    }
    JsonNode payload = parse(parts[1]);
    JsonNode exp = payload.get("exp");
    if (exp == null) {
      throw new InvalidTokenException("The token has no exp claim");
    }
    BigDecimal nowSeconds = BigDecimal.valueOf(now.getEpochSecond());
    if (numericDate("exp", exp).compareTo(nowSeconds) <= 0) {
      throw new InvalidTokenException("The token expired at " + exp.asString());
    }
    JsonNode nbf = payload.get("nbf");
    if (nbf != null && numericDate("nbf", nbf).compareTo(nowSeconds.add(CLOCK_SKEW)) > 0) {
      throw new InvalidTokenException("The token is not valid before " + nbf.asString());
    }
    return new Claims(payload);
  }

  /**
   * A NumericDate claim (RFC 7519: seconds since the epoch, fractions allowed) within the signed
   * 64-bit range; anything else is refused rather than overflowing.
   */
  private static BigDecimal numericDate(String name, JsonNode node) {
    if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
      throw new InvalidTokenException("The token " + name + " is not a NumericDate");
    }
    BigDecimal value = node.decimalValue();
    if (value.compareTo(MIN_SECONDS) < 0 || value.compareTo(MAX_SECONDS) > 0) {
      throw new InvalidTokenException("The token " + name + " is out of range");
    }
    return value;
  }

  /**
   * Computes {@code HMAC-SHA256(key, data)} with the access key.
   *
   * @param data the data, UTF-8 encoded
   * @return the MAC
   */
  byte[] hmac(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("HmacSHA256 is not available", ex);
    }
  }

  private static JsonNode parse(String part) {
    try {
      JsonNode node = Json.MAPPER.readTree(DECODER.decode(part));
      if (!node.isObject()) {
        throw new InvalidTokenException("The token header and payload must be JSON objects");
      }
      return node;
    } catch (RuntimeException ex) {
      if (ex instanceof InvalidTokenException invalid) {
        throw invalid;
      }
      throw new InvalidTokenException("The token is not valid base64url JSON");
    }
  }

  @Override
  public String toString() {
    return "Jwt[HS256]";
  }

  /** Verified claims of a token. */
  static final class Claims {

    private final JsonNode payload;

    Claims(JsonNode payload) {
      this.payload = payload;
    }

    /**
     * Returns the values of a claim that may be a string or an array of strings.
     *
     * @param name the claim name
     * @return the values, empty when absent
     */
    List<String> strings(String name) {
      JsonNode node = this.payload.get(name);
      List<String> values = new ArrayList<>();
      if (node == null || node.isNull()) {
        return values;
      }
      if (node.isArray()) {
        node.forEach((item) -> values.add(item.asString()));
      } else {
        values.add(node.asString());
      }
      return values;
    }

    /**
     * Returns a single string claim.
     *
     * @param name the claim name
     * @return the value or {@code null}
     */
    @Nullable String string(String name) {
      List<String> values = strings(name);
      return values.isEmpty() ? null : values.get(0);
    }

    /**
     * Returns every claim as a list of strings, the shape of the upstream connect body.
     *
     * @return claim name to values
     */
    Map<String, List<String>> asMultiMap() {
      Map<String, List<String>> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> entry : this.payload.properties()) {
        JsonNode value = entry.getValue();
        List<String> values = new ArrayList<>();
        if (value.isArray()) {
          value.forEach((item) -> values.add(item.isString() ? item.asString() : item.toString()));
        } else {
          values.add(value.isString() ? value.asString() : value.toString());
        }
        map.put(entry.getKey(), values);
      }
      return map;
    }
  }

  /** Thrown when a token is refused. */
  static final class InvalidTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidTokenException(String message) {
      super(message, null, false, false);
    }

    @Override
    public String getMessage() {
      String message = super.getMessage();
      return (message != null) ? message : "The token is invalid";
    }
  }
}
