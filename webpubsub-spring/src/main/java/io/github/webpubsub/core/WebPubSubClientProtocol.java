package io.github.webpubsub.core;

/**
 * Kind of client a client access URL is for; each has its own path on the service.
 *
 * @since 0.1.0
 */
public enum WebPubSubClientProtocol {
  /** WebSocket clients, plain or with a Web PubSub subprotocol: {@code client/hubs/{hub}}. */
  DEFAULT("default", "client/hubs/"),
  /** MQTT clients: {@code clients/mqtt/hubs/{hub}}. */
  MQTT("mqtt", "clients/mqtt/hubs/"),
  /** Web PubSub for Socket.IO clients: {@code clients/socketio/hubs/{hub}}. */
  SOCKETIO("socketio", "clients/socketio/hubs/");

  private final String clientType;

  private final String pathPrefix;

  WebPubSubClientProtocol(String clientType, String pathPrefix) {
    this.clientType = clientType;
    this.pathPrefix = pathPrefix;
  }

  /** The {@code clientType} value sent to {@code :generateToken}. */
  public String clientType() {
    return this.clientType;
  }

  /** The path before the hub name, without a leading slash. */
  public String pathPrefix() {
    return this.pathPrefix;
  }
}
