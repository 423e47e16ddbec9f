package io.github.webpubsub.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * An MQTT client at the byte level, for what real clients never send: packets are encoded with
 * Netty's MQTT codec and sent in the WebSocket frames the test chooses (split, several per frame,
 * text); what the emulator sends back is decoded with the same codec.
 */
final class RawMqttClient implements AutoCloseable {

  private final Sinks.Many<WebSocketFrame> outgoing = Sinks.many().unicast().onBackpressureBuffer();

  private final List<MqttMessage> received = new CopyOnWriteArrayList<>();

  private final AtomicReference<@Nullable WebSocketCloseStatus> closeStatus =
      new AtomicReference<>();

  private final Sinks.One<Boolean> open = Sinks.one();

  private volatile boolean closed;

  private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);

  private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(4 * 1024 * 1024));

  private final Disposable connection;

  private RawMqttClient(URI uri, MqttVersion version) {
    AttributeKey<MqttVersion> key = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");
    this.encoder.attr(key).set(version);
    this.decoder.attr(key).set(version);
    this.connection =
        HttpClient.newConnection()
            .websocket(
                WebsocketClientSpec.builder()
                    .protocols("mqtt")
                    .maxFramePayloadLength(4 * 1024 * 1024)
                    .build())
            .uri(uri)
            .handle(
                (in, out) -> {
                  in.receiveCloseStatus().subscribe(this.closeStatus::set);
                  this.open.tryEmitValue(true);
                  Mono<Void> rx =
                      in.receiveFrames()
                          .doOnNext(
                              (frame) -> {
                                if (frame instanceof BinaryWebSocketFrame
                                    || frame instanceof ContinuationWebSocketFrame) {
                                  decode(frame.content());
                                }
                              })
                          .then()
                          .doFinally((s) -> this.outgoing.tryEmitComplete());
                  Mono<Void> tx =
                      out.sendObject(this.outgoing.asFlux())
                          .then()
                          .onErrorResume((e) -> Mono.empty());
                  return Mono.when(rx, tx);
                })
            .doFinally((s) -> this.closed = true)
            .subscribe((ignored) -> {}, (error) -> this.open.tryEmitError(error));
  }

  /** Connects (WebSocket only: the test sends CONNECT) and waits for the upgrade. */
  static RawMqttClient connect(URI uri, MqttVersion version) {
    RawMqttClient client = new RawMqttClient(uri, version);
    client.open.asMono().block(Duration.ofSeconds(10));
    return client;
  }

  private synchronized void decode(ByteBuf content) {
    this.decoder.writeInbound(content.retain());
    Object message;
    while ((message = this.decoder.readInbound()) != null) {
      this.received.add((MqttMessage) message);
    }
  }

  /** The bytes of a packet, as Netty's encoder writes it. */
  byte[] encode(MqttMessage message) {
    this.encoder.writeOutbound(message);
    ByteBuf bytes = this.encoder.readOutbound();
    try {
      return ByteBufUtil.getBytes(bytes);
    } finally {
      bytes.release();
    }
  }

  /** Sends a packet in one binary frame. */
  void send(MqttMessage message) {
    sendFrames(encode(message));
  }

  /** Sends each array as one binary frame. */
  void sendFrames(byte[]... frames) {
    for (byte[] frame : frames) {
      this.outgoing.tryEmitNext(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame)));
    }
  }

  void sendText(String text) {
    this.outgoing.tryEmitNext(new TextWebSocketFrame(text));
  }

  List<MqttMessage> received() {
    return this.received;
  }

  boolean isClosed() {
    return this.closed;
  }

  @Nullable WebSocketCloseStatus closeStatus() {
    return this.closeStatus.get();
  }

  @Override
  public void close() {
    this.outgoing.tryEmitComplete();
    this.connection.dispose();
    this.encoder.finishAndReleaseAll();
    this.decoder.finishAndReleaseAll();
  }
}
