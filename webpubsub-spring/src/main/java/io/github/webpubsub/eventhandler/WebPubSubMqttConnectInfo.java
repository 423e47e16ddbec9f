package io.github.webpubsub.eventhandler;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an MQTT client's {@code CONNECT} packet carried, as the service forwards it in the {@code
 * connect} event ({@code "mqtt"} member of the body). The service does not judge the user name and
 * password itself: a connect listener may.
 *
 * @param protocolVersion MQTT protocol level: {@code 4} for MQTT 3.1.1, {@code 5} for MQTT 5.0
 * @param username the packet's user name, or {@code null}
 * @param password the packet's password bytes (base64 in the event body), or {@code null}; a
 *     secret, never shown by {@link #toString()}
 * @param userProperties the packet's user properties (MQTT 5.0), empty when none
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebPubSubMqttConnectInfo(
    @JsonProperty("protocolVersion") int protocolVersion,
    @JsonProperty("username") @Nullable String username,
    @JsonProperty(value = "password", access = JsonProperty.Access.WRITE_ONLY)
        byte @Nullable [] password,
    @JsonProperty("userProperties") List<WebPubSubMqttUserProperty> userProperties) {

  /** MQTT 3.1.1's protocol level. */
  public static final int MQTT_3_1_1 = 4;

  /** MQTT 5.0's protocol level. */
  public static final int MQTT_5 = 5;

  /** Null-safe: absent user properties become empty; the password is copied. */
  public WebPubSubMqttConnectInfo(
      int protocolVersion,
      @Nullable String username,
      byte @Nullable [] password,
      @Nullable List<WebPubSubMqttUserProperty> userProperties) {
    this.protocolVersion = protocolVersion;
    this.username = username;
    this.password = (password != null) ? password.clone() : null;
    this.userProperties = (userProperties != null) ? List.copyOf(userProperties) : List.of();
  }

  /**
   * The password bytes.
   *
   * @return a copy of the password, or {@code null} when the packet had none
   */
  @Override
  public byte @Nullable [] password() {
    return (this.password != null) ? this.password.clone() : null;
  }

  /**
   * The password read as UTF-8, for clients that send a text password (or a token).
   *
   * @return the password as text, or {@code null} when the packet had none
   */
  public @Nullable String passwordAsString() {
    return (this.password != null) ? new String(this.password, StandardCharsets.UTF_8) : null;
  }

  /** Whether the client speaks MQTT 5.0 (reason codes from 128, reasons and user properties). */
  @JsonIgnore
  public boolean isMqtt5() {
    return this.protocolVersion >= MQTT_5;
  }

  /**
   * Never shows the password, only whether there is one, and only the names of the user properties
   * (which may carry credentials too).
   */
  @Override
  public String toString() {
    return "WebPubSubMqttConnectInfo[protocolVersion="
        + this.protocolVersion
        + ", username="
        + this.username
        + ", password="
        + ((this.password != null) ? "[hidden]" : "null")
        + ", userProperties="
        + this.userProperties.stream().map(WebPubSubMqttUserProperty::name).toList()
        + "]";
  }

  /** Compares the password by content. */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof WebPubSubMqttConnectInfo info
        && this.protocolVersion == info.protocolVersion
        && Objects.equals(this.username, info.username)
        && Arrays.equals(this.password, info.password)
        && this.userProperties.equals(info.userProperties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(this.protocolVersion, this.username, this.userProperties) * 31
        + Arrays.hashCode(this.password);
  }
}
