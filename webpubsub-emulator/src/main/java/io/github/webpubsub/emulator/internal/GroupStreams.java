package io.github.webpubsub.emulator.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Group streams: a {@code sendToGroup} with {@code stream} starts one, {@code streamData} carries
 * its fragments in order ({@code streamSequenceId} 1, 2, 3...), {@code streamEnd} ends it. The
 * publisher gets {@code streamAck} (the next id expected), {@code streamNack} (a gap) and one final
 * {@code streamClosed}; the group's members get each fragment once, as a group message with {@code
 * stream} info, and a terminal fragment ({@code endOfStream}) when the stream ends, however it
 * ends. Streams belong to the publisher's connection: kept while a reliable client is away, gone
 * with the connection. No upstream events.
 */
final class GroupStreams {

  /** Streams one connection may have open at once. */
  static final int MAX_ACTIVE_STREAMS = 64;

  /** The idle timeout of a stream that asks for none, as the service's. */
  static final long DEFAULT_IDLE_TIMEOUT_MS = 300_000;

  /** The longest idle timeout a stream may ask for. */
  static final long MAX_IDLE_TIMEOUT_MS = 3_600_000;

  /** The longest {@code streamId}. */
  static final int MAX_STREAM_ID_LENGTH = 256;

  private final Map<ClientConnection, Map<String, Stream>> active = new ConcurrentHashMap<>();

  /** A {@code sendToGroup} with {@code stream}: starts a stream, answered by streamAck 1. */
  Mono<Void> start(ClientMessage message) {
    ClientConnection connection = message.connection();
    JsonNode info = message.json().get("stream");
    JsonNode idNode = (info != null) ? info.get("streamId") : null;
    String streamId = (idNode != null && idNode.isString()) ? idNode.asString() : "";
    if (streamId.isEmpty() || streamId.length() > MAX_STREAM_ID_LENGTH) {
      closed(connection, streamId, "BadRequest", "Invalid streamId: it must be 1-256 characters");
      return Mono.empty();
    }
    String group;
    try {
      group = message.group();
    } catch (AckError error) {
      closed(connection, streamId, "BadRequest", error.getMessage());
      return Mono.empty();
    }
    if (!connection.canSendTo(group)) {
      closed(connection, streamId, "Forbidden", "No permission to send to group " + group);
      return Mono.empty();
    }
    if (message.json().has("data") || message.json().has("dataType")) {
      closed(connection, streamId, "BadRequest", "A stream start carries no data");
      return Mono.empty();
    }
    long idleMs = DEFAULT_IDLE_TIMEOUT_MS;
    JsonNode idle = info.get("idleTimeoutMs");
    if (idle != null && !idle.isNull()) {
      if (!idle.isIntegralNumber()
          || !idle.canConvertToLong()
          || idle.longValue() < 1
          || idle.longValue() > MAX_IDLE_TIMEOUT_MS) {
        closed(
            connection,
            streamId,
            "BadRequest",
            "Invalid idleTimeoutMs: it must be 1-" + MAX_IDLE_TIMEOUT_MS);
        return Mono.empty();
      }
      idleMs = idle.longValue();
    }
    Map<String, Stream> streams = this.active.get(connection);
    if (streams == null) {
      Map<String, Stream> created = new LinkedHashMap<>();
      streams = this.active.putIfAbsent(connection, created);
      if (streams == null) {
        streams = created;
        // Outside the map's update: an ended connection completes this at once.
        connection.whenTerminated().subscribe(null, null, () -> cancelAll(connection));
      }
    }
    Stream stream;
    synchronized (streams) {
      if (streams.containsKey(streamId)) {
        closed(connection, streamId, "BadRequest", "Stream " + streamId + " is already active");
        return Mono.empty();
      }
      if (streams.size() >= MAX_ACTIVE_STREAMS) {
        closed(
            connection,
            streamId,
            "BadRequest",
            "Too many active streams: at most " + MAX_ACTIVE_STREAMS + " per connection");
        return Mono.empty();
      }
      stream =
          new Stream(
              this,
              connection,
              streamId,
              group,
              message.json().path("noEcho").asBoolean(false),
              Duration.ofMillis(idleMs));
      streams.put(streamId, stream);
    }
    synchronized (stream) {
      stream.touch();
      ack(connection, streamId, 1);
    }
    return Mono.empty();
  }

