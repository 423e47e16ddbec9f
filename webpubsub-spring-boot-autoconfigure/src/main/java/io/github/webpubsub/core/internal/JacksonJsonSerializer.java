package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubJsonSerializer;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Writes messages with a Jackson 3 mapper. */
public final class JacksonJsonSerializer implements WebPubSubJsonSerializer {

  private final JsonMapper jsonMapper;

  /** Creates a serializer writing with the given mapper. */
  public JacksonJsonSerializer(JsonMapper jsonMapper) {
    this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper must not be null");
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
}
