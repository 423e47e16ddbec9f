package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/** A client that stops reading is closed with a reason; it never silently misses messages. */
class SlowClientIntegrationTests {

  private static final String PADDING_TEXT = "x".repeat(256 * 1024);

  /** Every message the same 256 KiB of text. */
  private static final IntFunction<String> PADDING = (i) -> PADDING_TEXT;

  /**
   * Sends text messages through the REST path (each answered 202) while the emulator still has
   * {@code connections} clients, at most {@code most} of them.
   *
   * @return how many were sent
   */
  private static int sendWhileConnected(
      WebPubSubEmulator emulator,
      String path,
      int connections,
      int most,
      IntFunction<String> message) {
    RestClient rest = new RestClient(emulator);
    int sent = 0;
    while (emulator.getConnectionCount() == connections && sent < most) {
      assertThat(rest.signed(HttpMethod.POST, path, "text/plain", message.apply(sent)).status())
          .isEqualTo(202);
      sent++;
    }
    return sent;
  }

  @Test
  void clientThatFallsBehindIsClosedWith1008AfterAnUnbrokenPrefixOfItsMessages() {
    try (WebPubSubEmulator emulator = WebPubSubEmulator.builder().maxQueuedMessages(16).start()) {
      String url = "http://localhost:" + emulator.getPort() + "/client/hubs/slow";
      String token =
          new TestJwt(emulator.getAccessKey()).clientToken(url, "s", List.of(), List.of(), 60);
      List<String> received = new CopyOnWriteArrayList<>();
      AtomicReference<WebSocketCloseStatus> status = new AtomicReference<>();
      Sinks.Empty<Void> gate = Sinks.empty();
      Disposable client =
          HttpClient.create()
              .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
              .uri(url.replace("http", "ws") + "?access_token=" + token)
              .handle(
                  (in, out) -> {
                    in.receiveCloseStatus().subscribe(status::set);
                    in.withConnection((c) -> c.channel().config().setAutoRead(false));
                    gate.asMono()
                        .subscribe(
                            null,
                            null,
                            () -> in.withConnection((c) -> c.channel().config().setAutoRead(true)));
                    return in.receiveFrames()
                        .map((frame) -> ByteBufUtil.getBytes(frame.content()))
                        .delayUntil((bytes) -> gate.asMono())
                        .doOnNext(
                            (bytes) -> {
                              String text = new String(bytes, StandardCharsets.UTF_8);
                              received.add(text.substring(0, text.indexOf(':')));
                            })
                        .then();
                  })
              .subscribe();
      await().until(() -> emulator.getConnectionCount() == 1);
      int sent =
          sendWhileConnected(
              emulator,
              "/api/hubs/slow/users/s/:send",
              1,
              2000,
              (i) -> "m" + i + ":" + PADDING_TEXT);
      assertThat(emulator.getConnectionCount()).isZero();
      gate.tryEmitEmpty();
      await().atMost(Duration.ofSeconds(10)).until(() -> status.get() != null);
      assertThat(status.get().code()).isEqualTo(1008);
      assertThat(status.get().reasonText()).contains("did not keep up");
      assertThat(received).isNotEmpty().hasSizeLessThan(sent);
      for (int i = 0; i < received.size(); i++) {
        assertThat(received.get(i)).isEqualTo("m" + i);
      }
      client.dispose();
    }
  }

  @Test
  void clientThatDoesNotReadIsClosedPastItsByteLimitWhileOthersKeepReceiving() {
    try (WebPubSubEmulator emulator =
        WebPubSubEmulator.builder().maxQueuedBytes(1024 * 1024).start()) {
      String url = "http://localhost:" + emulator.getPort() + "/client/hubs/bytes";
      TestJwt key = new TestJwt(emulator.getAccessKey());
      AtomicReference<WebSocketCloseStatus> status = new AtomicReference<>();
      Sinks.Empty<Void> gate = Sinks.empty();
      Disposable slow =
          HttpClient.create()
              .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
              .uri(
                  url.replace("http", "ws")
                      + "?access_token="
                      + key.clientToken(url, "slow", List.of(), List.of(), 60))
              .handle(
                  (in, out) -> {
                    in.receiveCloseStatus().subscribe(status::set);
                    in.withConnection((c) -> c.channel().config().setAutoRead(false));
                    gate.asMono()
                        .subscribe(
                            null,
                            null,
                            () -> in.withConnection((c) -> c.channel().config().setAutoRead(true)));
                    // Bounded demand: an unbounded subscriber would make Reactor Netty read.
                    return in.receiveFrames()
                        .map((frame) -> frame.content().readableBytes())
                        .delayUntil((bytes) -> gate.asMono())
                        .then();
                  })
              .subscribe();
      await().until(() -> emulator.getConnectionCount() == 1);
      TestClient fast =
          TestClient.connect(
              HttpClient.newConnection(),
              java.net.URI.create(
                  url.replace("http", "ws")
                      + "?access_token="
                      + key.clientToken(url, "fast", List.of(), List.of(), 60)),
              null,
              false);
      await().until(() -> emulator.getConnectionCount() == 2);
      RestClient rest = new RestClient(emulator);
      // 200 messages of 256 KiB (50 MiB) are far more than the socket buffers take: the count
      // limit (16,384) is never reached, only the byte limit can close the slow client.
      int sent = sendWhileConnected(emulator, "/api/hubs/bytes/:send", 2, 200, PADDING);
      assertThat(emulator.getConnectionCount()).isEqualTo(1);
      assertThat(sent).isLessThan(200);
      int sentBeforeClose = sent;
      await().until(() -> fast.count() == sentBeforeClose);
      rest.signed(HttpMethod.POST, "/api/hubs/bytes/:send", "text/plain", "still there");
      await().until(() -> fast.count() == sentBeforeClose + 1);
      assertThat(fast.isClosed()).isFalse();
      gate.tryEmitEmpty();
      await().atMost(Duration.ofSeconds(10)).until(() -> status.get() != null);
      assertThat(status.get().code()).isEqualTo(1008);
      assertThat(status.get().reasonText()).contains("did not keep up").contains("1048576 bytes");
      fast.close();
      slow.dispose();
    }
  }

