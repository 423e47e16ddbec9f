package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubJsonSerializer;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * The serializer used when none is configured: Jackson 3 with default settings, looked up on first
 * use so that applications without Jackson can still send text and binary messages.
 */
public final class DefaultJsonSerializer implements WebPubSubJsonSerializer {

  private static final String JSON_MAPPER = "tools.jackson.databind.json.JsonMapper";

  private volatile @Nullable WebPubSubJsonSerializer delegate;

  @Override
  public byte[] serialize(Object value) {
    WebPubSubJsonSerializer serializer = this.delegate;
    if (serializer == null) {
      if (!ClassUtils.isPresent(JSON_MAPPER, DefaultJsonSerializer.class.getClassLoader())) {
        throw new IllegalStateException(
            "message of type "
                + value.getClass().getName()
                + " must be written as JSON, but Jackson 3 ("
                + JSON_MAPPER
                + ") is not on the classpath; configure a WebPubSubJsonSerializer");
      }
      serializer = JacksonHolder.create();
      this.delegate = serializer;
    }
    return serializer.serialize(value);
  }

  @Override
  public String toString() {
    return "DefaultJsonSerializer";
  }

  /** Touches Jackson only when this class is loaded. */
  private static final class JacksonHolder {

    static WebPubSubJsonSerializer create() {
      return new JacksonJsonSerializer(tools.jackson.databind.json.JsonMapper.builder().build());
    }
  }
}
