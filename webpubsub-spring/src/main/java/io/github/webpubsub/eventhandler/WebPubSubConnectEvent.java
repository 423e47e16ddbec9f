package io.github.webpubsub.eventhandler;

/**
 * Published when a {@code connect} event was accepted.
 *
 * @since 0.1.0
 */
public class WebPubSubConnectEvent extends WebPubSubEvent {

  private final WebPubSubConnectRequest request;

  private final WebPubSubConnectResponse response;

  /**
   * Creates an event.
   *
   * @param context the connection
   * @param request what the client presented
   * @param response how the connection was accepted
   */
  public WebPubSubConnectEvent(
      WebPubSubConnectionContext context,
      WebPubSubConnectRequest request,
      WebPubSubConnectResponse response) {
    super(context);
    this.request = request;
    this.response = response;
  }

  /** What the client presented. */
  public WebPubSubConnectRequest getRequest() {
    return this.request;
  }

  /** How the connection was accepted ({@link WebPubSubConnectResponse#accept()} for defaults). */
  public WebPubSubConnectResponse getResponse() {
    return this.response;
  }
}
