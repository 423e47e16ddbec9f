package io.github.webpubsub.emulator.internal;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.webpubsub.emulator.protobuf.DownstreamMessage;
import io.github.webpubsub.emulator.protobuf.MessageData;
import io.github.webpubsub.emulator.protobuf.UpstreamMessage;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The protobuf subprotocols ({@code protobuf.webpubsub.azure.v1} and its reliable variant) in terms
 * of the JSON ones: an {@link UpstreamMessage} becomes the JSON message the same request would be
 * in {@code json.webpubsub.azure.v1}, so that one set of {@link ClientMessageHandler}s serves both,
 * and a JSON protocol message (ack, system message, pong, stream notices) becomes its {@link
 * DownstreamMessage}. Data messages are framed by {@link OutboundMessage}; parsing and writing are
 * protobuf-java's.
 */
final class ProtobufFrames {

  private ProtobufFrames() {}

  /** A client's binary frame: its {@code UpstreamMessage}, or an exception if it is not one. */
  static UpstreamMessage parse(byte[] frame) throws InvalidProtocolBufferException {
    return UpstreamMessage.parseFrom(frame);
  }

  /**
   * The JSON form of a client's request, or {@code null} when it sets no known message (a newer
   * client's message this schema does not know: ignored, as protobuf skips unknown fields).
   *
   * @throws AckError when the request carries data that its JSON form cannot hold ({@code
   *     json_data} that is not JSON); {@link #ackId} tells whom to ack
   */
  static @Nullable ObjectNode upstream(UpstreamMessage message) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    switch (message.getMessageCase()) {
      case SEND_TO_GROUP_MESSAGE -> {
        UpstreamMessage.SendToGroupMessage send = message.getSendToGroupMessage();
        json.put("type", "sendToGroup");
        json.put("group", send.getGroup());
        if (send.hasAckId()) {
          json.set("ackId", uint64(send.getAckId()));
        }
        if (send.hasNoEcho()) {
          json.put("noEcho", send.getNoEcho());
        }
        if (send.hasStream()) {
          ObjectNode stream = json.putObject("stream");
          stream.put("streamId", send.getStream().getStreamId());
          if (send.getStream().hasIdleTimeoutMs()) {
            stream.put(
                "idleTimeoutMs", Integer.toUnsignedLong(send.getStream().getIdleTimeoutMs()));
          }
        }
        if (send.hasData()) {
          data(json, send.getData());
        }
      }
      case EVENT_MESSAGE -> {
        UpstreamMessage.EventMessage event = message.getEventMessage();
        json.put("type", "event");
        json.put("event", event.getEvent());
        if (event.hasAckId()) {
          json.set("ackId", uint64(event.getAckId()));
        }
        if (event.hasData()) {
          data(json, event.getData());
        }
      }
      case JOIN_GROUP_MESSAGE -> {
        json.put("type", "joinGroup");
        json.put("group", message.getJoinGroupMessage().getGroup());
        if (message.getJoinGroupMessage().hasAckId()) {
          json.set("ackId", uint64(message.getJoinGroupMessage().getAckId()));
        }
      }
      case LEAVE_GROUP_MESSAGE -> {
        json.put("type", "leaveGroup");
        json.put("group", message.getLeaveGroupMessage().getGroup());
        if (message.getLeaveGroupMessage().hasAckId()) {
          json.set("ackId", uint64(message.getLeaveGroupMessage().getAckId()));
        }
      }
      case SEQUENCE_ACK_MESSAGE -> {
        json.put("type", "sequenceAck");
        json.set("sequenceId", uint64(message.getSequenceAckMessage().getSequenceId()));
      }
      case PING_MESSAGE -> json.put("type", "ping");
      case STREAM_DATA_MESSAGE -> {
        UpstreamMessage.StreamDataMessage data = message.getStreamDataMessage();
        json.put("type", "streamData");
        json.put("streamId", data.getStreamId());
        if (data.hasStreamSequenceId()) {
          json.set("streamSequenceId", uint64(data.getStreamSequenceId()));
        }
        if (data.hasData()) {
          data(json, data.getData());
        }
      }
      case STREAM_END_MESSAGE -> {
        UpstreamMessage.StreamEndMessage end = message.getStreamEndMessage();
        json.put("type", "streamEnd");
        json.put("streamId", end.getStreamId());
        if (end.hasError()) {
          ObjectNode error = json.putObject("error");
          if (end.getError().hasMessage()) {
            error.put("message", end.getError().getMessage());
          }
          if (end.getError().hasUserErrorCode()) {
            error.put("userErrorCode", end.getError().getUserErrorCode());
          }
        }
      }
      default -> {
        return null;
      }
    }
    return json;
  }

  /**
   * The JSON form of a client's request ({@link #upstream}); {@code null} when it is unknown, or
   * when it could not be converted, which is then acked with the error.
   */
  static @Nullable JsonNode upstreamOrAck(ClientConnection connection, UpstreamMessage message) {
    try {
      return upstream(message);
    } catch (AckError error) {
      new ClientMessage(connection, Json.MAPPER.createObjectNode(), ackId(message)).ack(error);
      return null;
    }
  }

  /** The {@code ack_id} of a request, {@code null} when it asks for no ack. */
  static @Nullable JsonNode ackId(UpstreamMessage message) {
    return switch (message.getMessageCase()) {
      case SEND_TO_GROUP_MESSAGE ->
          message.getSendToGroupMessage().hasAckId()
              ? uint64(message.getSendToGroupMessage().getAckId())
              : null;
      case EVENT_MESSAGE ->
          message.getEventMessage().hasAckId()
              ? uint64(message.getEventMessage().getAckId())
              : null;
      case JOIN_GROUP_MESSAGE ->
          message.getJoinGroupMessage().hasAckId()
              ? uint64(message.getJoinGroupMessage().getAckId())
              : null;
      case LEAVE_GROUP_MESSAGE ->
          message.getLeaveGroupMessage().hasAckId()
              ? uint64(message.getLeaveGroupMessage().getAckId())
              : null;
      default -> null;
    };
  }

  /**
   * {@code MessageData} as the JSON protocol's {@code dataType} and {@code data}: text, binary
   * (base64), protobuf (base64 of the serialized {@code Any}) or JSON ({@code json_data}, parsed).
   */
  private static void data(ObjectNode json, MessageData data) {
    switch (data.getDataCase()) {
      case TEXT_DATA -> {
        json.put("dataType", "text");
        json.put("data", data.getTextData());
      }
      case BINARY_DATA -> {
        json.put("dataType", "binary");
        json.put("data", Base64.getEncoder().encodeToString(data.getBinaryData().toByteArray()));
      }
      case PROTOBUF_DATA -> {
        json.put("dataType", "protobuf");
        json.put("data", Base64.getEncoder().encodeToString(data.getProtobufData().toByteArray()));
      }
      case JSON_DATA -> {
        JsonNode value;
        try {
          value = Json.MAPPER.readTree(data.getJsonData());
        } catch (RuntimeException ex) {
          throw new AckError("BadRequest", "json_data is not valid JSON");
        }
        if (value == null || value.isMissingNode()) {
          throw new AckError("BadRequest", "json_data is not valid JSON");
        }
        json.put("dataType", "json");
        json.set("data", value);
      }
      default -> {
        // No case set: the request has no data, as a JSON message without "data".
      }
    }
  }

  /** A payload as {@code MessageData}: JSON goes as {@code json_data}, as Microsoft's SDKs read. */
  static MessageData messageData(DataType type, byte[] payload) {
    MessageData.Builder data = MessageData.newBuilder();
    switch (type) {
      case TEXT -> data.setTextData(new String(payload, StandardCharsets.UTF_8));
      case JSON -> data.setJsonData(new String(payload, StandardCharsets.UTF_8));
      case BINARY -> data.setBinaryData(ByteString.copyFrom(payload));
      case PROTOBUF -> {
        try {
          data.setProtobufData(Any.parseFrom(payload));
        } catch (InvalidProtocolBufferException ex) {
          data.setBinaryData(ByteString.copyFrom(payload));
        }
      }
    }
    return data.build();
  }

  /**
   * The {@code DownstreamMessage} of a JSON protocol message, or {@code null} when the protobuf
   * schema has none for it (an {@code invokeResponse}: no protobuf schema defines invocations).
   */
  static @Nullable DownstreamMessage downstream(ObjectNode json) {
    DownstreamMessage.Builder message = DownstreamMessage.newBuilder();
    switch (json.path("type").asString("")) {
      case "ack" -> {
        DownstreamMessage.AckMessage.Builder ack =
            DownstreamMessage.AckMessage.newBuilder()
                .setSuccess(json.path("success").asBoolean(false));
        Long ackId = ClientMessage.uint64(json.get("ackId"));
        if (ackId != null) {
          ack.setAckId(ackId);
        }
        JsonNode error = json.get("error");
        if (error != null && error.isObject()) {
          ack.setError(
              DownstreamMessage.AckMessage.ErrorMessage.newBuilder()
                  .setName(error.path("name").asString(""))
                  .setMessage(error.path("message").asString("")));
        }
        message.setAckMessage(ack);
      }
      case "pong" -> message.setPongMessage(DownstreamMessage.PongMessage.getDefaultInstance());
      case "system" -> {
        DownstreamMessage.SystemMessage.Builder system =
            DownstreamMessage.SystemMessage.newBuilder();
        if (json.path("event").asString("").equals("connected")) {
          system.setConnectedMessage(
              DownstreamMessage.SystemMessage.ConnectedMessage.newBuilder()
                  .setConnectionId(json.path("connectionId").asString(""))
                  .setUserId(text(json.get("userId")))
                  .setReconnectionToken(text(json.get("reconnectionToken"))));
        } else {
          system.setDisconnectedMessage(
              DownstreamMessage.SystemMessage.DisconnectedMessage.newBuilder()
                  .setReason(text(json.get("message"))));
        }
        message.setSystemMessage(system);
      }
      case "streamAck" ->
          message.setStreamAckMessage(
              DownstreamMessage.StreamAckMessage.newBuilder()
                  .setStreamId(json.path("streamId").asString(""))
                  .setExpectedSequenceId(json.path("expectedSequenceId").asLong(0)));
      case "streamNack" ->
          message.setStreamNackMessage(
              DownstreamMessage.StreamNackMessage.newBuilder()
                  .setStreamId(json.path("streamId").asString(""))
                  .setName(json.path("name").asString(""))
                  .setMessage(json.path("message").asString(""))
                  .setExpectedSequenceId(json.path("expectedSequenceId").asLong(0)));
      case "streamClosed" -> {
        DownstreamMessage.StreamClosedMessage.Builder closed =
            DownstreamMessage.StreamClosedMessage.newBuilder()
                .setStreamId(json.path("streamId").asString(""));
        JsonNode error = json.get("error");
        if (error != null && error.isObject()) {
          closed.setError(
              DownstreamMessage.StreamClosedMessage.StreamClosedError.newBuilder()
                  .setName(error.path("name").asString(""))
                  .setMessage(error.path("message").asString("")));
        }
        message.setStreamClosedMessage(closed);
      }
      default -> {
        return null;
      }
    }
    return message.build();
  }

  private static String text(@Nullable JsonNode node) {
    return (node == null || node.isNull()) ? "" : node.asString();
  }

  /** A protobuf uint64 (the bits of a {@code long}) as a JSON number from 0 to 2^64-1. */
  private static JsonNode uint64(long value) {
    return (value >= 0)
        ? Json.MAPPER.getNodeFactory().numberNode(value)
        : Json.MAPPER.getNodeFactory().numberNode(new BigInteger(Long.toUnsignedString(value)));
  }
}
