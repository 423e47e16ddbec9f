package io.github.webpubsub.emulator.boot.test;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One real WebSocket client of the emulator (Reactor Netty), speaking plain WebSocket, {@code
 * json.webpubsub.azure.v1}, {@code json.reliable.webpubsub.azure.v1}, {@code
 * protobuf.webpubsub.azure.v1} or {@code protobuf.reliable.webpubsub.azure.v1}, that records what
 * it receives. A protobuf client has the same API: its requests go as binary {@code
 * UpstreamMessage} frames and what it receives is recorded in the JSON protocols' form. Get one
 * from {@link WebPubSubTestClients#connect}; methods that send a request with an {@code ackId} wait
 * for the ack and return it.
 *
 * <pre>{@code
 * WebPubSubTestClient alice = clients.connect(ClientAccessOptions.forUser("alice").groups("lobby"));
 * JsonNode message = alice.awaitMessage(Duration.ofSeconds(5));
 * assertThat(message.get("group").asString()).isEqualTo("lobby");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class WebPubSubTestClient implements AutoCloseable {

  /** The WebSocket subprotocol a client speaks. */
  public enum Protocol {
    /** No subprotocol: messages arrive as bare text or binary frames. */
    PLAIN(null),
    /** {@code json.webpubsub.azure.v1}. */
    JSON("json.webpubsub.azure.v1"),
    /** {@code json.reliable.webpubsub.azure.v1}; the client acknowledges every sequence id. */
    RELIABLE_JSON("json.reliable.webpubsub.azure.v1"),
    /**
     * {@code protobuf.webpubsub.azure.v1}: binary frames; received messages are recorded in the
     * JSON protocols' form (JSON data as {@code json}, binary as base64).
     */
    PROTOBUF("protobuf.webpubsub.azure.v1"),
    /** {@code protobuf.reliable.webpubsub.azure.v1}; the client acknowledges every sequence id. */
    RELIABLE_PROTOBUF("protobuf.reliable.webpubsub.azure.v1");

    private final @Nullable String subprotocol;

    Protocol(@Nullable String subprotocol) {
      this.subprotocol = subprotocol;
    }

    /**
     * The subprotocol offered in the handshake.
     *
     * @return the subprotocol, {@code null} for {@link #PLAIN}
     */
    public @Nullable String subprotocol() {
      return this.subprotocol;
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Protocol protocol;

  private final Duration timeout;

  private final List<JsonNode> frames = new CopyOnWriteArrayList<>();

  private final List<JsonNode> messages = new CopyOnWriteArrayList<>();

  private final BlockingQueue<JsonNode> unread = new LinkedBlockingQueue<>();

  private final Map<Long, CompletableFuture<JsonNode>> acks = new ConcurrentHashMap<>();

  private final AtomicLong ackIds = new AtomicLong();

  /** Text frames ({@code String}) and binary ones ({@code byte[]}) to send. */
  private final Sinks.Many<Object> outgoing = Sinks.many().unicast().onBackpressureBuffer();

  private final CompletableFuture<@Nullable JsonNode> connected = new CompletableFuture<>();

  private final CompletableFuture<@Nullable Void> closed = new CompletableFuture<>();

  private final Disposable connection;

  private volatile boolean closing;

  private WebPubSubTestClient(String url, Protocol protocol, Duration timeout) {
    this.protocol = protocol;
    this.timeout = timeout;
    WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder();
    if (protocol.subprotocol() != null) {
      spec.protocols(protocol.subprotocol());
    }
    this.connection =
        HttpClient.create()
            .websocket(spec.build())
            .uri(URI.create(url))
            .handle(
                (in, out) -> {
                  if (protocol == Protocol.PLAIN) {
                    this.connected.complete(null);
                  }
                  Mono<Void> receive =
                      in.aggregateFrames().receiveFrames().doOnNext(this::received).then();
                  Mono<Void> send =
                      out.sendObject(
                              this.outgoing
                                  .asFlux()
                                  .map(
                                      (frame) ->
                                          (frame instanceof byte[] bytes)
                                              ? new BinaryWebSocketFrame(
                                                  io.netty.buffer.Unpooled.wrappedBuffer(bytes))
                                              : new TextWebSocketFrame((String) frame)))
                          .then()
                          .then(out.sendClose(1000, "closed by the test"));
                  return Mono.when(receive, send);
                })
            .doFinally((signal) -> this.closed.complete(null))
            .subscribe(
                (ignored) -> {},
                (error) -> {
                  this.connected.completeExceptionally(error);
                  this.closed.complete(null);
                },
                () ->
                    this.connected.completeExceptionally(
                        new IllegalStateException(
                            "The connection closed before it was connected")));
  }

  static WebPubSubTestClient connect(String url, Protocol protocol, Duration timeout) {
    WebPubSubTestClient client = new WebPubSubTestClient(url, protocol, timeout);
    try {
      client.connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return client;
    } catch (ExecutionException ex) {
      client.close();
      if (ex.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("Could not connect: " + ex.getCause(), ex.getCause());
    } catch (TimeoutException ex) {
      client.close();
      throw new AssertionError("Not connected within " + timeout, ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      client.close();
      throw new IllegalStateException(ex);
    }
  }

  private void received(WebSocketFrame frame) {
    JsonNode node;
    if (frame instanceof TextWebSocketFrame text) {
      node = parse(text.text());
    } else if (frame instanceof BinaryWebSocketFrame binary && isProtobuf()) {
      byte[] bytes = ByteBufUtil.getBytes(binary.content());
      try {
        node = ProtobufMessages.downstream(JSON, bytes);
      } catch (com.google.protobuf.InvalidProtocolBufferException | JacksonException ex) {
        node = ProtobufMessages.undecodable(JSON, bytes);
      }
    } else if (frame instanceof BinaryWebSocketFrame binary) {
      node = JsonNodeFactory.instance.binaryNode(ByteBufUtil.getBytes(binary.content()));
    } else {
      return;
    }
    this.frames.add(node);
    if (this.protocol == Protocol.PLAIN) {
      message(node);
      return;
    }
    String type = node.path("type").asString("");
    switch (type) {
      case "system" -> {
        if ("connected".equals(node.path("event").asString(""))) {
          this.connected.complete(node);
        }
      }
      case "ack" -> {
        CompletableFuture<JsonNode> ack = this.acks.get(node.path("ackId").asLong());
        if (ack != null) {
          ack.complete(node);
        }
      }
      case "message" -> {
        message(node);
        if ((this.protocol == Protocol.RELIABLE_JSON || this.protocol == Protocol.RELIABLE_PROTOBUF)
            && node.has("sequenceId")) {
          emit(
              JSON.createObjectNode()
                  .put("type", "sequenceAck")
                  .put("sequenceId", node.get("sequenceId").asLong()));
        }
      }
      default -> {}
    }
  }

  private void message(JsonNode node) {
    this.messages.add(node);
    this.unread.add(node);
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JacksonException ex) {
      return JsonNodeFactory.instance.stringNode(text);
    }
  }

  /**
   * The protocol this client speaks.
   *
   * @return the protocol
   */
  public Protocol getProtocol() {
    return this.protocol;
  }

  /**
   * The connection id from the {@code connected} system message.
   *
   * @return the id, {@code null} for a {@link Protocol#PLAIN} client, which is not told it
   */
  public @Nullable String getConnectionId() {
    JsonNode connected = this.connected.getNow(null);
    return (connected != null) ? connected.path("connectionId").asString(null) : null;
  }

  /**
   * The user id from the {@code connected} system message.
   *
   * @return the user id, {@code null} for an anonymous or a {@link Protocol#PLAIN} client
   */
  public @Nullable String getUserId() {
    JsonNode connected = this.connected.getNow(null);
    return (connected != null) ? connected.path("userId").asString(null) : null;
  }

  /**
   * Every message received so far, in order: frames of type {@code message} for the JSON protocols;
   * every frame for a plain client (JSON text parsed, other text as a string node, binary as a
   * binary node).
   *
   * @return a copy of the messages
   */
  public List<JsonNode> messages() {
    return List.copyOf(this.messages);
  }

  /**
   * Every frame received so far, system messages and acks included.
   *
   * @return a copy of the frames
   */
  public List<JsonNode> frames() {
    return List.copyOf(this.frames);
  }

  /**
   * Waits for the next message not returned by this method before.
   *
   * @param timeout how long to wait
   * @return the message (see {@link #messages()})
   * @throws AssertionError when none arrives in time
   */
  public JsonNode awaitMessage(Duration timeout) {
    try {
      JsonNode message = this.unread.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) {
        throw new AssertionError(
            "No message within " + timeout + "; frames received: " + this.frames);
      }
      return message;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    }
  }

  /**
   * Joins a group ({@code joinGroup}; needs the {@code webpubsub.joinLeaveGroup} role).
   *
   * @param group the group
   * @return the ack, e.g. {@code {"type":"ack","ackId":1,"success":true}}
   */
  public JsonNode joinGroup(String group) {
    return request(JSON.createObjectNode().put("type", "joinGroup").put("group", group));
  }

  /**
   * Leaves a group ({@code leaveGroup}).
   *
   * @param group the group
   * @return the ack
   */
  public JsonNode leaveGroup(String group) {
    return request(JSON.createObjectNode().put("type", "leaveGroup").put("group", group));
  }

  /**
   * Sends to a group directly ({@code sendToGroup}; needs the {@code webpubsub.sendToGroup} role).
   *
   * @param group the group
   * @param data a {@code String} (text), {@code byte[]} (binary) or anything else (JSON)
   * @return the ack
   */
  public JsonNode sendToGroup(String group, Object data) {
    return request(
        data(JSON.createObjectNode().put("type", "sendToGroup").put("group", group), data));
  }

  /**
   * Sends a user event to the application's event handler ({@code event}).
   *
   * @param event the event name
   * @param data a {@code String} (text), {@code byte[]} (binary) or anything else (JSON)
   * @return the ack; the application's answer, if any, arrives as a message
   */
  public JsonNode sendEvent(String event, Object data) {
    return request(data(JSON.createObjectNode().put("type", "event").put("event", event), data));
  }

  /**
   * Sends a text frame as is; a plain client's frames reach the application as {@code message}
   * events (a protobuf client that sends one is declined by the emulator, as the service does).
   *
   * @param text the frame's text
   */
  public void send(String text) {
    emit(text);
  }

  private static ObjectNode data(ObjectNode frame, Object data) {
    if (data instanceof String text) {
      return frame.put("dataType", "text").put("data", text);
    }
    if (data instanceof byte[] bytes) {
      return frame.put("dataType", "binary").put("data", bytes);
    }
    frame.put("dataType", "json");
    frame.set("data", (data instanceof JsonNode node) ? node : JSON.valueToTree(data));
    return frame;
  }

  private JsonNode request(ObjectNode frame) {
    if (this.protocol == Protocol.PLAIN) {
      throw new IllegalStateException("A plain WebSocket client cannot send " + frame);
    }
    long ackId = this.ackIds.incrementAndGet();
    CompletableFuture<JsonNode> ack = new CompletableFuture<>();
    this.acks.put(ackId, ack);
    emit(frame.put("ackId", ackId));
    try {
      return ack.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException ex) {
      throw new AssertionError("No ack within " + this.timeout + " for " + frame, ex);
    } catch (ExecutionException ex) {
      throw new IllegalStateException(ex.getCause());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    } finally {
      this.acks.remove(ackId);
    }
  }

  private boolean isProtobuf() {
    return this.protocol == Protocol.PROTOBUF || this.protocol == Protocol.RELIABLE_PROTOBUF;
  }

  /** Sends a request given in its JSON form: as JSON text, or as a protobuf binary frame. */
  private void emit(ObjectNode request) {
    if (isProtobuf()) {
      emitFrame(ProtobufMessages.upstream(request));
    } else {
      emitFrame(request.toString());
    }
  }

  private void emit(String text) {
    emitFrame(text);
  }

  private void emitFrame(Object frame) {
    if (this.closing) {
      throw new IllegalStateException("The client is closed");
    }
    this.outgoing.emitNext(frame, Sinks.EmitFailureHandler.busyLooping(this.timeout));
  }

  /**
   * Whether the connection has ended (closed by either side).
   *
   * @return {@code true} once closed
   */
  public boolean isClosed() {
    return this.closed.isDone();
  }

  /**
   * Closes the connection with a close frame (1000) and waits until the server closed it too, so
   * that a reliable client's session ends at once instead of waiting for a reconnection.
   */
  @Override
  public void close() {
    if (!this.closing) {
      this.closing = true;
      this.outgoing.emitComplete(Sinks.EmitFailureHandler.busyLooping(this.timeout));
    }
    try {
      this.closed.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException ex) {
      // the server did not answer the close frame: drop the connection
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } finally {
      this.connection.dispose();
    }
  }

  @Override
  public String toString() {
    return "WebPubSubTestClient[protocol="
        + this.protocol
        + ", connectionId="
        + getConnectionId()
        + ", userId="
        + getUserId()
        + "]";
  }
}
