package io.github.webpubsub.emulator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.node.ObjectNode;

/**
 * One WebSocket client: identity, roles, groups and a bounded outbound queue. A client that falls
 * more than the queue's capacity behind is closed with a reason, never silently skipped.
 *
 * <p>It is longer than most classes here (about 450 lines) because the queue, the reliable session
 * (retained messages, sequence and ack ids) and the current transport change together under this
 * object's lock; split apart, they would have to share that lock across classes.
 */
final class ClientConnection implements Filter.Subject {

  static final String JSON_PROTOCOL = "json.webpubsub.azure.v1";

  static final String RELIABLE_PROTOCOL = "json.reliable.webpubsub.azure.v1";

  static final String PROTOBUF_PROTOCOL = "protobuf.webpubsub.azure.v1";

  static final String PROTOBUF_RELIABLE_PROTOCOL = "protobuf.reliable.webpubsub.azure.v1";

  /** The service keeps at most this many un-acked messages of a reliable client. */
  static final int MAX_RETAINED_MESSAGES = 1000;

  /** The service keeps at most this many bytes of un-acked messages of a reliable client. */
  static final long MAX_RETAINED_BYTES = 16L * 1024 * 1024;

  /** The most recent successful ackIds a reliable client's session remembers. */
  static final int ACK_ID_HISTORY = 10_000;

  private final String id;

  private final Hub hub;

  private final @Nullable String protocol;

  private final int queueCapacity;

  private final long maxQueuedBytes;

  private volatile @Nullable String userId;

  private volatile @Nullable String connectionState;

  private final Set<String> roles = ConcurrentHashMap.newKeySet();

  private final Set<String> groups = ConcurrentHashMap.newKeySet();

  private final AtomicLong eventIds = new AtomicLong();

  private volatile Transport transport = new Transport();

  private final boolean reliable;

  /** Speaks a protobuf subprotocol (binary frames of {@code DownstreamMessage}). */
  private final boolean protobuf;

  private final String reconnectionToken;

  /** Un-acked messages of a reliable client, oldest first (guarded by this). */
  private final ArrayDeque<OutboundMessage> retained = new ArrayDeque<>();

  private long retainedBytes;

  private long lastSequenceId;

  private final LinkedHashSet<Long> ackIds = new LinkedHashSet<>();

  private volatile java.util.function.Consumer<String> finishHook = (reason) -> {};

  /** Set when the server ended the session (close, overflow, expiry): no recovery after it. */
  private volatile boolean ended;

  private final java.util.concurrent.atomic.AtomicBoolean terminated =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final Sinks.Empty<Void> gone = Sinks.empty();

