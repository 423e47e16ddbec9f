package io.github.webpubsub.samples.chat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Reactor Netty WebSocket client speaking {@code json.webpubsub.azure.v1}, the way the page does,
 * that records every frame it receives.
 */
final class ChatClient implements AutoCloseable {

  static final String JSON_PROTOCOL = "json.webpubsub.azure.v1";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final List<JsonNode> frames = new CopyOnWriteArrayList<>();

  private final Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();

  private final Sinks.One<String> opened = Sinks.one();

  private final AtomicInteger ackIds = new AtomicInteger();

  private final Disposable connection;

  private ChatClient(String url) {
    this.connection =
        HttpClient.create()
            .websocket(WebsocketClientSpec.builder().protocols(JSON_PROTOCOL).build())
            .uri(URI.create(url))
            .handle(
                (in, out) -> {
                  String protocol = in.selectedSubprotocol();
                  this.opened.tryEmitValue((protocol != null) ? protocol : "");
                  Mono<Void> receive =
                      in.receive()
                          .asString()
                          .doOnNext((text) -> this.frames.add(JSON.readTree(text)))
                          .then();
                  Mono<Void> send = out.sendString(this.outgoing.asFlux()).then();
                  return Mono.when(receive, send);
                })
            .subscribe((ignored) -> {}, this.opened::tryEmitError);
  }

  /**
   * Connects and waits for the upgrade.
   *
   * @return the client, with the negotiated subprotocol checked
   */
  static ChatClient connect(String url) {
    ChatClient client = new ChatClient(url);
    String protocol = client.opened.asMono().block(Duration.ofSeconds(10));
    if (!JSON_PROTOCOL.equals(protocol)) {
      client.close();
      throw new IllegalStateException("Negotiated subprotocol '" + protocol + "'");
    }
    return client;
  }

  /** Sends a {@code message} event with text data, the frame the page sends; returns its ackId. */
  int sendMessageEvent(String text) {
    int ackId = this.ackIds.incrementAndGet();
    ObjectNode frame = JSON.createObjectNode();
    frame
        .put("type", "event")
        .put("event", "message")
        .put("ackId", ackId)
        .put("dataType", "text")
        .put("data", text);
    this.outgoing.tryEmitNext(frame.toString());
    return ackId;
  }

  /** Every frame received so far, parsed. */
  List<JsonNode> frames() {
    return List.copyOf(this.frames);
  }

  /** The {@code data} of every JSON group message received so far. */
  List<JsonNode> groupMessages() {
    return this.frames.stream()
        .filter((f) -> "message".equals(f.path("type").asString()))
        .filter((f) -> "group".equals(f.path("from").asString()))
        .map((f) -> f.get("data"))
        .toList();
  }

  static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  @Override
  public void close() {
    this.outgoing.tryEmitComplete();
    this.connection.dispose();
  }
}
