package io.github.webpubsub.eventhandler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Body of the {@code disconnected} event.
 *
 * @param reason why the connection ended, when the service says
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebPubSubDisconnectedRequest(@JsonProperty("reason") @Nullable String reason) {}
