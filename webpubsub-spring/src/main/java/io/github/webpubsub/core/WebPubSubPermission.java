package io.github.webpubsub.core;

/**
 * Permissions the service can grant to a connection at run time.
 *
 * @since 0.1.0
 */
public enum WebPubSubPermission {
  /** Publish to a group ({@code sendToGroup}). */
  SEND_TO_GROUP("sendToGroup"),
  /** Join and leave a group ({@code joinLeaveGroup}). */
  JOIN_LEAVE_GROUP("joinLeaveGroup");

  private final String value;

  WebPubSubPermission(String value) {
    this.value = value;
  }

  /** The value used in the REST path. */
  public String value() {
    return this.value;
  }

  /**
   * The permission with the given REST value ({@code sendToGroup} or {@code joinLeaveGroup}).
   *
   * @throws IllegalArgumentException for any other value
   */
  public static WebPubSubPermission fromValue(String value) {
    for (WebPubSubPermission permission : values()) {
      if (permission.value.equals(value)) {
        return permission;
      }
    }
    throw new IllegalArgumentException(
        "permission must be 'sendToGroup' or 'joinLeaveGroup' but was '" + value + "'");
  }
}
