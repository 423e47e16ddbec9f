package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpstreamSignatureTests {

  @Test
  void signatureMatchesThePublishedTestVector() {
    Upstream upstream = new Upstream(new Jwt("7aab239577fd4f24bc919802fb629f5f"), "localhost");
    assertThat(upstream.signature("0f9c97a2f0bf4706afe87a14e0797b11"))
        .isEqualTo("sha256=7767effcb3946f3e1de039df4b986ef02c110b1469d02c0a06f41b3b727ab561");
  }
}
