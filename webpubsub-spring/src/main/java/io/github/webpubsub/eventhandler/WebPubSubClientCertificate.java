package io.github.webpubsub.eventhandler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A client certificate the connecting client presented.
 *
 * @param thumbprint SHA-1 thumbprint
 * @param content PEM content, when the service forwards it
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebPubSubClientCertificate(
    @JsonProperty("thumbprint") @Nullable String thumbprint,
    @JsonProperty("content") @Nullable String content) {}
