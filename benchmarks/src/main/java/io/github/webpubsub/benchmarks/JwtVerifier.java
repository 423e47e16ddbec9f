package io.github.webpubsub.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a REST request's bearer token the way the service does: HS256 signature with the UTF-8
 * bytes of the access key, {@code aud} equal to the request URL (query included), {@code exp}
 * present and in the future, {@code nbf} (when present) not in the future.
 */
final class JwtVerifier {

  /** How a token's audience matched the request URL. */
  enum AudienceMatch {
    /** Equal to the URL exactly as sent. */
    EXACT,
    /** Equal only after percent-decoding both (Microsoft's emulator accepts this). */
    DECODED
  }

  /** Outcome of one verification: either a match kind or the rule the token broke. */
  record Result(@Nullable AudienceMatch match, @Nullable String problem) {

    static Result ok(AudienceMatch match) {
      return new Result(match, null);
    }

    static Result rejected(String problem) {
      return new Result(null, problem);
    }
  }

  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final Hs256Jwt hmac;

  private final JsonMapper json = JsonMapper.builder().build();

  private final Clock clock;

  JwtVerifier(String accessKey, Clock clock) {
    this.hmac = new Hs256Jwt(accessKey);
    this.clock = clock;
  }

  /** Verifies an {@code Authorization} header value against the URL the request was sent to. */
  Result verify(@Nullable String authorization, String requestUrl) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return Result.rejected("Authorization header must be 'Bearer <jwt>'");
    }
    String token = authorization.substring("Bearer ".length());
    int firstDot = token.indexOf('.');
    int lastDot = token.lastIndexOf('.');
    if (firstDot < 0 || lastDot == firstDot) {
      return Result.rejected("token must have three dot-separated parts");
    }
    try {
      JsonNode header = this.json.readTree(DECODER.decode(token.substring(0, firstDot)));
      if (!"HS256".equals(header.path("alg").asString(""))) {
        return Result.rejected("token alg must be HS256");
      }
      byte[] expected =
          this.hmac.hmac(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
      byte[] actual = DECODER.decode(token.substring(lastDot + 1));
      if (!MessageDigest.isEqual(expected, actual)) {
        return Result.rejected("token signature does not verify with the access key");
      }
      JsonNode claims = this.json.readTree(DECODER.decode(token.substring(firstDot + 1, lastDot)));
      long now = this.clock.instant().getEpochSecond();
      JsonNode exp = claims.path("exp");
      if (!exp.isIntegralNumber()) {
        return Result.rejected("token exp claim is required");
      }
      if (exp.longValue() <= now) {
        return Result.rejected("token has expired");
      }
      JsonNode nbf = claims.path("nbf");
      if (nbf.isIntegralNumber() && nbf.longValue() > now) {
        return Result.rejected("token is not valid yet (nbf)");
      }
      return audience(claims.path("aud"), requestUrl);
    } catch (IllegalArgumentException | JacksonException ex) {
      return Result.rejected("token is not base64url-encoded JSON");
    }
  }

  private static Result audience(JsonNode aud, String requestUrl) {
    String audience = null;
    if (aud.isString()) {
      audience = aud.stringValue();
    } else if (aud.isArray() && aud.size() == 1 && aud.get(0).isString()) {
      audience = aud.get(0).stringValue();
    }
    if (audience == null) {
      return Result.rejected("token aud claim is required");
    }
    if (audience.equals(requestUrl)) {
      return Result.ok(AudienceMatch.EXACT);
    }
    if (decode(audience).equals(decode(requestUrl))) {
      return Result.ok(AudienceMatch.DECODED);
    }
    return Result.rejected(
        "token aud '" + audience + "' is not the request URL '" + requestUrl + "'");
  }

  private static String decode(String url) {
    return java.net.URLDecoder.decode(url.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
