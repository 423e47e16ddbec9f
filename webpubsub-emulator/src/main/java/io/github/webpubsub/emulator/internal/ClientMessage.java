package io.github.webpubsub.emulator.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One JSON message from a client of a JSON subprotocol, with the readers of its fields (each throws
 * an {@link AckError} for a bad value) and its ack.
 *
 * @param connection the sender
 * @param json the message, a JSON object
 * @param ackId its {@code ackId}, or {@code null} when it wants no ack
 */
record ClientMessage(ClientConnection connection, JsonNode json, @Nullable JsonNode ackId) {

  /** Acks success, when the message has an {@code ackId}. */
  void ack() {
    ack(null);
  }

  /** Acks success, or the error; nothing when the message has no {@code ackId}. */
  void ack(@Nullable AckError error) {
    if (this.ackId == null || this.ackId.isNull()) {
      return;
    }
    ObjectNode ack = Json.MAPPER.createObjectNode();
    ack.put("type", "ack");
    ack.set("ackId", this.ackId);
    ack.put("success", error == null);
    Long number = uint64(this.ackId);
    if (error == null && this.connection.isReliable() && number != null) {
      this.connection.processed(number);
    }
    if (error != null) {
      ObjectNode detail = ack.putObject("error");
      detail.put("name", error.name());
      detail.put("message", error.getMessage());
    }
    this.connection.deliverProtocol(ack);
  }

  /**
   * An {@code ackId} or {@code sequenceId}: a uint64 (0 to 2^64-1) as the bits of a {@code long}
   * (compare with {@link Long#compareUnsigned}), or {@code null} when the node is not one.
   */
  static @Nullable Long uint64(@Nullable JsonNode node) {
    if (node == null || !node.isIntegralNumber()) {
      return null;
    }
    if (node.canConvertToLong()) {
      long value = node.longValue();
      return (value >= 0) ? value : null;
    }
    BigInteger value = node.bigIntegerValue();
    return (value.signum() >= 0 && value.bitLength() <= 64) ? value.longValue() : null;
  }

  /** The {@code group}: 1-1024 characters, not only whitespace. */
  String group() {
    String group = this.json.path("group").asString("");
    if (group.isEmpty() || group.length() > 1024 || group.isBlank()) {
      throw new AckError("BadRequest", "Invalid group name: it must be 1-1024 characters");
    }
    return group;
  }

  /** The {@code dataType}: text, json, binary or protobuf. */
  DataType dataType() {
    JsonNode node = this.json.get("dataType");
    DataType type =
        DataType.ofProtocolName((node == null || node.isNull()) ? null : node.asString());
    if (type == null) {
      throw new AckError("BadRequest", "Invalid dataType: use text, json, binary or protobuf");
    }
    return type;
  }

  /** The bytes of {@code data} in the given data type. */
  byte[] data(DataType type) {
    JsonNode data = this.json.get("data");
    if (data == null) {
      throw new AckError("BadRequest", "The message has no data");
    }
    switch (type) {
      case TEXT -> {
        if (!data.isString()) {
          throw new AckError("BadRequest", "dataType text needs a string data");
        }
        return data.asString().getBytes(StandardCharsets.UTF_8);
      }
      case BINARY -> {
        try {
          return Base64.getDecoder().decode(data.asString());
        } catch (IllegalArgumentException | tools.jackson.core.JacksonException ex) {
          throw new AckError("BadRequest", "dataType binary needs base64 data");
        }
      }
      case PROTOBUF -> {
        try {
          byte[] bytes = Base64.getDecoder().decode(data.asString());
          com.google.protobuf.Any.parseFrom(bytes);
          return bytes;
        } catch (IllegalArgumentException
            | tools.jackson.core.JacksonException
            | com.google.protobuf.InvalidProtocolBufferException ex) {
          throw new AckError(
              "BadRequest",
              "dataType protobuf needs the base64 of a serialized google.protobuf.Any");
        }
      }
      default -> {
        return Json.MAPPER.writeValueAsBytes(data);
      }
    }
  }
}
