package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;

/** The WebSocket protocol (RFC 6455) at its edges: close reasons, message size, reserved bits. */
class WebSocketProtocolIntegrationTests {

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator = new WebPubSubEmulatorExtension();

  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    this.clients.forEach(TestClient::close);
  }

  private static String clientUrl(String hub) {
    return "http://localhost:" + emulator.getEmulator().getPort() + "/client/hubs/" + hub;
  }

  private static URI clientUri(String hub, String userId) {
    String token =
        new TestJwt(emulator.getEmulator().getAccessKey())
            .clientToken(clientUrl(hub), userId, List.of(), List.of(), 60);
    return URI.create(clientUrl(hub).replace("http", "ws") + "?access_token=" + token);
  }

  private TestClient connect(String hub, String protocol) {
    TestClient client = TestClient.connect(clientUri(hub, "u"), protocol);
    this.clients.add(client);
    await().until(() -> !client.frames().isEmpty());
    return client;
  }

  /**
   * Sends the frames as a JSON client and returns how the emulator closed the connection; fails if
   * the emulator logged anything for it (the client's fault is answered by the close status alone).
   */
  private static WebSocketCloseStatus closeAfter(WebSocketFrame... frames) {
    try (LogCapture log = new LogCapture()) {
      WebSocketCloseStatus status = sendAndReadCloseStatus(frames);
      assertNothingLoggedFor(log);
      return status;
    }
  }

  /**
   * Nothing logged by the emulator, also in the moments after the client has gone (a connection
   * that ends with a message half aggregated is reported then).
   */
  private static void assertNothingLoggedFor(LogCapture log) {
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(log.lines()).isEmpty());
  }

  private static WebSocketCloseStatus sendAndReadCloseStatus(WebSocketFrame... frames) {
    AtomicReference<WebSocketCloseStatus> status = new AtomicReference<>();
    HttpClient.create()
        .websocket(
            WebsocketClientSpec.builder()
                .protocols(TestClient.JSON_PROTOCOL)
                .maxFramePayloadLength(2 * 1024 * 1024)
                .build())
        .uri(clientUri("frames", "f"))
        .handle(
            // Read while writing, as a real client does: the server may answer (and close) before
            // the last byte of a large frame is sent, and a send cut short by that close is not the
            // subject of these tests.
            (in, out) ->
                Mono.when(
                    out.sendObject(Flux.just(frames)).then().onErrorResume((ex) -> Mono.empty()),
                    in.receiveCloseStatus().doOnNext(status::set)))
        .blockLast(Duration.ofSeconds(10));
    return status.get();
  }

  private static String text(int length) {
    return "x".repeat(length);
  }

  @Test
  void restCloseReasonIsCutTo123BytesOnACharacterBoundary() {
    TestClient client = connect("close", TestClient.JSON_PROTOCOL);
    String id = client.json().get(0).get("connectionId").asString();
    // 122 ASCII bytes, then a 2-byte character that would end at byte 124: it is left out.
    String reason = "a".repeat(122) + "é" + "b".repeat(2877);
    String encoded = "a".repeat(122) + "%C3%A9" + "b".repeat(2877);
    assertThat(
            new RestClient(emulator.getEmulator())
                .signed(
                    HttpMethod.DELETE,
                    "/api/hubs/close/connections/" + id + "?reason=" + encoded,
                    null,
                    null)
                .status())
        .isEqualTo(204);
    await().until(() -> client.closeStatus() != null);
    assertThat(client.closeStatus().code()).isEqualTo(1000);
    assertThat(client.closeStatus().reasonText()).isEqualTo("a".repeat(122));
    JsonNode disconnected = client.json().get(1);
    assertThat(disconnected.get("event").asString()).isEqualTo("disconnected");
    assertThat(disconnected.get("message").asString()).isEqualTo(reason);
  }

  @Test
  void fragmentedMessageAboveOneMebibyteIsClosedWith1009() {
    WebSocketCloseStatus status =
        closeAfter(
            new TextWebSocketFrame(false, 0, text(600 * 1024)),
            new ContinuationWebSocketFrame(true, 0, text(600 * 1024)));
    assertThat(status).isNotNull();
    assertThat(status.code()).isEqualTo(1009);
  }

  @Test
  void frameAboveOneMebibyteIsClosedWith1009() {
    WebSocketCloseStatus status = closeAfter(new TextWebSocketFrame(text(1024 * 1024 + 1)));
    assertThat(status).isNotNull();
    assertThat(status.code()).isEqualTo(1009);
  }

  @Test
  void frameWithReservedBitSetIsClosedWith1002() {
    WebSocketCloseStatus status =
        closeAfter(new TextWebSocketFrame(true, 4, "{\"type\":\"ping\"}"));
    assertThat(status).isNotNull();
    assertThat(status.code()).isEqualTo(1002);
  }

  @Test
  void continuationFrameWithReservedBitSetIsClosedWith1002() {
    WebSocketCloseStatus status =
        closeAfter(
            new TextWebSocketFrame(false, 0, "{\"type\":"),
            new ContinuationWebSocketFrame(
                true, 4, Unpooled.copiedBuffer("\"ping\"}", StandardCharsets.UTF_8)));
    assertThat(status).isNotNull();
    assertThat(status.code()).isEqualTo(1002);
  }

  /** Messages the emulator refuses while the client is still sending them (or what follows). */
  static Stream<Arguments> refusedWhileTheClientIsStillSending() {
    byte[] aboveLimit = text(1024 * 1024 + 1).getBytes(StandardCharsets.UTF_8);
    byte[] part = text(600 * 1024).getBytes(StandardCharsets.UTF_8);
    byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
    byte[] mebibyte = new byte[1024 * 1024];
    return Stream.of(
        // Netty's decoder refuses these at the frame header and writes the close frame itself.
        Arguments.of("a frame above 1 MiB", RawWebSocket.frame(0x81, aboveLimit), 1009),
        Arguments.of(
            "an unmasked frame, then 1 MiB",
            RawWebSocket.concat(
                RawWebSocket.frame(0x81, ping, false), RawWebSocket.frame(0x82, mebibyte)),
            1002),
        // The emulator refuses these and closes through Reactor Netty's sendClose.
        Arguments.of(
            "a message above 1 MiB in three fragments",
            RawWebSocket.concat(
                RawWebSocket.frame(0x01, part),
                RawWebSocket.frame(0x00, part),
                RawWebSocket.frame(0x80, part)),
            1009),
        Arguments.of(
            "a reserved bit, then 1 MiB",
            RawWebSocket.concat(RawWebSocket.frame(0xC1, ping), RawWebSocket.frame(0x82, mebibyte)),
            1002));
  }

  /**
   * A client that writes its whole message before it reads (a blocking client, or any client whose
   * message is still on the network when the emulator refuses it) gets the close status too: the
   * emulator reads on after its close frame and then ends the connection with a FIN. Closing at
   * once with the client's bytes unread made its kernel send a TCP reset: the client's write
   * failed, and a client that handles that before it reads (Netty's does) lost the close frame.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedWhileTheClientIsStillSending")
  void clientThatSendsEverythingBeforeReadingGetsTheCloseStatus(
      String message, byte[] bytes, int status) throws IOException {
    try (LogCapture log = new LogCapture()) {
      try (RawWebSocket client =
          RawWebSocket.connect(clientUri("inflight", "r"), TestClient.JSON_PROTOCOL)) {
        assertThat(client.sendAll(bytes)).as("the write of " + message).isNull();
        assertThat(client.readCloseStatus()).isEqualTo(status);
        assertThat(client.endsInOrder()).as("a FIN after the close frame").isTrue();
      }
      assertNothingLoggedFor(log);
    }
  }

  /** A client that goes away in the middle of a fragmented message leaves nothing in the log. */
  @Test
  void clientThatDropsInTheMiddleOfAFragmentedMessageIsNotLogged() throws IOException {
    try (LogCapture log = new LogCapture()) {
      try (RawWebSocket client =
          RawWebSocket.connect(clientUri("inflight", "d"), TestClient.JSON_PROTOCOL)) {
        byte[] start = "{\"type\":\"sendToGroup\",".getBytes(StandardCharsets.UTF_8);
        assertThat(client.sendAll(RawWebSocket.frame(0x01, start))).isNull();
      }
      assertNothingLoggedFor(log);
    }
  }

  /**
   * The emulator reads on after its close frame only for a moment: a client that keeps sending is
   * cut off about a second later, however much it still had to send.
   */
  @Test
  void clientThatKeepsSendingAfterTheCloseFrameIsCutOffWithinSeconds() throws IOException {
    try (RawWebSocket client =
        RawWebSocket.connect(clientUri("inflight", "k"), TestClient.JSON_PROTOCOL)) {
      // The header of a 64 MiB binary frame (length 0x04000000, zero mask key), then bytes for as
      // long as the emulator takes them.
      byte[] announced = {(byte) 0x82, (byte) 0xFF, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0, 0, 0};
      byte[] chunk = new byte[64 * 1024];
      long start = System.nanoTime();
      boolean cutOff =
          assertTimeoutPreemptively(
              Duration.ofSeconds(20),
              () -> {
                if (!client.trySend(announced)) {
                  return true;
                }
                while (System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
                  if (!client.trySend(chunk)) {
                    return true;
                  }
                }
                return false;
              });
      assertThat(cutOff).as("the emulator ended the connection").isTrue();
      // About a second of reading on, with room for a loaded machine.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void restTextBodyThatIsNotUtf8IsRefusedWith400AndBinaryIsAccepted() {
    TestClient client = connect("utf8", TestClient.JSON_PROTOCOL);
    RestClient rest = new RestClient(emulator.getEmulator());
    String path = "/api/hubs/utf8/:send";
    byte[] invalid = {'o', 'k', (byte) 0xC3, '('};
    RestClient.Answer refused =
        rest.call(
            HttpMethod.POST,
            path,
            RestClient.token(
                new TestJwt(emulator.getEmulator().getAccessKey()), rest.base() + path, 60),
            "text/plain",
            invalid);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.headers().get("x-ms-error-code")).isEqualTo("Error.InvalidUtf8");
    RestClient.Answer binary =
        rest.call(
            HttpMethod.POST,
            path,
            RestClient.token(
                new TestJwt(emulator.getEmulator().getAccessKey()), rest.base() + path, 60),
            "application/octet-stream",
            invalid);
    assertThat(binary.status()).isEqualTo(202);
    await().until(() -> client.frames().size() == 2);
    assertThat(client.json().get(1).get("dataType").asString()).isEqualTo("binary");
  }
}
