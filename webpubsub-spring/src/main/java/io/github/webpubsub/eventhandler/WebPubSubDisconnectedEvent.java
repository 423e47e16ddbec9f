package io.github.webpubsub.eventhandler;

import org.jspecify.annotations.Nullable;

/**
 * Published when a client disconnected ({@code disconnected} event).
 *
 * @since 0.1.0
 */
public class WebPubSubDisconnectedEvent extends WebPubSubEvent {

  private final @Nullable String reason;

  /**
   * Creates an event.
   *
   * @param context the connection
   * @param reason why the connection ended, if the service said
   */
  public WebPubSubDisconnectedEvent(WebPubSubConnectionContext context, @Nullable String reason) {
    super(context);
    this.reason = reason;
  }

  /** Why the connection ended, or {@code null}. */
  public @Nullable String getReason() {
    return this.reason;
  }
}
