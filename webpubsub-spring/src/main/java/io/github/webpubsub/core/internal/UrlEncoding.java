package io.github.webpubsub.core.internal;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of path segments and query parameters (RFC 3986), done once before a request is
 * signed so that the signed audience and the URL on the wire are the same string.
 */
public final class UrlEncoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UrlEncoding() {}

  /** Encodes a path segment: {@code /}, space, {@code ?}, {@code #}, {@code +} etc. are escaped. */
  public static String pathSegment(String value) {
    return encode(value, "-._~!$'()*,:@");
  }

  /** Encodes a query parameter name or value: {@code &}, {@code =}, {@code +} etc. are escaped. */
  public static String queryParameter(String value) {
    return encode(value, "-._~!$'()*,:@/?");
  }

  private static String encode(String value, String allowed) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || (c < 0x80 && allowed.indexOf(c) >= 0)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }
}
