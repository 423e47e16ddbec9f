package io.github.webpubsub.eventhandler;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Body of the {@code connect} event: what the client presented when it asked to connect.
 *
 * @param claims token claims, each name to its values
 * @param query query parameters of the client's connect URL
 * @param headers headers of the client's WebSocket upgrade request
 * @param subprotocols subprotocols the client offered
 * @param clientCertificates client certificates the client presented
 * @param mqtt what an MQTT client's {@code CONNECT} packet carried (protocol version, user name,
 *     password, user properties); {@code null} for other clients
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebPubSubConnectRequest(
    @JsonProperty("claims") Map<String, List<String>> claims,
    @JsonProperty("query") Map<String, List<String>> query,
    @JsonProperty("headers") Map<String, List<String>> headers,
    @JsonProperty("subprotocols") List<String> subprotocols,
    @JsonProperty("clientCertificates") List<WebPubSubClientCertificate> clientCertificates,
    @JsonProperty("mqtt") @Nullable WebPubSubMqttConnectInfo mqtt) {

  /** Null-safe: absent members become empty; the one JSON binds. */
  @JsonCreator
  public WebPubSubConnectRequest(
      @Nullable Map<String, List<String>> claims,
      @Nullable Map<String, List<String>> query,
      @Nullable Map<String, List<String>> headers,
      @Nullable List<String> subprotocols,
      @Nullable List<WebPubSubClientCertificate> clientCertificates,
      @Nullable WebPubSubMqttConnectInfo mqtt) {
    this.claims = (claims != null) ? Map.copyOf(claims) : Map.of();
    this.query = (query != null) ? Map.copyOf(query) : Map.of();
    this.headers = (headers != null) ? Map.copyOf(headers) : Map.of();
    this.subprotocols = (subprotocols != null) ? List.copyOf(subprotocols) : List.of();
    this.clientCertificates =
        (clientCertificates != null) ? List.copyOf(clientCertificates) : List.of();
    this.mqtt = mqtt;
  }

  /**
   * A request of a client that is not an MQTT client. Null-safe: absent members become empty.
   *
   * @param claims token claims, each name to its values
   * @param query query parameters of the client's connect URL
   * @param headers headers of the client's WebSocket upgrade request
   * @param subprotocols subprotocols the client offered
   * @param clientCertificates client certificates the client presented
   */
  public WebPubSubConnectRequest(
      @Nullable Map<String, List<String>> claims,
      @Nullable Map<String, List<String>> query,
      @Nullable Map<String, List<String>> headers,
      @Nullable List<String> subprotocols,
      @Nullable List<WebPubSubClientCertificate> clientCertificates) {
    this(claims, query, headers, subprotocols, clientCertificates, null);
  }

  /**
   * First value of a claim, e.g. {@code sub}.
   *
   * @param name claim name
   * @return the first value, or {@code null} when absent
   */
  public @Nullable String claim(String name) {
    List<String> values = this.claims.get(name);
    return (values == null || values.isEmpty()) ? null : values.get(0);
  }

  /**
   * Names only, never values: the query may carry the client's {@code access_token}, the headers
   * its {@code Authorization} or cookies; an MQTT password is never shown.
   */
  @Override
  public String toString() {
    return "WebPubSubConnectRequest[claims="
        + this.claims.keySet()
        + ", query="
        + this.query.keySet()
        + ", headers="
        + this.headers.keySet()
        + ", subprotocols="
        + this.subprotocols
        + ", clientCertificates="
        + this.clientCertificates.size()
        + ((this.mqtt != null) ? ", mqtt=" + this.mqtt : "")
        + "]";
  }
}
