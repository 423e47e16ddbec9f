package io.github.webpubsub.emulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One message on its way to clients, framed once for plain clients and once for {@code
 * json.webpubsub.azure.v1} clients and shared by every recipient.
 */
final class OutboundMessage {

  private final byte @Nullable [] rawBytes;

  private final boolean rawText;

  private final byte[] jsonBytes;

  private final long sequenceId;

  /** What MQTT clients need beyond the bytes: the topic (group), data type and QoS. */
  private final @Nullable Origin origin;

  private OutboundMessage(byte @Nullable [] rawBytes, boolean rawText, byte[] jsonBytes) {
    this(rawBytes, rawText, jsonBytes, 0, null);
  }

  private OutboundMessage(
      byte @Nullable [] rawBytes,
      boolean rawText,
      byte[] jsonBytes,
      long sequenceId,
      @Nullable Origin origin) {
    this.rawBytes = rawBytes;
    this.rawText = rawText;
    this.jsonBytes = jsonBytes;
    this.sequenceId = sequenceId;
    this.origin = origin;
  }

  /**
   * Where a data message comes from, for MQTT subscribers.
   *
   * @param group the group, {@code null} for a message to a connection, user or the hub
   * @param type the data type (an MQTT 5 content type)
   * @param qos the QoS it was published with (1 for REST and Web PubSub clients)
   */
  record Origin(@Nullable String group, DataType type, int qos) {}

  /**
   * This data message for one {@code json.reliable.webpubsub.azure.v1} client: the same envelope
   * with {@code "sequenceId"} first, as the service writes it.
   */
  OutboundMessage withSequenceId(long sequenceId) {
    byte[] prefix = ("{\"sequenceId\":" + sequenceId + ",").getBytes(StandardCharsets.US_ASCII);
    byte[] json = new byte[prefix.length + this.jsonBytes.length - 1];
    System.arraycopy(prefix, 0, json, 0, prefix.length);
    System.arraycopy(this.jsonBytes, 1, json, prefix.length, this.jsonBytes.length - 1);
    return new OutboundMessage(this.rawBytes, this.rawText, json, sequenceId, this.origin);
  }

  /** This data message published at {@code qos} (an MQTT publish at QoS 0 stays at QoS 0). */
  OutboundMessage withQos(int qos) {
    Origin current = this.origin;
    if (current == null) {
      return this;
    }
    return new OutboundMessage(
        this.rawBytes,
        this.rawText,
        this.jsonBytes,
        this.sequenceId,
        new Origin(current.group(), current.type(), qos));
  }

  /** The group, data type and QoS of a data message; {@code null} for protocol messages. */
  @Nullable Origin origin() {
    return this.origin;
  }

  /** The sequence id of a reliable client's data message, 0 otherwise. */
  long sequenceId() {
    return this.sequenceId;
  }

  /** A message from the server (REST send or event handler reply). */
  static OutboundMessage fromServer(DataType type, byte[] payload) {
    ObjectNode envelope = Json.MAPPER.createObjectNode();
    envelope.put("type", "message");
    envelope.put("from", "server");
    return data(envelope, null, type, payload);
  }

  /** A message to a group, from REST ({@code fromUserId} absent) or from a client. */
  static OutboundMessage fromGroup(
      String group, @Nullable String fromUserId, boolean fromClient, DataType type, byte[] data) {
    ObjectNode envelope = Json.MAPPER.createObjectNode();
    envelope.put("type", "message");
    envelope.put("from", "group");
    envelope.put("group", group);
    if (fromClient) {
      envelope.put("fromUserId", fromUserId);
    }
    return data(envelope, group, type, data);
  }

  /** A JSON-protocol-only message (system message, ack, pong); plain clients never see it. */
  static OutboundMessage protocolOnly(ObjectNode message) {
    return new OutboundMessage(null, false, Json.MAPPER.writeValueAsBytes(message));
  }

  private static OutboundMessage data(
      ObjectNode envelope, @Nullable String group, DataType type, byte[] payload) {
    envelope.put("dataType", type.protocolName());
    switch (type) {
      case TEXT -> envelope.put("data", new String(payload, StandardCharsets.UTF_8));
      case JSON -> envelope.set("data", Json.MAPPER.readTree(payload));
      case BINARY -> envelope.put("data", Base64.getEncoder().encodeToString(payload));
    }
    return new OutboundMessage(
        payload,
        type != DataType.BINARY,
        Json.MAPPER.writeValueAsBytes(envelope),
        0,
        new Origin(group, type, 1));
  }

  /** Bytes a plain client receives, {@code null} if the message is for JSON clients only. */
  byte @Nullable [] rawBytes() {
    return this.rawBytes;
  }

  boolean rawText() {
    return this.rawText;
  }

  byte[] jsonBytes() {
    return this.jsonBytes;
  }
}
