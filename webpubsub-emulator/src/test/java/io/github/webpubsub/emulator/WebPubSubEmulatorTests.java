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
                + ";AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH;Version=1.0;");
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
