package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpstreamHeaderEncodingTests {

  @Test
  void printableAsciiOtherThanQuoteAndPercentIsUnchanged() {
    String printable = "abcXYZ019!#$&'()*+,-./:;<=>?@[\\]^_`{|}~";
    assertThat(Upstream.percentEncode(printable)).isSameAs(printable);
  }

  @Test
  void spaceQuotePercentControlsAndNonAsciiAreEncodedAsUpperCaseUtf8Bytes() {
    assertThat(Upstream.percentEncode("a b\"c%d")).isEqualTo("a%20b%22c%25d");
    assertThat(Upstream.percentEncode("x\r\ny\t\u007f")).isEqualTo("x%0D%0Ay%09%7F");
    assertThat(Upstream.percentEncode("李雷")).isEqualTo("%E6%9D%8E%E9%9B%B7");
    assertThat(Upstream.percentEncode("é😀")).isEqualTo("%C3%A9%F0%9F%98%80");
    assertThat(Upstream.percentEncode("")).isEmpty();
  }
}
