package io.github.webpubsub.emulator;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real Reactor Netty WebSocket client that records every frame it receives. */
final class TestClient implements AutoCloseable {

  static final JsonMapper JSON = JsonMapper.builder().build();

  static final String JSON_PROTOCOL = "json.webpubsub.azure.v1";

  static final String RELIABLE_PROTOCOL = "json.reliable.webpubsub.azure.v1";

  /** A received data frame. */
  record Frame(boolean text, byte[] bytes) {

    String asText() {
      return new String(this.bytes, StandardCharsets.UTF_8);
    }

    JsonNode asJson() {
      return JSON.readTree(this.bytes);
    }
  }

  private final List<Frame> frames = new CopyOnWriteArrayList<>();

  private final AtomicInteger count = new AtomicInteger();

  private final boolean record;

  /** Text ({@code String}) and binary ({@code byte[]}) messages to send. */
  private final Sinks.Many<Object> outgoing = Sinks.many().unicast().onBackpressureBuffer();

  private final AtomicReference<@Nullable WebSocketCloseStatus> closeStatus =
      new AtomicReference<>();

  private final AtomicReference<@Nullable String> subprotocol = new AtomicReference<>();

  private final Sinks.One<Boolean> open = Sinks.one();

  private final Sinks.Empty<Void> closed = Sinks.empty();

  private final java.util.concurrent.atomic.AtomicBoolean finished =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final Disposable connection;

  private final AtomicReference<reactor.netty.@Nullable Connection> transport =
      new AtomicReference<>();

  private TestClient(HttpClient http, URI uri, @Nullable String protocol, boolean record) {
    this.record = record;
    WebsocketClientSpec.Builder spec =
        WebsocketClientSpec.builder().maxFramePayloadLength(2 * 1024 * 1024).handlePing(false);
    if (protocol != null) {
      spec.protocols(protocol);
    }
    this.connection =
        http.websocket(spec.build())
            .uri(uri)
            .handle(
                (in, out) -> {
                  this.subprotocol.set(in.selectedSubprotocol());
                  in.withConnection(this.transport::set);
                  in.receiveCloseStatus().subscribe(this.closeStatus::set);
                  this.open.tryEmitValue(true);
                  Mono<Void> rx =
                      in.aggregateFrames(2 * 1024 * 1024)
                          .receiveFrames()
                          .doOnNext(
                              (frame) -> {
                                if (frame instanceof TextWebSocketFrame
                                    || frame instanceof BinaryWebSocketFrame) {
                                  this.count.incrementAndGet();
                                  if (this.record) {
                                    this.frames.add(
                                        new Frame(
                                            frame instanceof TextWebSocketFrame,
                                            ByteBufUtil.getBytes(frame.content())));
                                  }
                                }
                              })
                          .then()
                          .doFinally((s) -> this.outgoing.tryEmitComplete());
                  Mono<Void> tx =
                      out.sendObject(
                              this.outgoing
                                  .asFlux()
                                  .map(
                                      (message) ->
                                          (message instanceof byte[] bytes)
                                              ? new BinaryWebSocketFrame(
                                                  io.netty.buffer.Unpooled.wrappedBuffer(bytes))
                                              : new TextWebSocketFrame((String) message)))
                          .then()
                          .then(
                              Mono.defer(
                                  () ->
                                      (this.closeStatus.get() == null)
                                          ? out.sendClose(1000, "Client closed")
                                          : Mono.<Void>empty()))
                          .onErrorResume((error) -> Mono.empty());
                  return Mono.when(rx, tx);
                })
            .doFinally(
                (s) -> {
                  this.finished.set(true);
                  this.closed.tryEmitEmpty();
                })
            .subscribe(
                (ignored) -> {},
                (error) -> {
                  this.open.tryEmitError(error);
                });
  }

  /** Connects and waits for the upgrade. */
  static TestClient connect(URI uri, @Nullable String protocol) {
    return connect(HttpClient.newConnection(), uri, protocol, true);
  }

  static TestClient connect(HttpClient http, URI uri, @Nullable String protocol, boolean record) {
    TestClient client = new TestClient(http, uri, protocol, record);
    client.open.asMono().block(Duration.ofSeconds(10));
    return client;
  }

  /** Starts connecting without waiting. */
  static TestClient start(HttpClient http, URI uri, @Nullable String protocol, boolean record) {
    return new TestClient(http, uri, protocol, record);
  }

  Mono<Boolean> opened() {
    return this.open.asMono();
  }

  /** The HTTP status of a refused upgrade, or 101 when it was accepted. */
  static int upgradeStatus(URI uri, @Nullable String protocol) {
    try {
      TestClient client = connect(uri, protocol);
      client.close();
      return 101;
    } catch (RuntimeException ex) {
      Throwable cause = ex;
      while (cause != null && !(cause instanceof WebSocketClientHandshakeException)) {
        cause = cause.getCause();
      }
      if (cause instanceof WebSocketClientHandshakeException handshake) {
        return handshake.response().status().code();
      }
      throw ex;
    }
  }

  void send(String text) {
    this.outgoing.tryEmitNext(text);
  }

  /** Sends a binary frame. */
  void send(byte[] bytes) {
    this.outgoing.tryEmitNext(bytes);
  }

  void send(JsonNode json) {
    send(json.toString());
  }

  List<Frame> frames() {
    return this.frames;
  }

  List<String> texts() {
    return this.frames.stream().map(Frame::asText).toList();
  }

  List<JsonNode> json() {
    return this.frames.stream().map(Frame::asJson).toList();
  }

  int count() {
    return this.count.get();
  }

  @Nullable String subprotocol() {
    return this.subprotocol.get();
  }

  @Nullable WebSocketCloseStatus closeStatus() {
    return this.closeStatus.get();
  }

  boolean isClosed() {
    return this.finished.get();
  }

  /** Cuts the TCP connection without a close frame, as a network failure does. */
  void drop() {
    reactor.netty.Connection current = this.transport.get();
    if (current != null) {
      current.channel().close();
    }
    this.closed.asMono().timeout(Duration.ofSeconds(5), Mono.empty()).block();
  }

  @Override
  public void close() {
    this.outgoing.tryEmitComplete();
    this.closed.asMono().timeout(Duration.ofSeconds(5), Mono.empty()).block();
    this.connection.dispose();
  }
}
