package io.github.webpubsub.emulator.internal;

import io.github.webpubsub.emulator.protobuf.DownstreamMessage;
import io.github.webpubsub.emulator.protobuf.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One message on its way to clients, framed once for plain clients, once for the JSON subprotocols
 * and (on first use) once for the protobuf subprotocols, and shared by every recipient.
 */
final class OutboundMessage {

  /**
   * {@code "group"} or {@code "server"} for a data message, {@code null} for a protocol message.
   */
  private final @Nullable String from;

  private final @Nullable String group;

  private final @Nullable DataType type;

  /** The payload (what a plain client receives); {@code null} when there is none. */
  private final byte @Nullable [] rawBytes;

  private final boolean rawText;

  private final byte[] jsonBytes;

  private final long sequenceId;

  private final @Nullable StreamFragment stream;

  /** The QoS an MQTT subscriber may get it at: 1 for REST and Web PubSub clients. */
  private final int qos;

  /** The serialized {@code DownstreamMessage}; built on first use for a data message. */
  private volatile byte @Nullable [] protobufBytes;

  private OutboundMessage(
      @Nullable String from,
      @Nullable String group,
      @Nullable DataType type,
      byte @Nullable [] rawBytes,
      byte[] jsonBytes,
      byte @Nullable [] protobufBytes,
      long sequenceId,
      @Nullable StreamFragment stream,
      int qos) {
    this.from = from;
    this.group = group;
    this.type = type;
    this.rawBytes = rawBytes;
    this.rawText = type != null && type != DataType.BINARY && type != DataType.PROTOBUF;
    this.jsonBytes = jsonBytes;
    this.protobufBytes = protobufBytes;
    this.sequenceId = sequenceId;
    this.stream = stream;
    this.qos = qos;
  }

  /**
   * This data message for one {@code json.reliable.webpubsub.azure.v1} client: the same envelope
   * with {@code "sequenceId"} first, as the service writes it.
   */
  OutboundMessage withSequenceId(long sequenceId) {
    byte[] prefix = ("{\"sequenceId\":" + sequenceId + ",").getBytes(StandardCharsets.US_ASCII);
    byte[] json = new byte[prefix.length + this.jsonBytes.length - 1];
    System.arraycopy(prefix, 0, json, 0, prefix.length);
    System.arraycopy(this.jsonBytes, 1, json, prefix.length, this.jsonBytes.length - 1);
    return new OutboundMessage(
        this.from,
        this.group,
        this.type,
        this.rawBytes,
        json,
        null,
        sequenceId,
        this.stream,
        this.qos);
  }

  /**
   * This data message for one {@code protobuf.reliable.webpubsub.azure.v1} client: {@code
   * DataMessage.sequence_id} set.
   */
  OutboundMessage withProtobufSequenceId(long sequenceId) {
    byte[] bytes =
        DownstreamMessage.newBuilder()
            .setDataMessage(protobufData().setSequenceId(sequenceId))
            .build()
            .toByteArray();
    return new OutboundMessage(
        this.from,
        this.group,
        this.type,
        this.rawBytes,
        this.jsonBytes,
        bytes,
        sequenceId,
        this.stream,
        this.qos);
  }

  /** This data message published at {@code qos} (an MQTT publish at QoS 0 stays at QoS 0). */
  OutboundMessage withQos(int qos) {
    if (!isData()) {
      return this;
    }
    return new OutboundMessage(
        this.from,
        this.group,
        this.type,
        this.rawBytes,
        this.jsonBytes,
        this.protobufBytes,
        this.sequenceId,
        this.stream,
        qos);
  }

  /**
   * The group, data type and QoS of a data message with a payload, for MQTT subscribers; {@code
   * null} for protocol messages and payload-less stream ends.
   */
  @Nullable Origin origin() {
    DataType type = this.type;
    if (!isData() || type == null) {
      return null;
    }
    return new Origin(this.group, type, this.qos);
  }

  /**
   * Where a data message comes from, for MQTT subscribers.
   *
   * @param group the group, {@code null} for a message to a connection, user or the hub
   * @param type the data type (an MQTT 5 content type)
   * @param qos the QoS it was published with (1 for REST and Web PubSub clients)
   */
  record Origin(@Nullable String group, DataType type, int qos) {}

  /** The sequence id of a reliable client's data message, 0 otherwise. */
  long sequenceId() {
    return this.sequenceId;
  }

  /** A message from the server (REST send or event handler reply). */
  static OutboundMessage fromServer(DataType type, byte[] payload) {
    ObjectNode envelope = Json.MAPPER.createObjectNode();
    envelope.put("type", "message");
    envelope.put("from", "server");
    return data(envelope, "server", null, type, payload, null);
  }

  /** A message to a group, from REST ({@code fromUserId} absent) or from a client. */
  static OutboundMessage fromGroup(
      String group, @Nullable String fromUserId, boolean fromClient, DataType type, byte[] data) {
    return fromGroup(group, fromUserId, fromClient, type, data, null);
  }

