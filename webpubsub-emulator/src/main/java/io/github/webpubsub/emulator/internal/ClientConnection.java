package io.github.webpubsub.emulator.internal;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.node.ObjectNode;

/**
 * One WebSocket client: identity, roles, groups and a bounded outbound queue. A client that falls
 * more than the queue's capacity behind is closed with a reason, never silently skipped.
 */
final class ClientConnection implements Filter.Subject {

  static final String JSON_PROTOCOL = "json.webpubsub.azure.v1";

  private final String id;

  private final Hub hub;

  private final @Nullable String protocol;

  private final int queueCapacity;

  private volatile @Nullable String userId;

  private volatile @Nullable String connectionState;

  private final Set<String> roles = ConcurrentHashMap.newKeySet();

  private final Set<String> groups = ConcurrentHashMap.newKeySet();

  private final AtomicLong eventIds = new AtomicLong();

  private final java.util.concurrent.atomic.AtomicInteger queued =
      new java.util.concurrent.atomic.AtomicInteger();

  private final Sinks.Many<OutboundMessage> outbound;

  private final Sinks.Empty<Void> abort = Sinks.empty();

  private volatile int closeStatus = 1000;

  private volatile String closeReason = "";

  private volatile boolean closed;

  private final java.util.concurrent.atomic.AtomicBoolean terminated =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final Sinks.Empty<Void> gone = Sinks.empty();

  ClientConnection(
      String id,
      Hub hub,
      @Nullable String userId,
      @Nullable String protocol,
      Set<String> roles,
      int queueCapacity) {
    this.id = id;
    this.hub = hub;
    this.userId = userId;
    this.protocol = protocol;
    this.roles.addAll(roles);
    this.queueCapacity = queueCapacity;
    // A linked queue grows with use; a bounded array queue would cost 64 KB per idle client.
    this.outbound =
        Sinks.many().unicast().onBackpressureBuffer(Queues.<OutboundMessage>unbounded(16).get());
  }

  @Override
  public String connectionId() {
    return this.id;
  }

  @Override
  public @Nullable String userId() {
    return this.userId;
  }

  @Override
  public Set<String> groups() {
    return this.groups;
  }

  @Override
  public @Nullable String protocol() {
    return this.protocol;
  }

  Hub hub() {
    return this.hub;
  }

  boolean isJson() {
    return this.protocol != null;
  }

  Set<String> roles() {
    return this.roles;
  }

  long nextEventId() {
    return this.eventIds.getAndIncrement();
  }

  @Nullable String connectionState() {
    return this.connectionState;
  }

  void connectionState(@Nullable String state) {
    if (state != null) {
      this.connectionState = state.isEmpty() ? null : state;
    }
  }

  int closeStatus() {
    return this.closeStatus;
  }

  String closeReason() {
    return this.closeReason;
  }

  boolean canJoinOrLeave(String group) {
    return Permissions.allows(this.roles, "webpubsub.joinLeaveGroup", group);
  }

  boolean canSendTo(String group) {
    return Permissions.allows(this.roles, "webpubsub.sendToGroup", group);
  }

  /** Queues a message; a full queue closes the client (1008) instead of dropping the message. */
  void deliver(OutboundMessage message) {
    if (!isJson() && message.rawBytes() == null) {
      return;
    }
    boolean overflow;
    synchronized (this) {
      if (this.closed) {
        return;
      }
      overflow = this.queued.get() >= this.queueCapacity;
      if (!overflow) {
        this.queued.incrementAndGet();
        this.outbound.tryEmitNext(message);
      }
    }
    if (overflow) {
      abort(
          1008,
          "Connection closed: the client did not keep up with its messages ("
              + this.queueCapacity
              + " queued)");
    }
  }

  void deliverProtocol(ObjectNode message) {
    if (isJson()) {
      deliver(OutboundMessage.protocolOnly(message));
    }
  }

  /**
   * Closes after every queued message has been written; JSON clients get a disconnected message.
   */
  void close(int status, String reason) {
    ObjectNode disconnected = Json.MAPPER.createObjectNode();
    disconnected.put("type", "system");
    disconnected.put("event", "disconnected");
    disconnected.put("message", reason);
    deliverProtocol(disconnected);
    synchronized (this) {
      if (this.closed) {
        return;
      }
      this.closed = true;
      this.closeStatus = status;
      this.closeReason = reason;
      this.outbound.tryEmitComplete();
    }
  }

  /** Closes at once, discarding queued messages (the client is told why in the close frame). */
  void abort(int status, String reason) {
    this.hub.remove(this);
    synchronized (this) {
      if (!this.closed) {
        this.closed = true;
        this.closeStatus = status;
        this.closeReason = reason;
      }
    }
    this.abort.tryEmitEmpty();
  }

  /** Marks the session as ended; true only for the first caller. */
  boolean markTerminated() {
    boolean first = this.terminated.compareAndSet(false, true);
    if (first) {
      this.gone.tryEmitEmpty();
    }
    return first;
  }

  /** Completes when the session has ended. */
  reactor.core.publisher.Mono<Void> whenTerminated() {
    return this.gone.asMono();
  }

  void userId(@Nullable String userId) {
    this.userId = userId;
  }

  /** The frames to write, ending when the connection closes. */
  Flux<WebSocketFrame> frames() {
    return this.outbound
        .asFlux()
        .doOnNext((message) -> this.queued.decrementAndGet())
        .takeUntilOther(this.abort.asMono())
        .map(this::toFrame);
  }

  private WebSocketFrame toFrame(OutboundMessage message) {
    if (isJson()) {
      return new TextWebSocketFrame(Unpooled.wrappedBuffer(message.jsonBytes()));
    }
    byte[] raw = message.rawBytes();
    if (message.rawText()) {
      return new TextWebSocketFrame(Unpooled.wrappedBuffer(raw));
    }
    return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(raw));
  }

  @Override
  public String toString() {
    return "ClientConnection[" + this.id + "]";
  }
}
