package io.github.webpubsub.emulator.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How a payload is typed: the {@code dataType} of the JSON protocols, the {@code MessageData} case
 * of the protobuf ones, a content type. {@link #PROTOBUF} (a serialized {@code
 * google.protobuf.Any}) comes from clients and event handlers only; REST sends refuse it.
 */
enum DataType {
  TEXT("text", "text/plain"),
  JSON("json", "application/json"),
  BINARY("binary", "application/octet-stream"),
  PROTOBUF("protobuf", "application/x-protobuf");

  private final String protocolName;

  private final String contentType;

  DataType(String protocolName, String contentType) {
    this.protocolName = protocolName;
    this.contentType = contentType;
  }

  String protocolName() {
    return this.protocolName;
  }

  String contentType() {
    return this.contentType;
  }

  /** Maps a media type (parameters ignored) to a data type, or {@code null} if unsupported. */
  static @Nullable DataType ofContentType(@Nullable String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String media =
        ((semicolon < 0) ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    return switch (media) {
      case "text/plain" -> TEXT;
      case "application/json", "text/json" -> JSON;
      case "application/octet-stream" -> BINARY;
      case "application/x-protobuf" -> PROTOBUF;
      default -> null;
    };
  }

  /** Maps a JSON protocol {@code dataType} ({@code json} when absent), or {@code null}. */
  static @Nullable DataType ofProtocolName(@Nullable String name) {
    if (name == null) {
      return JSON;
    }
    for (DataType type : values()) {
      if (type.protocolName.equals(name)) {
        return type;
      }
    }
    return null;
  }
}