  /**
   * A message to a group; with {@code stream}, a fragment of a group stream ({@code type} and
   * {@code data} are {@code null} on a terminal fragment without payload).
   */
  static OutboundMessage fromGroup(
      String group,
      @Nullable String fromUserId,
      boolean fromClient,
      @Nullable DataType type,
      byte @Nullable [] data,
      @Nullable StreamFragment stream) {
    ObjectNode envelope = Json.MAPPER.createObjectNode();
    envelope.put("type", "message");
    envelope.put("from", "group");
    envelope.put("group", group);
    if (fromClient) {
      envelope.put("fromUserId", fromUserId);
    }
    return data(envelope, "group", group, type, data, stream);
  }

  /** A JSON-protocol-only message (system message, ack, pong); plain clients never see it. */
  static OutboundMessage protocolOnly(ObjectNode message) {
    return new OutboundMessage(
        null, null, null, null, Json.MAPPER.writeValueAsBytes(message), null, 0, null, 1);
  }

  /** A protobuf-protocol-only message, a serialized {@code DownstreamMessage}. */
  static OutboundMessage protocolOnly(DownstreamMessage message) {
    return new OutboundMessage(
        null, null, null, null, new byte[0], message.toByteArray(), 0, null, 1);
  }

  private static OutboundMessage data(
      ObjectNode envelope,
      String from,
      @Nullable String group,
      @Nullable DataType type,
      byte @Nullable [] payload,
      @Nullable StreamFragment stream) {
    if (type != null && payload != null) {
      envelope.put("dataType", type.protocolName());
      switch (type) {
        case TEXT -> envelope.put("data", new String(payload, StandardCharsets.UTF_8));
        case JSON -> envelope.set("data", Json.MAPPER.readTree(payload));
        case BINARY, PROTOBUF -> envelope.put("data", Base64.getEncoder().encodeToString(payload));
      }
    }
    if (stream != null && payload == null) {
      // A terminal fragment without payload: @azure/web-pubsub-client 1.1.0 drops a group message
      // without dataType, and reads empty text as "no payload".
      envelope.put("dataType", DataType.TEXT.protocolName());
      envelope.put("data", "");
    }
    if (stream != null) {
      ObjectNode info = envelope.putObject("stream");
      info.put("streamId", stream.streamId());
      info.put("streamSequenceId", stream.sequenceId());
      if (stream.end()) {
        info.put("endOfStream", true);
      }
      if (stream.errorName() != null) {
        ObjectNode error = info.putObject("error");
        error.put("name", stream.errorName());
        error.put("message", stream.errorMessage());
        if (stream.userErrorCode() != null) {
          error.put("userErrorCode", stream.userErrorCode());
        }
      }
    }
    return new OutboundMessage(
        from,
        group,
        (payload != null) ? type : null,
        (type != null) ? payload : null,
        Json.MAPPER.writeValueAsBytes(envelope),
        null,
        0,
        stream,
        1);
  }

  /** A message with a sender and (possibly) data, as opposed to an ack or a system message. */
  boolean isData() {
    return this.from != null;
  }

  /** Bytes a plain client receives, {@code null} if there are none (protocol message). */
  byte @Nullable [] rawBytes() {
    return this.rawBytes;
  }

  boolean rawText() {
    return this.rawText;
  }

  byte[] jsonBytes() {
    return this.jsonBytes;
  }

  /** The serialized {@code DownstreamMessage} a protobuf client receives. */
  byte[] protobufBytes() {
    byte[] bytes = this.protobufBytes;
    if (bytes == null) {
      bytes = DownstreamMessage.newBuilder().setDataMessage(protobufData()).build().toByteArray();
      this.protobufBytes = bytes;
    }
    return bytes;
  }

  private DownstreamMessage.DataMessage.Builder protobufData() {
    DownstreamMessage.DataMessage.Builder message = DownstreamMessage.DataMessage.newBuilder();
    if (this.from != null) {
      message.setFrom(this.from);
    }
    if (this.group != null) {
      message.setGroup(this.group);
    }
    if (this.type != null && this.rawBytes != null) {
      message.setData(ProtobufFrames.messageData(this.type, this.rawBytes));
    }
    StreamFragment fragment = this.stream;
    if (fragment != null) {
      StreamInfo.Builder info =
          StreamInfo.newBuilder()
              .setStreamId(fragment.streamId())
              .setStreamSequenceId(fragment.sequenceId());
      if (fragment.end()) {
        info.setEndOfStream(true);
      }
      if (fragment.errorName() != null) {
        StreamInfo.StreamError.Builder error =
            StreamInfo.StreamError.newBuilder()
                .setName(fragment.errorName())
                .setMessage(java.util.Objects.toString(fragment.errorMessage(), ""));
        if (fragment.userErrorCode() != null) {
          error.setUserErrorCode(fragment.userErrorCode());
        }
        info.setError(error);
      }
      message.setStream(info);
    }
    return message;
  }

  /**
   * Where a group message sits in a group stream.
   *
   * @param streamId the stream
   * @param sequenceId the fragment's stream sequence id (on the terminal fragment: the next one)
   * @param end whether this is the terminal fragment
   * @param errorName on a terminal fragment, why the stream ended abnormally
   * @param errorMessage the error's message
   * @param userErrorCode the publisher's own error code
   */
  record StreamFragment(
      String streamId,
      long sequenceId,
      boolean end,
      @Nullable String errorName,
      @Nullable String errorMessage,
      @Nullable String userErrorCode) {}
}
