package io.github.webpubsub.eventhandler;

/**
 * Published when a client connected ({@code connected} event).
 *
 * @since 0.1.0
 */
public class WebPubSubConnectedEvent extends WebPubSubEvent {

  /**
   * Creates an event.
   *
   * @param context the connection
   */
  public WebPubSubConnectedEvent(WebPubSubConnectionContext context) {
    super(context);
  }
}
