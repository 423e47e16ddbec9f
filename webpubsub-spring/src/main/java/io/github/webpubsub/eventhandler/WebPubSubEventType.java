package io.github.webpubsub.eventhandler;

import org.jspecify.annotations.Nullable;

/**
 * Kinds of upstream events the service sends, identified by the CloudEvents {@code ce-type}.
 *
 * @since 0.1.0
 */
public enum WebPubSubEventType {

  /** {@code azure.webpubsub.sys.connect}: a client asks to connect (blocking). */
  CONNECT("connect"),

  /** {@code azure.webpubsub.sys.connected}: a client connected (notification). */
  CONNECTED("connected"),

  /** {@code azure.webpubsub.sys.disconnected}: a client disconnected (notification). */
  DISCONNECTED("disconnected"),

  /** {@code azure.webpubsub.user.<event>}: a client sent an event (blocking, may be answered). */
  USER("user"),

  /** {@code azure.webpubsub.gp.joined}: a connection joined a group (notification). */
  GROUP_JOINED("group.joined"),

  /** {@code azure.webpubsub.gp.left}: a connection left a group (notification). */
  GROUP_LEFT("group.left");

  private static final String SYSTEM_PREFIX = "azure.webpubsub.sys.";

  private static final String USER_PREFIX = "azure.webpubsub.user.";

  private final String tagValue;

  WebPubSubEventType(String tagValue) {
    this.tagValue = tagValue;
  }

  /** Short name used in observations, e.g. {@code connect} or {@code user}. */
  public String tagValue() {
    return this.tagValue;
  }

  /**
   * Maps a {@code ce-type} header value to its kind.
   *
   * @param ceType the header value, e.g. {@code azure.webpubsub.user.message}
   * @return the kind, or {@code null} when the type is not a Web PubSub event type
   */
  public static @Nullable WebPubSubEventType fromCloudEventType(String ceType) {
    if (ceType.startsWith(USER_PREFIX) && ceType.length() > USER_PREFIX.length()) {
      return USER;
    }
    return switch (ceType) {
      case SYSTEM_PREFIX + "connect" -> CONNECT;
      case SYSTEM_PREFIX + "connected" -> CONNECTED;
      case SYSTEM_PREFIX + "disconnected" -> DISCONNECTED;
      case "azure.webpubsub.gp.joined" -> GROUP_JOINED;
      case "azure.webpubsub.gp.left" -> GROUP_LEFT;
      default -> null;
    };
  }
}
