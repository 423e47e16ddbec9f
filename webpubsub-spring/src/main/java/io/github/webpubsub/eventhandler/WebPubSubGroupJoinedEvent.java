package io.github.webpubsub.eventhandler;

/**
 * Published when a connection joined a group ({@code gp.joined} event).
 *
 * @since 0.1.0
 */
public class WebPubSubGroupJoinedEvent extends WebPubSubEvent {

  private final String group;

  /**
   * Creates an event.
   *
   * @param context the connection
   * @param group the group
   */
  public WebPubSubGroupJoinedEvent(WebPubSubConnectionContext context, String group) {
    super(context);
    this.group = group;
  }

  /** The group. */
  public String getGroup() {
    return this.group;
  }
}
