package io.github.webpubsub.core;

import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Writes messages with a Jackson 3 mapper: the application's, or one with default settings. */
final class JacksonJsonSerializer implements WebPubSubJsonSerializer {

  private final JsonMapper jsonMapper;

  JacksonJsonSerializer(JsonMapper jsonMapper) {
    this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper must not be null");
  }

  /** The serializer used when none is configured; its mapper is built on first use. */
  static WebPubSubJsonSerializer defaults() {
    return (value) -> DefaultMapper.SERIALIZER.serialize(value);
  }

  @Override
  public byte[] serialize(Object value) {
    try {
      return this.jsonMapper.writeValueAsBytes(value);
    } catch (JacksonException ex) {
      throw new IllegalArgumentException(
          "message of type " + value.getClass().getName() + " cannot be written as JSON", ex);
    }
  }

  @Override
  public String toString() {
    return "JacksonJsonSerializer";
  }

  /** Builds the default mapper when first asked, not when a template is built. */
  private static final class DefaultMapper {

    static final JacksonJsonSerializer SERIALIZER =
        new JacksonJsonSerializer(JsonMapper.builder().build());
  }
}
