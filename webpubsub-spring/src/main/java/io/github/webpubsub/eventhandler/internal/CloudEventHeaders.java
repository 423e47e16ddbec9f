package io.github.webpubsub.eventhandler.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * The {@code ce-*} headers of a CloudEvent in HTTP binary mode: each attribute appears once, and
 * its value is percent-encoded UTF-8 as the CloudEvents HTTP protocol binding (section 3.1.3.2)
 * says, so that a user id such as {@code 李雷}, or one with CR/LF in it, arrives exactly as issued.
 */
final class CloudEventHeaders {

  private static final String PREFIX = "ce-";

  private CloudEventHeaders() {}

  /**
   * Refuses a request that repeats a {@code ce-*} header: a forged second value must never be read
   * in place of the signed one.
   *
   * @throws MalformedEventException naming the header
   */
  static void requireSingleValues(HttpHeaders headers) {
    headers.forEach(
        (name, values) -> {
          if (name.toLowerCase(Locale.ROOT).startsWith(PREFIX) && values.size() > 1) {
            throw new MalformedEventException(
                "Header "
                    + name
                    + " appears more than once; CloudEvents attributes have one value");
          }
        });
  }

  /**
   * The decoded value of a {@code ce-*} header.
   *
   * @return the value, or {@code null} when the header is absent
   * @throws MalformedEventException when the value is not validly percent-encoded UTF-8
   */
  static @Nullable String value(HttpHeaders headers, String name) {
    String raw = headers.getFirst(name);
    return (raw != null) ? decode(name, raw) : null;
  }

  static String decode(String name, String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        if (c > 0x7E) {
          throw malformed(name);
        }
        bytes.write(c);
        continue;
      }
      if (i + 2 >= raw.length()) {
        throw malformed(name);
      }
      int high = Character.digit(raw.charAt(i + 1), 16);
      int low = Character.digit(raw.charAt(i + 2), 16);
      if (high < 0 || low < 0) {
        throw malformed(name);
      }
      bytes.write((high << 4) | low);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException ex) {
      throw malformed(name);
    }
  }

  private static MalformedEventException malformed(String name) {
    return new MalformedEventException(
        "Header " + name + " is not percent-encoded UTF-8 (CloudEvents HTTP binding)");
  }
}
