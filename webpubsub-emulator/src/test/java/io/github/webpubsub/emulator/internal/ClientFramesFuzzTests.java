package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes what a client's frames mean ({@link ClientFrames#onFrame}), for both JSON subprotocols and
 * both protobuf ones, on a connection with no socket: every frame, sent twice (so a reliable
 * client's repeated ackId is seen), is answered (an ack, a pong, nothing) or closes the connection
 * with 1003; it never fails or hangs. The hub has no event handler, so {@code event} messages are
 * acked {@code NotFound} rather than sent anywhere.
 */
class ClientFramesFuzzTests {

  private static final Upstream UPSTREAM =
      new Upstream(new Jwt("fuzz-test-access-key-of-at-least-32-bytes"), "localhost");

  private static final ClientFrames FRAMES = new ClientFrames(UPSTREAM);

  private static final Set<String> ROLES =
      Set.of("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup");

  @FuzzTest(maxDuration = "5s")
  @Timeout(10)
  void everyFrameIsAnsweredOrClosesTheConnection(FuzzedDataProvider data) {
    // The input's last byte picks the subprotocol and whether the frame is text or binary.
    int kind = data.consumeInt(0, 3);
    String protocol =
        ((kind & 1) == 0) ? ClientConnection.JSON_PROTOCOL : ClientConnection.RELIABLE_PROTOCOL;
    boolean text = (kind & 2) == 0;
    byte[] bytes = data.consumeRemainingAsBytes();
    Hub hub = new Hub("fuzz");
    ClientConnection connection =
        new ClientConnection("c1", hub, "user1", protocol, ROLES, 64, 1024 * 1024);
    hub.add(connection, List.of());
    ClientFrames.Frame frame = new ClientFrames.Frame(text, true, bytes);
    FRAMES.onFrame(connection, frame).block(Duration.ofSeconds(5));
    FRAMES.onFrame(connection, frame).block(Duration.ofSeconds(5));
    ClientConnection.Transport transport = connection.currentTransport();
    if (transport.closed) {
      assertThat(transport.closeStatus()).isEqualTo(1003);
    }
    connection.finish("fuzz input done"); // ends its streams and invocations
  }

  /**
   * The same for both protobuf subprotocols: every frame (a serialized {@code UpstreamMessage} or
   * not, binary or text) is answered (an ack, a pong, a stream notice, nothing) or declines the
   * client with 1003 after a {@code disconnected} message.
   */
  @FuzzTest(maxDuration = "5s")
  @Timeout(10)
  void everyProtobufFrameIsAnsweredOrDeclinesTheConnection(FuzzedDataProvider data) {
    // The input's last byte: bit 0 picks the reliable variant, bit 1 a text frame.
    int kind = data.consumeInt(0, 3);
    String protocol =
        ((kind & 1) == 0)
            ? ClientConnection.PROTOBUF_PROTOCOL
            : ClientConnection.PROTOBUF_RELIABLE_PROTOCOL;
    boolean text = (kind & 2) != 0;
    byte[] bytes = data.consumeRemainingAsBytes();
    Hub hub = new Hub("fuzz");
    ClientConnection connection =
        new ClientConnection("c1", hub, "user1", protocol, ROLES, 64, 1024 * 1024);
    hub.add(connection, List.of());
    ClientFrames.Frame frame = new ClientFrames.Frame(text, true, bytes);
    FRAMES.onFrame(connection, frame).block(Duration.ofSeconds(5));
    FRAMES.onFrame(connection, frame).block(Duration.ofSeconds(5));
    ClientConnection.Transport transport = connection.currentTransport();
    if (transport.closed) {
      assertThat(transport.closeStatus()).isEqualTo(1003);
    }
    connection.finish("fuzz input done");
  }
}
