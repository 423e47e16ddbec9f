package io.github.webpubsub.eventhandler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * How an MQTT session ended, as the service reports it in the {@code disconnected} event ({@code
 * "mqtt"} member of the body).
 *
 * @param initiatedByClient whether the client ended the connection
 * @param disconnectPacket the {@code DISCONNECT} packet that ended it, or {@code null} when there
 *     was none (e.g. the network failed)
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebPubSubMqttDisconnectInfo(
    @JsonProperty("initiatedByClient") boolean initiatedByClient,
    @JsonProperty("disconnectPacket") @Nullable WebPubSubMqttDisconnectPacket disconnectPacket) {}
