package io.github.webpubsub.eventhandler;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Thrown by a connect listener to refuse an MQTT client with an MQTT reason code: the client's
 * {@code CONNACK} carries the code (an MQTT 3.1.1 return code or an MQTT 5.0 reason code) and, for
 * MQTT 5.0 clients only, the reason string and user properties. The answer's status follows from
 * the code as the service's SDKs map it (e.g. 134/4 to 401, 138 to 403, 151 to 429, 3 to 503).
 *
 * <pre>{@code
 * WebPubSubMqttConnectInfo mqtt = request.mqtt();
 * if (mqtt != null && !"s3cret".equals(mqtt.passwordAsString())) {
 *   throw WebPubSubMqttConnectRejectedException.badUsernameOrPassword(mqtt, "unknown device");
 * }
 * }</pre>
 *
 * <p>A {@link WebPubSubEventRejectedException} thrown for an MQTT client is answered with a code
 * derived from its status (400: 4/134, 401 and 403: 5/135, otherwise 3/128) and without its reason.
 *
 * @since 0.1.0
 */
public class WebPubSubMqttConnectRejectedException extends RuntimeException {

  private static final Set<Integer> MQTT_5_CODES =
      Set.of(
          128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 140, 144, 149, 151, 153, 154, 155,
          156, 157, 159);

  private final int code;

  private final @Nullable String reason;

  private final List<WebPubSubMqttUserProperty> userProperties;

  /**
   * Creates a rejection with a reason code.
   *
   * @param code an MQTT 3.1.1 {@code CONNACK} return code (1 to 5) or an MQTT 5.0 {@code CONNACK}
   *     reason code (128 and above), matching the client's protocol version
   * @param reason reason string for MQTT 5.0 clients (the client sees it), or {@code null}
   * @param userProperties user properties for MQTT 5.0 clients, possibly empty
   */
  public WebPubSubMqttConnectRejectedException(
      int code, @Nullable String reason, List<WebPubSubMqttUserProperty> userProperties) {
    super(
        "MQTT connect rejected with code " + code + ((reason != null) ? ": " + reason : ""), null);
    Assert.isTrue(
        (code >= 1 && code <= 5) || MQTT_5_CODES.contains(code),
        () ->
            "code must be an MQTT 3.1.1 CONNACK return code (1 to 5) or an MQTT 5.0 CONNACK"
                + " reason code (128 to 159), got "
                + code);
    Assert.notNull(userProperties, "userProperties must not be null");
    this.code = code;
    this.reason = reason;
    this.userProperties = List.copyOf(userProperties);
  }

  /**
   * Creates a rejection with a reason code and no user properties.
   *
   * @param code an MQTT 3.1.1 return code (1 to 5) or MQTT 5.0 reason code (128 and above)
   * @param reason reason string for MQTT 5.0 clients, or {@code null}
   */
  public WebPubSubMqttConnectRejectedException(int code, @Nullable String reason) {
    this(code, reason, List.of());
  }

  /**
   * Rejects for a bad user name or password: code 4 (MQTT 3.1.1) or 134 (MQTT 5.0).
   *
   * @param mqtt the client's {@code CONNECT} as the request carried it
   * @param reason reason string for MQTT 5.0 clients, or {@code null}
   * @return the exception to throw
   */
  public static WebPubSubMqttConnectRejectedException badUsernameOrPassword(
      WebPubSubMqttConnectInfo mqtt, @Nullable String reason) {
    return new WebPubSubMqttConnectRejectedException(mqtt.isMqtt5() ? 134 : 4, reason);
  }

  /**
   * Rejects as not authorized: code 5 (MQTT 3.1.1) or 135 (MQTT 5.0).
   *
   * @param mqtt the client's {@code CONNECT} as the request carried it
   * @param reason reason string for MQTT 5.0 clients, or {@code null}
   * @return the exception to throw
   */
  public static WebPubSubMqttConnectRejectedException notAuthorized(
      WebPubSubMqttConnectInfo mqtt, @Nullable String reason) {
    return new WebPubSubMqttConnectRejectedException(mqtt.isMqtt5() ? 135 : 5, reason);
  }

  /**
   * Rejects as unavailable: code 3 (MQTT 3.1.1) or 136 (MQTT 5.0).
   *
   * @param mqtt the client's {@code CONNECT} as the request carried it
   * @param reason reason string for MQTT 5.0 clients, or {@code null}
   * @return the exception to throw
   */
  public static WebPubSubMqttConnectRejectedException serverUnavailable(
      WebPubSubMqttConnectInfo mqtt, @Nullable String reason) {
    return new WebPubSubMqttConnectRejectedException(mqtt.isMqtt5() ? 136 : 3, reason);
  }

  /** The {@code CONNACK} code. */
  public int getCode() {
    return this.code;
  }

  /** The reason string for MQTT 5.0 clients, or {@code null}. */
  public @Nullable String getReason() {
    return this.reason;
  }

  /** The user properties for MQTT 5.0 clients. */
  public List<WebPubSubMqttUserProperty> getUserProperties() {
    return this.userProperties;
  }

  /**
   * The HTTP status the connect event is answered with, derived from the code as the service's SDKs
   * do: MQTT 3.1.1 1, 2: 400; 3: 503; 4, 5: 401. MQTT 5.0 134, 135: 401; 129, 131, 132, 133, 140,
   * 144, 149, 153, 154, 155: 400; 138: 403; 151, 159: 429; others: 500.
   *
   * @return the status
   */
  public int getStatusCode() {
    return switch (this.code) {
      case 1, 2 -> 400;
      case 3 -> 503;
      case 4, 5, 134, 135 -> 401;
      case 129, 131, 132, 133, 140, 144, 149, 153, 154, 155 -> 400;
      case 138 -> 403;
      case 151, 159 -> 429;
      default -> 500;
    };
  }
}
