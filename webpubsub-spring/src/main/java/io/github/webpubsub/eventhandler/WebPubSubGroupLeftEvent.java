package io.github.webpubsub.eventhandler;

/**
 * Published when a connection left a group ({@code gp.left} event).
 *
 * @since 0.1.0
 */
public class WebPubSubGroupLeftEvent extends WebPubSubEvent {

  private final String group;

  /**
   * Creates an event.
   *
   * @param context the connection
   * @param group the group
   */
  public WebPubSubGroupLeftEvent(WebPubSubConnectionContext context, String group) {
    super(context);
    this.group = group;
  }

  /** The group. */
  public String getGroup() {
    return this.group;
  }
}
