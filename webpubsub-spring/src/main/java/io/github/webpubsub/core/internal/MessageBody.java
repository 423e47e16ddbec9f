package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubContentType;
import io.github.webpubsub.core.WebPubSubJsonSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * A message turned into the bytes and content type of a send.
 *
 * @param bytes the body
 * @param contentType how clients receive it
 */
public record MessageBody(byte[] bytes, WebPubSubContentType contentType) {

  /**
   * Encodes a message: text as UTF-8 {@code text/plain}; {@code byte[]}, {@link ByteBuffer} and
   * {@link DataBuffer} (released after reading) as {@code application/octet-stream}; anything else
   * as JSON. An explicit content type replaces the inferred one.
   *
   * @throws IllegalArgumentException when the message is null or larger than 1 MiB
   */
  public static MessageBody of(
      @Nullable Object message,
      @Nullable WebPubSubContentType explicitType,
      WebPubSubJsonSerializer serializer) {
    if (message == null) {
      throw new IllegalArgumentException("message must not be null");
    }
    byte[] bytes;
    WebPubSubContentType inferred;
    if (message instanceof CharSequence text) {
      bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      inferred = WebPubSubContentType.TEXT;
    } else if (message instanceof byte[] array) {
      bytes = array.clone();
      inferred = WebPubSubContentType.BINARY;
    } else if (message instanceof ByteBuffer buffer) {
      ByteBuffer view = buffer.duplicate();
      bytes = new byte[view.remaining()];
      view.get(bytes);
      inferred = WebPubSubContentType.BINARY;
    } else if (message instanceof DataBuffer buffer) {
      try {
        bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
      } finally {
        DataBufferUtils.release(buffer);
      }
      inferred = WebPubSubContentType.BINARY;
    } else {
      bytes = serializer.serialize(message);
      inferred = WebPubSubContentType.JSON;
    }
    if (bytes.length > Arguments.MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "message must not exceed "
              + Arguments.MAX_MESSAGE_BYTES
              + " bytes (1 MiB) after serialization but has "
              + bytes.length);
    }
    return new MessageBody(bytes, (explicitType != null) ? explicitType : inferred);
  }
}
