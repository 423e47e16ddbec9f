package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebPubSubEmulatorTests {

  @RegisterExtension
  static final WebPubSubEmulatorExtension extension = new WebPubSubEmulatorExtension();

  @Test
  void connectionStringNamesTheLocalEndpointAndKey(WebPubSubEmulator emulator) {
    assertThat(emulator).isSameAs(extension.getEmulator());
    assertThat(emulator.getPort()).isPositive();
    assertThat(emulator.getEndpoint()).hasToString("http://localhost:" + emulator.getPort());
    assertThat(extension.getConnectionString())
        .isEqualTo(
            "Endpoint=http://localhost:"
                + emulator.getPort()
                + ";AccessKey="
                + emulator.getAccessKey()
                + ";Version=1.0;");
  }

  @Test
  void withoutAccessKeyEachStartHasAFreshRandomKeyAndTheWellKnownKeyIsRefused(
      WebPubSubEmulator emulator) {
    String key = emulator.getAccessKey();
    assertThat(key).hasSize(44).isNotEqualTo(WebPubSubEmulator.DEFAULT_ACCESS_KEY);
    assertThat(java.util.Base64.getDecoder().decode(key)).hasSize(32);
    try (WebPubSubEmulator other = WebPubSubEmulator.start()) {
      assertThat(other.getAccessKey()).hasSize(44).isNotEqualTo(key);
    }
    String path = "/api/hubs/h/users/u";
    assertThat(
            new RestClient(emulator.getEndpoint().toString(), WebPubSubEmulator.DEFAULT_ACCESS_KEY)
                .signed(io.netty.handler.codec.http.HttpMethod.HEAD, path, null, null)
                .status())
        .isEqualTo(401);
    assertThat(
            new RestClient(emulator)
                .signed(io.netty.handler.codec.http.HttpMethod.HEAD, path, null, null)
                .status())
        .isEqualTo(404);
  }

  @Test
  void givenAccessKeyIsKept() {
    try (WebPubSubEmulator other =
        WebPubSubEmulator.builder().accessKey(WebPubSubEmulator.DEFAULT_ACCESS_KEY).start()) {
      assertThat(other.getAccessKey()).isEqualTo(WebPubSubEmulator.DEFAULT_ACCESS_KEY);
      assertThat(other.getConnectionString())
          .contains(";AccessKey=" + WebPubSubEmulator.DEFAULT_ACCESS_KEY + ";");
    }
  }

  @Test
  void toStringNeverShowsTheKey(WebPubSubEmulator emulator) {
    assertThat(emulator.toString()).doesNotContain(emulator.getAccessKey());
  }

  @Test
  void shortKeyIsRefusedNamingTheRuleWithoutEchoingTheKey() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebPubSubEmulator.builder().accessKey("tooShortSecret"))
        .withMessage("accessKey must be at least 32 bytes (HS256 needs a 256-bit key) but has 14");
  }

  @Test
  void portOutOfRangeAndRelativeEventHandlerAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebPubSubEmulator.builder().port(70000))
        .withMessageContaining("port");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebPubSubEmulator.builder().eventHandler("chat", "/relative").start())
        .withMessageContaining("urlTemplate");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebPubSubEmulator.builder().maxQueuedMessages(0))
        .withMessageContaining("maxQueuedMessages");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebPubSubEmulator.builder().maxQueuedBytes(0))
        .withMessageContaining("maxQueuedBytes");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebPubSubEmulator.builder().requestTimeout(java.time.Duration.ZERO))
        .withMessageContaining("requestTimeout");
  }

  @Test
  void negativeReconnectionWindowIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> WebPubSubEmulator.builder().reconnectionWindow(java.time.Duration.ofSeconds(-1)))
        .withMessageContaining("reconnectionWindow");
  }

  @Test
  void twoEmulatorsRunSideBySideOnFreePortsWithTheirOwnKeys() {
    String key = "another-development-key-0123456789abcdef";
    try (WebPubSubEmulator other = WebPubSubEmulator.builder().accessKey(key).start()) {
      assertThat(other.getPort()).isNotEqualTo(extension.getEmulator().getPort());
      assertThat(other.getAccessKey()).isEqualTo(key);
      assertThat(
              new RestClient(other)
                  .signed(
                      io.netty.handler.codec.http.HttpMethod.HEAD,
                      "/api/hubs/h/users/u",
                      null,
                      null)
                  .status())
          .isEqualTo(404);
      assertThat(
              new RestClient(extension.getEmulator().getEndpoint().toString(), key)
                  .signed(
                      io.netty.handler.codec.http.HttpMethod.HEAD,
                      "/api/hubs/h/users/u",
                      null,
                      null)
                  .status())
          .isEqualTo(401);
    }
  }
}
