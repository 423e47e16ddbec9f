package io.github.webpubsub.eventhandler;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Body of the {@code disconnected} event.
 *
 * @param reason why the connection ended, when the service says
 * @param mqtt how an MQTT session ended, {@code null} for other clients
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebPubSubDisconnectedRequest(
    @JsonProperty("reason") @Nullable String reason,
    @JsonProperty("mqtt") @Nullable WebPubSubMqttDisconnectInfo mqtt) {

  /** The canonical constructor, the one JSON binds. */
  @JsonCreator
  public WebPubSubDisconnectedRequest {}

  /**
   * A disconnection without MQTT details.
   *
   * @param reason why the connection ended, or {@code null}
   */
  public WebPubSubDisconnectedRequest(@Nullable String reason) {
    this(reason, null);
  }
}
