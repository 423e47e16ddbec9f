package io.github.webpubsub.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small JSON reader and string writer for the service's own payloads (error details, token and
 * page answers, group bodies), so that reading them depends neither on Jackson nor on how the
 * application configured its mapper.
 */
public final class Json {

  private final String text;

  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses a JSON document into maps, lists, strings, numbers (as {@code Double}), booleans and
   * {@code null}.
   *
   * @throws IllegalArgumentException when the text is not JSON
   */
  public static @Nullable Object parse(String text) {
    Json json = new Json(text);
    json.skipWhitespace();
    Object value = json.readValue();
    json.skipWhitespace();
    if (json.pos != text.length()) {
      throw json.error("unexpected trailing content");
    }
    return value;
  }

  /** Writes a string as a JSON string literal. */
  public static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private @Nullable Object readValue() {
    if (this.pos >= this.text.length()) {
      throw error("unexpected end");
    }
    char c = this.text.charAt(this.pos);
    return switch (c) {
      case '{' -> readObject();
      case '[' -> readArray();
      case '"' -> readString();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> readNumber();
    };
  }

  private Map<String, @Nullable Object> readObject() {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    this.pos++;
    skipWhitespace();
    if (peek() == '}') {
      this.pos++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a property name");
      }
      String key = readString();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      map.put(key, readValue());
      skipWhitespace();
      char c = next();
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<@Nullable Object> readArray() {
    List<@Nullable Object> list = new ArrayList<>();
    this.pos++;
    skipWhitespace();
    if (peek() == ']') {
      this.pos++;
      return list;
    }
    while (true) {
      skipWhitespace();
      list.add(readValue());
      skipWhitespace();
      char c = next();
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String readString() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          if (this.pos + 4 > this.text.length()) {
            throw error("truncated unicode escape");
          }
          try {
            out.append((char) Integer.parseInt(this.text.substring(this.pos, this.pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("invalid unicode escape");
          }
          this.pos += 4;
        }
        default -> throw error("invalid escape");
      }
    }
  }

  private Object readNumber() {
    int start = this.pos;
    while (this.pos < this.text.length()
        && "+-0123456789.eE".indexOf(this.text.charAt(this.pos)) >= 0) {
      this.pos++;
    }
    if (start == this.pos) {
      throw error("unexpected character");
    }
    try {
      return Double.valueOf(this.text.substring(start, this.pos));
    } catch (NumberFormatException ex) {
      throw error("invalid number");
    }
  }

  private @Nullable Object literal(String word, @Nullable Object value) {
    if (!this.text.startsWith(word, this.pos)) {
      throw error("unexpected character");
    }
    this.pos += word.length();
    return value;
  }

  private void skipWhitespace() {
    while (this.pos < this.text.length() && Character.isWhitespace(this.text.charAt(this.pos))) {
      this.pos++;
    }
  }

  private char peek() {
    if (this.pos >= this.text.length()) {
      throw error("unexpected end");
    }
    return this.text.charAt(this.pos);
  }

  private char next() {
    char c = peek();
    this.pos++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("invalid JSON at offset " + this.pos + ": " + what);
  }
}
