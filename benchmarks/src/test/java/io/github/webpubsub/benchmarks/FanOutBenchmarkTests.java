package io.github.webpubsub.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.github.webpubsub.emulator.WebPubSubEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;

/**
 * The fan-out harness measures what it claims: every client of the emulator and of the floor
 * receives every broadcast as the same bytes, and a frame that differs is not counted.
 */
class FanOutBenchmarkTests {

  private static final String KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH-bench";

  private final HttpClient http = HttpClient.newConnection();

  private WebPubSubEmulator emulator;

  private final FanOutFloorServer floor = new FanOutFloorServer();

  private DisposableServer floorServer;

  private FanOutBenchmark.Emulator emulatorTarget;

  private FanOutBenchmark.Floor floorTarget;

  @BeforeEach
  void start() {
    this.emulator = WebPubSubEmulator.builder().port(0).accessKey(KEY).start();
    this.floorServer = this.floor.start(0);
    this.emulatorTarget =
        new FanOutBenchmark.Emulator(null, this.emulator.getEndpoint().toString(), KEY);
    this.floorTarget =
        new FanOutBenchmark.Floor(null, "http://127.0.0.1:" + this.floorServer.port());
  }

  @AfterEach
  void stop() {
    this.emulator.close();
    this.floorServer.disposeNow();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void everyClientOfBothServersReceivesEveryBroadcastAsTheSameBytes(boolean json) {
    for (FanOutBenchmark.Server server :
        new FanOutBenchmark.Server[] {this.emulatorTarget, this.floorTarget}) {
      try (FanOutClients clients =
          FanOutClients.connect(
              this.http,
              3,
              json,
              server::clientUrl,
              FanOutBenchmark.expectedFrame(FanOutBenchmark.MESSAGE, json))) {
        clients.reset();
        for (int i = 0; i < 2; i++) {
          server
              .broadcast(HttpClient.create(), FanOutBenchmark.MESSAGE)
              .block(Duration.ofSeconds(10));
        }
        awaitDeliveries(clients, 6);

        assertThat(clients.check(2)).as(server.name).isNull();
        assertThat(clients.check(3)).as(server.name).contains("received 2 of 3 broadcasts");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aFrameThatDiffersFromTheExpectedOneIsNotCounted(boolean json) {
    byte[] other = "something else".getBytes(StandardCharsets.UTF_8);
    try (FanOutClients clients =
        FanOutClients.connect(
            this.http,
            2,
            json,
            this.floorTarget::clientUrl,
            FanOutBenchmark.expectedFrame(FanOutBenchmark.MESSAGE, json))) {
      this.floorTarget.broadcast(HttpClient.create(), other).block(Duration.ofSeconds(10));
      this.floorTarget
          .broadcast(HttpClient.create(), FanOutBenchmark.MESSAGE)
          .block(Duration.ofSeconds(10));
      awaitDeliveries(clients, 2);

      assertThat(clients.check(1)).isNull();
      assertThat(clients.otherFrames()).isEqualTo(2);
    }
  }

  @Test
  void theEmulatorRejectsABroadcastSignedWithAnotherKey() {
    FanOutBenchmark.Emulator wrongKey =
        new FanOutBenchmark.Emulator(
            null,
            this.emulator.getEndpoint().toString(),
            "ZYXWVUTSRQPONMLKJIHGFEDCBA0123456789-other");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                wrongKey
                    .broadcast(HttpClient.create(), FanOutBenchmark.MESSAGE)
                    .block(Duration.ofSeconds(10)))
        .withMessageContaining("broadcast answered 401");
  }

  @Test
  void theFloorBroadcastsOnlyToUpgradedClients() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.floorServer.port())) {
      socket.setSoTimeout(10_000);
      // A WebSocket version Netty does not speak: the handshake is refused with 426.
      socket
          .getOutputStream()
          .write(
              ("GET /client/hubs/h HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 99\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] head = new byte[12];
      assertThat(socket.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
      assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 426");
      // The connection is still open, and no broadcast goes to it.
      long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (System.nanoTime() < deadline) {
        assertThat(this.floor.clientCount()).isZero();
        Thread.sleep(50);
      }
    }
    try (FanOutClients clients =
        FanOutClients.connect(
            this.http,
            2,
            true,
            this.floorTarget::clientUrl,
            FanOutBenchmark.expectedFrame(FanOutBenchmark.MESSAGE, true))) {
      assertThat(this.floor.clientCount()).isEqualTo(2);
    }
  }

  private static void awaitDeliveries(FanOutClients clients, long deliveries) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (clients.delivered() < deliveries && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }
}
