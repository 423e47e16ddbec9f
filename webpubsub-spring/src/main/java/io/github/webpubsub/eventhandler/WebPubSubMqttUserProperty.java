package io.github.webpubsub.eventhandler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.util.Assert;

/**
 * One MQTT 5.0 user property: a name-value pair an MQTT client sent in a packet, or that the
 * application sends back in a {@code CONNACK}.
 *
 * @param name property name
 * @param value property value
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebPubSubMqttUserProperty(
    @JsonProperty("name") String name, @JsonProperty("value") String value) {

  /** Checks that neither member is {@code null}. */
  public WebPubSubMqttUserProperty {
    Assert.notNull(name, "name must not be null");
    Assert.notNull(value, "value must not be null");
  }
}
