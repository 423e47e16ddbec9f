package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UrlEncodingTests {

  @Test
  void pathSegmentsEscapeSeparatorsAndSpaces() {
    assertThat(UrlEncoding.pathSegment("a/b c?d#e+f%g")).isEqualTo("a%2Fb%20c%3Fd%23e%2Bf%25g");
    assertThat(UrlEncoding.pathSegment("h`,.[]")).isEqualTo("h%60,.%5B%5D");
    assertThat(UrlEncoding.pathSegment("é")).isEqualTo("%C3%A9");
  }

  @Test
  void queryParametersEscapeDelimitersButKeepODataPunctuation() {
    assertThat(UrlEncoding.queryParameter("startswith(userId, 'listener-')"))
        .isEqualTo("startswith(userId,%20'listener-')");
    assertThat(UrlEncoding.queryParameter("a&b=c+d;e#f")).isEqualTo("a%26b%3Dc%2Bd%3Be%23f");
  }

  @Test
  void encodedQueryParametersDecodeToTheOriginal() {
    String value = "userId eq 'o''neil' and 'g+1' in groups & x=1 %20 é";
    assertThat(URLDecoder.decode(UrlEncoding.queryParameter(value), StandardCharsets.UTF_8))
        .isEqualTo(value);
  }

  @Test
  void lettersAndDigitsStayAndTheirNeighboursAreEscaped() {
    String unreserved = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    assertThat(UrlEncoding.pathSegment(unreserved)).isEqualTo(unreserved);
    assertThat(UrlEncoding.queryParameter(unreserved)).isEqualTo(unreserved);
    // Just before and after a-z, A-Z and 0-9 in ASCII: ` { [ / (path) and the DEL and 0x80 bytes.
    assertThat(UrlEncoding.pathSegment("`{[/\u007f\u0080")).isEqualTo("%60%7B%5B%2F%7F%C2%80");
    assertThat(UrlEncoding.pathSegment("@:")).isEqualTo("@:");
  }
}
