package io.github.webpubsub.core;

import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a message that is neither text nor binary into JSON bytes.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface WebPubSubJsonSerializer {

  /**
   * Serializes the value as UTF-8 JSON.
   *
   * @param value the message, never {@code null}
   * @return the JSON bytes
   * @throws IllegalArgumentException when the value cannot be written as JSON
   */
  byte[] serialize(Object value);

  /**
   * A serializer backed by a Jackson 3 {@link JsonMapper}, typically the application's own bean.
   *
   * @param jsonMapper the mapper that writes messages
   * @return the serializer
   */
  static WebPubSubJsonSerializer jackson(JsonMapper jsonMapper) {
    return new JacksonJsonSerializer(jsonMapper);
  }
}
