package io.github.webpubsub.eventhandler;

import org.jspecify.annotations.Nullable;

/**
 * Published when a client disconnected ({@code disconnected} event).
 *
 * @since 0.1.0
 */
public class WebPubSubDisconnectedEvent extends WebPubSubEvent {

  private final @Nullable String reason;

  private final @Nullable WebPubSubMqttDisconnectInfo mqtt;

  /**
   * Creates an event.
   *
   * @param context the connection
   * @param reason why the connection ended, if the service said
   */
  public WebPubSubDisconnectedEvent(WebPubSubConnectionContext context, @Nullable String reason) {
    this(context, reason, null);
  }

  /**
   * Creates an event.
   *
   * @param context the connection
   * @param reason why the connection ended, if the service said
   * @param mqtt how an MQTT session ended, {@code null} for other clients
   */
  public WebPubSubDisconnectedEvent(
      WebPubSubConnectionContext context,
      @Nullable String reason,
      @Nullable WebPubSubMqttDisconnectInfo mqtt) {
    super(context);
    this.reason = reason;
    this.mqtt = mqtt;
  }

  /** Why the connection ended, or {@code null}. */
  public @Nullable String getReason() {
    return this.reason;
  }

  /**
   * How an MQTT session ended: whether the client ended it and its {@code DISCONNECT} packet's
   * reason code and user properties.
   *
   * @return the MQTT details, or {@code null} for other clients
   */
  public @Nullable WebPubSubMqttDisconnectInfo getMqtt() {
    return this.mqtt;
  }
}