  ClientMessageHandler data() {
    return new ClientMessageHandler() {
      @Override
      public Mono<Void> handle(ClientMessage message) {
        onData(message);
        return Mono.empty();
      }

      @Override
      public boolean takesAckId() {
        return false;
      }
    };
  }

  ClientMessageHandler end() {
    return new ClientMessageHandler() {
      @Override
      public Mono<Void> handle(ClientMessage message) {
        onEnd(message);
        return Mono.empty();
      }

      @Override
      public boolean takesAckId() {
        return false;
      }
    };
  }

  private @Nullable Stream find(ClientMessage message) {
    String streamId = message.json().path("streamId").asString("");
    Map<String, Stream> streams = this.active.get(message.connection());
    Stream stream = null;
    if (streams != null) {
      synchronized (streams) {
        stream = streams.get(streamId);
      }
    }
    if (stream == null) {
      closed(
          message.connection(),
          streamId,
          "StreamNotFound",
          "No active stream " + streamId + " on this connection");
    }
    return stream;
  }

  /**
   * A fragment: the expected id is published and acked; a smaller one (a resend) is acked, not
   * published again; a larger one is nacked {@code InvalidSequenceId}. Only {@code streamId} (no
   * {@code data}) is a keep-alive.
   */
  private void onData(ClientMessage message) {
    Stream stream = find(message);
    if (stream == null) {
      return;
    }
    ClientConnection connection = message.connection();
    synchronized (stream) {
      if (stream.done) {
        return;
      }
      stream.touch();
      if (!message.json().has("data")) {
        return; // keep-alive
      }
      if (!connection.canSendTo(stream.group)) {
        stream.finish(
            "Forbidden", "No permission to send to group " + stream.group, "Forbidden", null, true);
        return;
      }
      Long sequenceId = ClientMessage.uint64(message.json().get("streamSequenceId"));
      if (sequenceId == null || Long.compareUnsigned(sequenceId, stream.expected) > 0) {
        ObjectNode nack = notice("streamNack", stream.id);
        nack.put("expectedSequenceId", stream.expected);
        nack.put("name", "InvalidSequenceId");
        nack.put(
            "message",
            (sequenceId == null)
                ? "The fragment has no streamSequenceId"
                : "Expected streamSequenceId " + stream.expected);
        connection.deliverProtocol(nack);
        return;
      }
      if (sequenceId < stream.expected) {
        ack(connection, stream.id, stream.expected); // a resend: already published
        return;
      }
      DataType type;
      byte[] data;
      try {
        type = message.dataType();
        data = message.data(type);
      } catch (AckError error) {
        stream.finish("BadRequest", error.getMessage(), "Cancelled", null, true);
        return;
      }
      stream.publish(type, data, false, null, null, null);
      stream.expected++;
      ack(connection, stream.id, stream.expected);
    }
  }

  /** {@code streamEnd}: members get the terminal fragment, the publisher {@code streamClosed}. */
  private void onEnd(ClientMessage message) {
    Stream stream = find(message);
    if (stream == null) {
      return;
    }
    JsonNode error = message.json().get("error");
    synchronized (stream) {
      if (stream.done) {
        return;
      }
      if (error != null && error.isObject()) {
        JsonNode code = error.get("userErrorCode");
        stream.finish(
            null,
            null,
            "UserError",
            new String[] {
              error.path("message").asString("The publisher ended the stream with an error"),
              (code != null && code.isString()) ? code.asString() : null
            },
            true);
      } else {
        stream.finish(null, null, null, null, true);
      }
    }
  }

  private void remove(Stream stream) {
    Map<String, Stream> streams = this.active.get(stream.publisher);
    if (streams != null) {
      synchronized (streams) {
        streams.remove(stream.id, stream);
      }
    }
  }

  /** The publisher's connection ended: members get a terminal fragment with {@code Cancelled}. */
  private void cancelAll(ClientConnection connection) {
    Map<String, Stream> streams = this.active.remove(connection);
    if (streams == null) {
      return;
    }
    List<Stream> open;
    synchronized (streams) {
      open = List.copyOf(streams.values());
    }
    for (Stream stream : open) {
      synchronized (stream) {
        if (!stream.done) {
          stream.finish(null, null, "Cancelled", null, false);
        }
      }
    }
  }

