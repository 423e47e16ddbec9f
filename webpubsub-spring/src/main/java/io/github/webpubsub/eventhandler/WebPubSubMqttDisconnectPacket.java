package io.github.webpubsub.eventhandler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code DISCONNECT} packet that ended an MQTT session.
 *
 * @param code the MQTT 5.0 disconnect reason code ({@code 0} normal disconnection; always {@code 0}
 *     for MQTT 3.1.1, whose packet has no code)
 * @param userProperties the packet's user properties, empty when none (or when the service sent the
 *     packet)
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebPubSubMqttDisconnectPacket(
    @JsonProperty("code") int code,
    @JsonProperty("userProperties") List<WebPubSubMqttUserProperty> userProperties) {

  /** Null-safe: absent user properties become empty. */
  public WebPubSubMqttDisconnectPacket(
      int code, @Nullable List<WebPubSubMqttUserProperty> userProperties) {
    this.code = code;
    this.userProperties = (userProperties != null) ? List.copyOf(userProperties) : List.of();
  }
}