  /**
   * A client that never reads cannot even be sent its close frame (its socket buffers are full):
   * the emulator ends its TCP connection anyway, two seconds after starting the close frame, so the
   * client's later writes fail instead of going into a connection nobody serves.
   */
  @Test
  void clientThatNeverReadsLosesItsConnectionSoonAfterItIsClosed() throws Exception {
    try (WebPubSubEmulator emulator =
        WebPubSubEmulator.builder().maxQueuedBytes(1024 * 1024).start()) {
      String url = "http://localhost:" + emulator.getPort() + "/client/hubs/deaf";
      String token =
          new TestJwt(emulator.getAccessKey()).clientToken(url, "deaf", List.of(), List.of(), 60);
      try (RawWebSocket client =
          RawWebSocket.connect(
              java.net.URI.create(url.replace("http", "ws") + "?access_token=" + token),
              TestClient.JSON_PROTOCOL)) {
        await().until(() -> emulator.getConnectionCount() == 1);
        sendWhileConnected(emulator, "/api/hubs/deaf/:send", 1, 400, PADDING);
        assertThat(emulator.getConnectionCount()).isZero();
        long closed = System.nanoTime();
        byte[] ping =
            RawWebSocket.frame(0x81, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
        // Writes go through while the emulator still holds the connection; once it has ended
        // it, the client's kernel is answered with a reset and a write fails.
        await()
            .atMost(Duration.ofSeconds(6))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> !client.trySend(ping));
        assertThat(Duration.ofNanos(System.nanoTime() - closed))
            .isGreaterThan(Duration.ofMillis(1500));
      }
    }
  }

  /**
   * A client that reads, however slowly, keeps its connection until it has read everything queued
   * before its close frame, and then the close frame: the emulator cuts off only a client that
   * makes no progress.
   */
  @Test
  void clientThatReadsSlowlyGetsEverythingQueuedAndItsCloseFrame() {
    try (WebPubSubEmulator emulator =
        WebPubSubEmulator.builder().maxQueuedBytes(1024 * 1024).start()) {
      String url = "http://localhost:" + emulator.getPort() + "/client/hubs/snail";
      String token =
          new TestJwt(emulator.getAccessKey()).clientToken(url, "snail", List.of(), List.of(), 60);
      AtomicReference<WebSocketCloseStatus> status = new AtomicReference<>();
      java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
      Disposable client =
          HttpClient.create()
              .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
              .uri(url.replace("http", "ws") + "?access_token=" + token)
              .handle(
                  (in, out) -> {
                    in.receiveCloseStatus().subscribe(status::set);
                    // One 256 KiB message every 200 ms (demand of one: Reactor Netty reads only
                    // as far as asked): slow, but always reading.
                    return in.receiveFrames()
                        .map((frame) -> frame.content().readableBytes())
                        .concatMap((size) -> Mono.delay(Duration.ofMillis(200)).thenReturn(size), 1)
                        .doOnNext(bytes::addAndGet)
                        .then();
                  })
              .subscribe();
      await().until(() -> emulator.getConnectionCount() == 1);
      sendWhileConnected(emulator, "/api/hubs/snail/:send", 1, 400, PADDING);
      assertThat(emulator.getConnectionCount()).isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> status.get() != null);
      assertThat(status.get().code()).isEqualTo(1008);
      assertThat(status.get().reasonText()).contains("did not keep up");
      assertThat(bytes.get()).isPositive();
      client.dispose();
    }
  }
}