  /** Active streams of a connection (for tests). */
  int activeCount(ClientConnection connection) {
    Map<String, Stream> streams = this.active.get(connection);
    if (streams == null) {
      return 0;
    }
    synchronized (streams) {
      return streams.size();
    }
  }

  private static ObjectNode notice(String type, String streamId) {
    ObjectNode notice = Json.MAPPER.createObjectNode();
    notice.put("type", type);
    notice.put("streamId", streamId);
    return notice;
  }

  private static void ack(ClientConnection connection, String streamId, long expected) {
    ObjectNode ack = notice("streamAck", streamId);
    ack.put("expectedSequenceId", expected);
    connection.deliverProtocol(ack);
  }

  private static void closed(
      ClientConnection connection,
      String streamId,
      @Nullable String errorName,
      @Nullable String message) {
    ObjectNode closed = notice("streamClosed", streamId);
    if (errorName != null) {
      ObjectNode error = closed.putObject("error");
      error.put("name", errorName);
      error.put("message", message);
    }
    connection.deliverProtocol(closed);
  }

  /** One active stream; every field is guarded by the stream itself. */
  private static final class Stream {

    final GroupStreams owner;

    final ClientConnection publisher;

    final String id;

    final String group;

    final boolean noEcho;

    final Duration idleTimeout;

    long expected = 1;

    boolean done;

    @Nullable Disposable idleTimer;

    Stream(
        GroupStreams owner,
        ClientConnection publisher,
        String id,
        String group,
        boolean noEcho,
        Duration idleTimeout) {
      this.owner = owner;
      this.publisher = publisher;
      this.id = id;
      this.group = group;
      this.noEcho = noEcho;
      this.idleTimeout = idleTimeout;
    }

    /** Restarts the idle timer. */
    void touch() {
      Disposable timer = this.idleTimer;
      if (timer != null) {
        timer.dispose();
      }
      this.idleTimer =
          Mono.delay(this.idleTimeout)
              .subscribe(
                  (tick) -> {
                    synchronized (this) {
                      if (!this.done) {
                        finish(
                            "IdleTimeout",
                            "No message on the stream for " + this.idleTimeout.toMillis() + " ms",
                            "IdleTimeout",
                            null,
                            true);
                      }
                    }
                  });
    }

    void publish(
        @Nullable DataType type,
        byte @Nullable [] data,
        boolean end,
        @Nullable String errorName,
        @Nullable String errorMessage,
        @Nullable String userErrorCode) {
      OutboundMessage message =
          OutboundMessage.fromGroup(
              this.group,
              this.publisher.userId(),
              true,
              type,
              data,
              new OutboundMessage.StreamFragment(
                  this.id, this.expected, end, errorName, errorMessage, userErrorCode));
      Hub.deliver(
          this.publisher.hub().group(this.group),
          (c) -> !this.noEcho || c != this.publisher,
          message);
    }

    /**
     * Ends the stream: members get the terminal fragment (with {@code memberError} when it ended
     * abnormally), the publisher (when {@code notify}) {@code streamClosed} with {@code
     * publisherError} or without error.
     *
     * @param userError the publisher's message and user error code of a {@code UserError}
     */
    void finish(
        @Nullable String publisherError,
        @Nullable String publisherMessage,
        @Nullable String memberError,
        String @Nullable [] userError,
        boolean notify) {
      this.done = true;
      Disposable timer = this.idleTimer;
      if (timer != null) {
        timer.dispose();
      }
      String memberMessage =
          (userError != null)
              ? userError[0]
              : (memberError == null)
                  ? null
                  : switch (memberError) {
                    case "IdleTimeout" -> "The stream was idle too long";
                    case "Forbidden" -> "The publisher may no longer send to the group";
                    default -> "The stream was cancelled";
                  };
      publish(
          null, null, true, memberError, memberMessage, (userError != null) ? userError[1] : null);
      this.owner.remove(this);
      if (notify) {
        closed(this.publisher, this.id, publisherError, publisherMessage);
      }
    }
  }
}
