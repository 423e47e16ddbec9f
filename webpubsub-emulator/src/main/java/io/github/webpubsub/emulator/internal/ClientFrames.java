package io.github.webpubsub.emulator.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.github.webpubsub.emulator.protobuf.UpstreamMessage;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * What a client's frames mean: for a plain client each frame is a {@code message} event upstream;
 * for a JSON client each is a message that the {@link ClientMessageHandler} of its {@code type}
 * answers; a protobuf client's message is first turned into that JSON form ({@link
 * ProtobufFrames}).
 */
final class ClientFrames {

  private final Upstream upstream;

  private final Map<String, ClientMessageHandler> handlers;

  ClientFrames(Upstream upstream) {
    this.upstream = upstream;
    InvocationHandlers invocations = new InvocationHandlers(upstream);
    GroupStreams streams = new GroupStreams();
    this.handlers =
        Map.ofEntries(
            Map.entry("invoke", invocations.invoke()),
            Map.entry("cancelInvocation", invocations.cancel()),
            Map.entry("streamData", streams.data()),
            Map.entry("streamEnd", streams.end()),
            Map.entry("joinGroup", new GroupMembershipHandler(true)),
            Map.entry("leaveGroup", new GroupMembershipHandler(false)),
            Map.entry("sendToGroup", new SendToGroupHandler(streams)),
            Map.entry("event", new UserEventHandler(upstream)),
            Map.entry("ping", new PingHandler()),
            Map.entry("sequenceAck", new SequenceAckHandler()));
  }

  Mono<Void> onFrame(ClientConnection connection, Frame frame) {
    if (!frame.data()) {
      return Mono.empty();
    }
    if (connection.isProtobuf()) {
      return onProtobufFrame(connection, frame);
    }
    return connection.isJson() ? onMessage(connection, frame) : onPlainFrame(connection, frame);
  }

  /**
   * A frame of a protobuf client: one serialized {@code UpstreamMessage}, handled as its JSON form.
   * A text frame or bytes that are not an {@code UpstreamMessage} decline the client: a {@code
   * disconnected} message, then close 1003.
   */
  private Mono<Void> onProtobufFrame(ClientConnection connection, Frame frame) {
    if (connection.ended()) {
      return Mono.empty();
    }
    UpstreamMessage message;
    try {
      if (frame.text()) {
        throw new IllegalArgumentException("text frame");
      }
      message = ProtobufFrames.parse(frame.bytes());
    } catch (InvalidProtocolBufferException | RuntimeException ex) {
      connection.close(
          1003,
          "Invalid message: "
              + connection.protocol()
              + " expects binary frames, each one serialized UpstreamMessage");
      return Mono.empty();
    }
    // JsonNode, not ObjectNode: verifying this class must not load Jackson
    // (ColdStartIntegrationTests).
    JsonNode json = ProtobufFrames.upstreamOrAck(connection, message);
    return (json != null) ? dispatch(connection, json) : Mono.empty();
  }

  private Mono<Void> onPlainFrame(ClientConnection connection, Frame frame) {
    DataType type = frame.text() ? DataType.TEXT : DataType.BINARY;
    return this.upstream
        .userEvent(connection, "message", type, frame.bytes())
        .map(
            (answer) -> {
              if (!answer.isSuccess()) {
                connection.abort(1011, "The event handler answered " + answer.status());
              } else {
                reply(connection, answer);
              }
              return answer;
            })
        .switchIfEmpty(
            Mono.fromRunnable(
                () ->
                    connection.abort(
                        1011, "No event handler is configured for hub " + connection.hub().name())))
        .onErrorResume(
            (error) -> {
              connection.abort(1011, "The event handler failed: " + error.getMessage());
              return Mono.empty();
            })
        .then();
  }

  private Mono<Void> onMessage(ClientConnection connection, Frame frame) {
    JsonNode json;
    try {
      if (!frame.text()) {
        throw new IllegalArgumentException("binary frame");
      }
      json = Json.MAPPER.readTree(frame.bytes());
      if (!json.isObject()) {
        throw new IllegalArgumentException("not an object");
      }
    } catch (RuntimeException ex) {
      connection.abort(
          1003, "Invalid message: " + connection.protocol() + " expects JSON text frames");
      return Mono.empty();
    }
    return dispatch(connection, json);
  }

  /** One message of a JSON client, or the JSON form of a protobuf client's message. */
  private Mono<Void> dispatch(ClientConnection connection, JsonNode json) {
    ClientMessage message = new ClientMessage(connection, json, json.get("ackId"));
    String type = json.path("type").asString("");
    ClientMessageHandler handler = this.handlers.get(type);
    try {
      JsonNode ackId = message.ackId();
      if (ackId != null && !ackId.isNull() && (handler == null || handler.takesAckId())) {
        Long number = ClientMessage.uint64(ackId);
        if (number == null) {
          throw new AckError(
              "BadRequest", "Invalid ackId: it must be an integer from 0 to 18446744073709551615");
        }
        if (connection.isReliable() && connection.isDuplicate(number)) {
          throw new AckError(
              "Duplicate",
              "Message with ack-id: " + Long.toUnsignedString(number) + " has been processed");
        }
      }
      if (handler == null) {
        throw new AckError("BadRequest", "Unknown message type '" + type + "'");
      }
      return handler.handle(message);
    } catch (AckError error) {
      message.ack(error);
      return Mono.empty();
    }
  }

  /**
   * Sends a user event's 200 answer body, if any, back to the client. A {@code text/plain} answer
   * that is not UTF-8 goes as binary: a text frame must be UTF-8, and this keeps the bytes intact.
   */
  static void reply(ClientConnection connection, Upstream.Answer answer) {
    connection.connectionState(answer.connectionState());
    if (answer.status() == 200 && answer.body().length > 0) {
      DataType type = DataType.ofContentType(answer.contentType());
      type = replyType(type, answer.body());
      connection.deliver(OutboundMessage.fromServer(type, answer.body()));
    }
  }

  /**
   * The data type a handler's answer is sent as: binary when the content type is unknown, when a
   * {@code text/plain} body is not UTF-8 (a text frame must be) or when an {@code
   * application/x-protobuf} body is not a serialized {@code google.protobuf.Any}.
   */
  static DataType replyType(@Nullable DataType type, byte[] body) {
    if (type == null
        || (type == DataType.TEXT && !Http.isUtf8(body))
        || (type == DataType.PROTOBUF && !isAny(body))) {
      return DataType.BINARY;
    }
    return type;
  }

  private static boolean isAny(byte[] body) {
    try {
      com.google.protobuf.Any.parseFrom(body);
      return true;
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      return false;
    }
  }

  /** A copied inbound frame (netty releases the original after delivery). */
  record Frame(boolean text, boolean data, byte[] bytes) {

    static Frame copy(WebSocketFrame frame) {
      return new Frame(
          frame instanceof TextWebSocketFrame,
          frame instanceof BinaryWebSocketFrame || frame instanceof TextWebSocketFrame,
          ByteBufUtil.getBytes(frame.content()));
    }
  }
}
