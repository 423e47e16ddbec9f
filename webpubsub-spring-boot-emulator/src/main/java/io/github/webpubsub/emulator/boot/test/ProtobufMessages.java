package io.github.webpubsub.emulator.boot.test;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.webpubsub.emulator.protobuf.DownstreamMessage;
import io.github.webpubsub.emulator.protobuf.MessageData;
import io.github.webpubsub.emulator.protobuf.UpstreamMessage;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What lets {@link WebPubSubTestClient} speak the protobuf subprotocols with the same API: its
 * requests (built in their JSON form) become {@code UpstreamMessage}s, and every {@code
 * DownstreamMessage} it receives is recorded in the JSON form the JSON subprotocols use. The
 * messages are the emulator's generated protobuf classes; protobuf-java does the wire format.
 */
final class ProtobufMessages {

  private ProtobufMessages() {}

  /** A request in its JSON form (joinGroup, leaveGroup, sendToGroup, event, sequenceAck). */
  static byte[] upstream(JsonNode json) {
    UpstreamMessage.Builder message = UpstreamMessage.newBuilder();
    String group = json.path("group").asString("");
    JsonNode ackId = json.get("ackId");
    switch (json.path("type").asString("")) {
      case "joinGroup" -> {
        UpstreamMessage.JoinGroupMessage.Builder join =
            UpstreamMessage.JoinGroupMessage.newBuilder().setGroup(group);
        if (ackId != null) {
          join.setAckId(ackId.asLong());
        }
        message.setJoinGroupMessage(join);
      }
      case "leaveGroup" -> {
        UpstreamMessage.LeaveGroupMessage.Builder leave =
            UpstreamMessage.LeaveGroupMessage.newBuilder().setGroup(group);
        if (ackId != null) {
          leave.setAckId(ackId.asLong());
        }
        message.setLeaveGroupMessage(leave);
      }
      case "sendToGroup" -> {
        UpstreamMessage.SendToGroupMessage.Builder send =
            UpstreamMessage.SendToGroupMessage.newBuilder().setGroup(group).setData(data(json));
        if (ackId != null) {
          send.setAckId(ackId.asLong());
        }
        if (json.has("noEcho")) {
          send.setNoEcho(json.get("noEcho").asBoolean());
        }
        message.setSendToGroupMessage(send);
      }
      case "event" -> {
        UpstreamMessage.EventMessage.Builder event =
            UpstreamMessage.EventMessage.newBuilder()
                .setEvent(json.path("event").asString(""))
                .setData(data(json));
        if (ackId != null) {
          event.setAckId(ackId.asLong());
        }
        message.setEventMessage(event);
      }
      case "sequenceAck" ->
          message.setSequenceAckMessage(
              UpstreamMessage.SequenceAckMessage.newBuilder()
                  .setSequenceId(json.path("sequenceId").asLong()));
      default -> throw new IllegalArgumentException("No protobuf form for " + json.path("type"));
    }
    return message.build().toByteArray();
  }

  private static MessageData data(JsonNode json) {
    JsonNode data = json.path("data");
    return switch (json.path("dataType").asString("json")) {
      case "text" -> MessageData.newBuilder().setTextData(data.asString()).build();
      case "binary" ->
          MessageData.newBuilder().setBinaryData(ByteString.copyFrom(data.binaryValue())).build();
      default -> MessageData.newBuilder().setJsonData(data.toString()).build();
    };
  }

  /**
   * A received frame as the JSON protocols write it: {@code ack}, {@code message} ({@code dataType}
   * text, json, binary or protobuf, binary data in base64), {@code system} or {@code pong}; other
   * messages as {@code {"type":"<case>"}}.
   */
  static JsonNode downstream(JsonMapper json, byte[] frame) throws InvalidProtocolBufferException {
    DownstreamMessage message = DownstreamMessage.parseFrom(frame);
    ObjectNode node = json.createObjectNode();
    switch (message.getMessageCase()) {
      case ACK_MESSAGE -> {
        DownstreamMessage.AckMessage ack = message.getAckMessage();
        node.put("type", "ack").put("ackId", ack.getAckId()).put("success", ack.getSuccess());
        if (ack.hasError()) {
          node.putObject("error")
              .put("name", ack.getError().getName())
              .put("message", ack.getError().getMessage());
        }
      }
      case DATA_MESSAGE -> {
        DownstreamMessage.DataMessage data = message.getDataMessage();
        node.put("type", "message").put("from", data.getFrom());
        if (data.hasGroup()) {
          node.put("group", data.getGroup());
        }
        if (data.hasSequenceId()) {
          node.put("sequenceId", data.getSequenceId());
        }
        MessageData payload = data.getData();
        switch (payload.getDataCase()) {
          case TEXT_DATA -> node.put("dataType", "text").put("data", payload.getTextData());
          case JSON_DATA -> {
            node.put("dataType", "json");
            node.set("data", json.readTree(payload.getJsonData()));
          }
          case BINARY_DATA ->
              node.put("dataType", "binary")
                  .put(
                      "data",
                      Base64.getEncoder().encodeToString(payload.getBinaryData().toByteArray()));
          case PROTOBUF_DATA ->
              node.put("dataType", "protobuf")
                  .put(
                      "data",
                      Base64.getEncoder().encodeToString(payload.getProtobufData().toByteArray()));
          default -> {}
        }
      }
      case SYSTEM_MESSAGE -> {
        DownstreamMessage.SystemMessage system = message.getSystemMessage();
        node.put("type", "system");
        if (system.hasConnectedMessage()) {
          DownstreamMessage.SystemMessage.ConnectedMessage connected = system.getConnectedMessage();
          node.put("event", "connected").put("connectionId", connected.getConnectionId());
          // proto3 has no null: an anonymous client's user id arrives as "".
          if (connected.getUserId().isEmpty()) {
            node.putNull("userId");
          } else {
            node.put("userId", connected.getUserId());
          }
          if (!connected.getReconnectionToken().isEmpty()) {
            node.put("reconnectionToken", connected.getReconnectionToken());
          }
        } else {
          node.put("event", "disconnected")
              .put("message", system.getDisconnectedMessage().getReason());
        }
      }
      case PONG_MESSAGE -> node.put("type", "pong");
      default ->
          node.put("type", message.getMessageCase().name().toLowerCase(java.util.Locale.ROOT));
    }
    return node;
  }

  /** A frame that is not a {@code DownstreamMessage}, recorded as its bytes in base64. */
  static JsonNode undecodable(JsonMapper json, byte[] frame) {
    return json.createObjectNode()
        .put("type", "undecodable")
        .put("data", Base64.getEncoder().encodeToString(frame));
  }
}