  ClientConnection(
      String id,
      Hub hub,
      @Nullable String userId,
      @Nullable String protocol,
      Set<String> roles,
      int queueCapacity,
      long maxQueuedBytes) {
    this.id = id;
    this.hub = hub;
    this.userId = userId;
    this.protocol = protocol;
    this.roles.addAll(roles);
    this.queueCapacity = queueCapacity;
    this.maxQueuedBytes = maxQueuedBytes;
    this.reliable =
        RELIABLE_PROTOCOL.equals(protocol) || PROTOBUF_RELIABLE_PROTOCOL.equals(protocol);
    this.protobuf =
        PROTOBUF_PROTOCOL.equals(protocol) || PROTOBUF_RELIABLE_PROTOCOL.equals(protocol);
    this.reconnectionToken = this.reliable ? Tokens.randomToken() : "";
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

  /** Speaks a Web PubSub subprotocol (JSON or protobuf), so gets acks and system messages. */
  boolean speaksProtocol() {
    return isJson() || this.protobuf;
  }

  /** Speaks a JSON subprotocol (an MQTT client has protocol {@code mqtt} but does not). */
  boolean isJson() {
    return JSON_PROTOCOL.equals(this.protocol) || RELIABLE_PROTOCOL.equals(this.protocol);
  }

  /** Speaks a protobuf subprotocol. */
  boolean isProtobuf() {
    return this.protobuf;
  }

  boolean isReliable() {
    return this.reliable;
  }

  String reconnectionToken() {
    return this.reconnectionToken;
  }

  boolean ended() {
    return this.ended;
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

  boolean canJoinOrLeave(String group) {
    return Permissions.allows(this.roles, "webpubsub.joinLeaveGroup", group);
  }

  boolean canSendTo(String group) {
    return Permissions.allows(this.roles, "webpubsub.sendToGroup", group);
  }

  /**
   * Queues a message; a full queue (by count or by bytes; a message always fits into an empty
   * queue) closes the client (1008) instead of dropping the message. A reliable client's data
   * message gets the next sequence id and is kept until the client acks it, also while the client
   * is away; more than the service's limit closes the session.
   */
  void deliver(OutboundMessage message) {
    if (!speaksProtocol() && message.rawBytes() == null) {
      return;
    }
    String overflow = null;
    synchronized (this) {
      if (this.ended) {
        return;
      }
      if (this.reliable && message.isData()) {
        long sequenceId = ++this.lastSequenceId;
        message =
            this.protobuf
                ? message.withProtobufSequenceId(sequenceId)
                : message.withSequenceId(sequenceId);
        this.retained.addLast(message);
        this.retainedBytes += payloadSize(message);
        if (this.retained.size() > MAX_RETAINED_MESSAGES
            || this.retainedBytes > MAX_RETAINED_BYTES) {
          overflow =
              "Connection closed: more than "
                  + MAX_RETAINED_MESSAGES
                  + " messages or "
                  + (MAX_RETAINED_BYTES >> 20)
                  + " MB not acknowledged with sequenceAck";
        }
      }
      Transport current = this.transport;
      if (overflow == null && !current.closed) {
        int size = payloadSize(message);
        long bytes = current.queuedBytes.get();
        if (current.queued.get() >= this.queueCapacity) {
          overflow =
              "Connection closed: the client did not keep up with its messages ("
                  + this.queueCapacity
                  + " queued)";
        } else if (bytes > 0 && bytes + size > this.maxQueuedBytes) {
          overflow =
              "Connection closed: the client did not keep up with its messages (more than "
                  + this.maxQueuedBytes
                  + " bytes queued)";
        } else {
          current.enqueue(message, size);
        }
      }
    }
    if (overflow != null) {
      abort(1008, overflow);
    }
  }

  /**
   * Queues a protocol message (ack, system message, pong...), given in its JSON form; a protobuf
   * client gets its {@code DownstreamMessage} (or nothing when the protobuf schema has none).
   */
  void deliverProtocol(ObjectNode message) {
    OutboundMessage outbound = protocolMessage(message);
    if (outbound != null) {
      deliver(outbound);
    }
  }

  private @Nullable OutboundMessage protocolMessage(ObjectNode message) {
    if (this.protobuf) {
      var downstream = ProtobufFrames.downstream(message);
      return (downstream != null) ? OutboundMessage.protocolOnly(downstream) : null;
    }
    return isJson() ? OutboundMessage.protocolOnly(message) : null;
  }

  /**
   * A reliable client acknowledged every message up to {@code sequenceId}, a uint64 (compared
   * unsigned, so 2^64-1 acknowledges everything).
   */
  synchronized void sequenceAck(long sequenceId) {
    while (!this.retained.isEmpty()
        && Long.compareUnsigned(this.retained.peekFirst().sequenceId(), sequenceId) <= 0) {
      this.retainedBytes -= payloadSize(this.retained.removeFirst());
    }
  }

  /** Un-acked messages of a reliable client. */
  synchronized int retainedCount() {
    return this.retained.size();
  }

  /** True if a reliable client's request with this ackId was already processed successfully. */
  synchronized boolean isDuplicate(long ackId) {
    return this.ackIds.contains(ackId);
  }

  /** Remembers a successfully processed ackId of a reliable client. */
  synchronized void processed(long ackId) {
    if (this.ackIds.add(ackId) && this.ackIds.size() > ACK_ID_HISTORY) {
      this.ackIds.remove(this.ackIds.iterator().next());
    }
  }

  /**
   * Closes after every queued message has been written; JSON and protobuf clients get a
   * disconnected message. The session ends: a reliable client cannot recover it.
   */
  void close(int status, String reason) {
    ObjectNode disconnected = Json.MAPPER.createObjectNode();
    disconnected.put("type", "system");
    disconnected.put("event", "disconnected");
    disconnected.put("message", reason);
    deliverProtocol(disconnected);
    boolean wasSuspended;
    synchronized (this) {
      wasSuspended = isSuspended();
      this.ended = true;
      if (this.transport.markClosed(status, reason)) {
        this.transport.complete();
      }
    }
    if (wasSuspended) {
      finish(reason);
    }
  }

  /**
   * Closes at once, discarding queued messages (the client is told why in the close frame). The
   * session ends: a reliable client cannot recover it.
   */
  void abort(int status, String reason) {
    this.hub.remove(this);
    Transport current;
    boolean wasSuspended;
    synchronized (this) {
      wasSuspended = isSuspended();
      this.ended = true;
      current = this.transport;
      current.markClosed(status, reason);
    }
    current.discard();
    if (wasSuspended) {
      finish(reason);
    }
  }

  /**
   * The client's WebSocket ended ({@code keepSession}: a reliable client dropped without a close
   * frame). Nothing happens if a recovery already replaced that WebSocket.
   */
  void clientGone(Transport transport, boolean keepSession, String reason) {
    if (this.transport != transport) {
      return;
    }
    if (keepSession) {
      suspend(reason);
    } else {
      abort(1000, reason);
    }
  }

  /** Ends a session nobody recovered in time; false if it was recovered or ended meanwhile. */
  boolean expire(Transport transport, String reason) {
    synchronized (this) {
      if (this.transport != transport || this.ended) {
        return false;
      }
      this.ended = true;
    }
    this.hub.remove(this);
    finish(reason);
    return true;
  }

  /** What to do once a session has ended (the {@code disconnected} event). */
  void onFinished(java.util.function.Consumer<String> hook) {
    this.finishHook = hook;
  }

  /**
   * Ends the session once: the hook (the {@code disconnected} event) runs for the first caller,
   * before {@link #whenTerminated()} completes, so that whoever waits for the session to end (the
   * emulator's close) finds its {@code disconnected} event under way.
   */
  void finish(String reason) {
    if (this.terminated.compareAndSet(false, true)) {
      try {
        this.finishHook.accept(reason);
      } finally {
        this.gone.tryEmitEmpty();
      }
    }
  }

  /**
   * A reliable client's WebSocket went away without ending the session: stop writing to it and keep
   * queuing (and retaining) for a later {@link #resume}.
   */
  private void suspend(String reason) {
    Transport current;
    synchronized (this) {
      current = this.transport;
      current.markClosed(1006, reason);
    }
    current.discard();
  }

  /**
   * A reliable client recovered its session on a new WebSocket: the frames of its queue now start
   * with {@code first} and every un-acked message in order, then continue.
   */
  synchronized boolean resume(ObjectNode first) {
    if (this.ended) {
      return false;
    }
    Transport previous = this.transport;
    if (previous.markClosed(1008, "The connection was recovered on another WebSocket")) {
      previous.discard();
    }
    Transport next = new Transport();
    OutboundMessage connected = protocolMessage(first);
    if (connected != null) {
      next.enqueue(connected, payloadSize(connected));
    }
    for (OutboundMessage message : this.retained) {
      next.enqueue(message, payloadSize(message));
    }
    this.transport = next;
    return true;
  }

  /** True while no WebSocket carries this session (a dropped reliable client). */
  boolean isSuspended() {
    return this.transport.closed && !this.ended;
  }

  /** The WebSocket that currently carries this session; compare to see if it was replaced. */
  Transport currentTransport() {
    return this.transport;
  }

  /** Completes when the session has ended. */
  reactor.core.publisher.Mono<Void> whenTerminated() {
    return this.gone.asMono();
  }

  void userId(@Nullable String userId) {
    this.userId = userId;
  }

  /**
   * The frame of one queued message: a text frame for JSON clients and plain clients' text, binary
   * otherwise. Its payload keeps the message counted in {@code transport}'s queue until Netty
   * releases it.
   */
  WebSocketFrame frame(Transport transport, OutboundMessage message) {
    ByteBuf content = payload(transport, message);
    return (!this.protobuf && (isJson() || message.rawText()))
        ? new TextWebSocketFrame(content)
        : new BinaryWebSocketFrame(content);
  }

  /**
   * Hands a transport's messages, queued and future, to {@code outlet}: under this object's lock,
   * so no message is queued meanwhile. The outlet then takes those already queued.
   */
  void attach(Transport transport, Outlet outlet) {
    synchronized (this) {
      transport.attach(outlet);
    }
    outlet.ready();
  }

  /**
   * The messages to write, each framed by {@code framer} around its payload (the JSON envelope for
   * JSON clients, the raw bytes otherwise), ending when the connection closes. The payload buffer
   * keeps the message counted in the queue until it is released. (MQTT sessions; WebSocket clients
   * are written by a {@link ConnectionWriter}.)
   */
  <T> Flux<T> messages(java.util.function.BiFunction<OutboundMessage, ByteBuf, T> framer) {
    // A linked queue grows with use; a bounded array queue would cost 64 KB per idle client.
    Sinks.Many<OutboundMessage> sink =
        Sinks.many().unicast().onBackpressureBuffer(Queues.<OutboundMessage>unbounded(16).get());
    Transport current = this.transport;
    attach(current, new SinkOutlet(sink, current));
    return sink.asFlux()
        .takeUntilOther(current.abort.asMono())
        .map((message) -> framer.apply(message, payload(current, message)));
  }

  /** Takes a transport's messages as they are queued. */
  interface Outlet {

    /** Messages were queued, or the transport completed or was discarded: take what there is. */
    void ready();
  }

  /** Moves a transport's messages into a Reactor sink, in the thread that queued them. */
  private static final class SinkOutlet implements Outlet {

    private final Sinks.Many<OutboundMessage> sink;

    private final Transport transport;

    SinkOutlet(Sinks.Many<OutboundMessage> sink, Transport transport) {
      this.sink = sink;
      this.transport = transport;
    }

    @Override
    public synchronized void ready() {
      Transport current = this.transport;
      if (current.discarded) {
        return;
      }
      OutboundMessage message;
      while ((message = current.poll()) != null) {
        this.sink.tryEmitNext(message);
      }
      if (current.completed) {
        this.sink.tryEmitComplete();
      }
    }
  }

  private int payloadSize(OutboundMessage message) {
    if (this.protobuf) {
      return message.protobufBytes().length;
    }
    byte[] raw = message.rawBytes();
    return (isJson() || raw == null) ? message.jsonBytes().length : raw.length;
  }

  /**
   * The payload of a message's frame; it stays counted in the transport's queue until Netty
   * releases its buffer, which happens once the socket has taken the bytes: what waits in Netty's
   * outbound buffer counts too. The bytes are the message's own array, shared by every recipient of
   * the same framing (the buffer only wraps it).
   */
  private ByteBuf payload(Transport transport, OutboundMessage message) {
    if (this.protobuf) {
      return new CountedBuffer(message.protobufBytes(), transport);
    }
    byte[] raw = message.rawBytes();
    byte[] bytes = (isJson() || raw == null) ? message.jsonBytes() : raw;
    return new CountedBuffer(bytes, transport);
  }

  /** A frame's payload that counts itself off its transport's queue when released. */
  private static final class CountedBuffer extends UnpooledHeapByteBuf {

    private final Transport transport;

    private final int size;

    CountedBuffer(byte[] bytes, Transport transport) {
      super(UnpooledByteBufAllocator.DEFAULT, bytes, bytes.length);
      this.transport = transport;
      this.size = bytes.length;
    }

    @Override
    protected void deallocate() {
      this.transport.queued.decrementAndGet();
      this.transport.queuedBytes.addAndGet(-this.size);
      super.deallocate();
    }
  }

  /** The longest reason a close frame carries (RFC 6455 section 5.5: 125 bytes less the code). */
  static final int MAX_CLOSE_REASON_BYTES = 123;

  /**
   * A close reason as a close frame can carry it: at most 123 UTF-8 bytes, cut at a character
   * boundary. The full reason still goes into the {@code disconnected} message and event.
   */
  static String closeReason(String reason) {
    if (reason.length() * 3 <= MAX_CLOSE_REASON_BYTES
        || reason.getBytes(StandardCharsets.UTF_8).length <= MAX_CLOSE_REASON_BYTES) {
      return reason;
    }
    int bytes = 0;
    int end = 0;
    while (end < reason.length()) {
      int codePoint = reason.codePointAt(end);
      int size = (codePoint < 0x80) ? 1 : (codePoint < 0x800) ? 2 : (codePoint < 0x10000) ? 3 : 4;
      if (bytes + size > MAX_CLOSE_REASON_BYTES) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return reason.substring(0, end);
  }

  /** One WebSocket carrying the session: its outbound queue and how it closes. */
  static final class Transport {

    /**
     * Messages not yet taken by the outlet, oldest first. Offers are serialized by the connection's
     * lock; one outlet polls. A linked queue grows with use; a bounded array queue would cost 64 KB
     * per idle client.
     */
    private final Queue<OutboundMessage> pending = Queues.<OutboundMessage>unbounded(16).get();

    /** Messages not yet taken by the socket, and their payload bytes. */
    final AtomicInteger queued = new AtomicInteger();

    final AtomicLong queuedBytes = new AtomicLong();

    final Sinks.Empty<Void> abort = Sinks.empty();

    private volatile @Nullable Outlet outlet;

    volatile boolean closed;

    /** No more messages: write those queued, then close. */
    volatile boolean completed;

    /** Closing at once: queued messages are dropped. */
    volatile boolean discarded;

    volatile int closeStatus = 1000;

    volatile String closeReason = "";

    void enqueue(OutboundMessage message, int size) {
      this.queued.incrementAndGet();
      this.queuedBytes.addAndGet(size);
      this.pending.offer(message);
      Outlet current = this.outlet;
      if (current != null) {
        current.ready();
      }
    }

    /** The oldest queued message, if any (for the outlet). */
    @Nullable OutboundMessage poll() {
      return this.pending.poll();
    }

    boolean isEmpty() {
      return this.pending.isEmpty();
    }

    private void attach(Outlet outlet) {
      this.outlet = outlet;
    }

    /** Ends the queue after the messages queued so far (called under the connection's lock). */
    void complete() {
      this.completed = true;
      Outlet current = this.outlet;
      if (current != null) {
        current.ready();
      }
    }

    /** Stops writing: queued messages are dropped. */
    void discard() {
      this.discarded = true;
      this.abort.tryEmitEmpty();
      Outlet current = this.outlet;
      if (current != null) {
        current.ready();
      }
    }

    /** Records how this WebSocket closes; false (and nothing changed) if it already was. */
    boolean markClosed(int status, String reason) {
      if (this.closed) {
        return false;
      }
      this.closed = true;
      this.closeStatus = status;
      this.closeReason = reason;
      return true;
    }

    int closeStatus() {
      return this.closeStatus;
    }

    String closeReason() {
      return this.closeReason;
    }
  }

  @Override
  public String toString() {
    return "ClientConnection[" + this.id + "]";
  }
}
