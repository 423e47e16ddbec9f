package io.github.webpubsub.eventhandler;

import org.springframework.context.ApplicationEvent;

/**
 * Base of the Spring application events published for every upstream event the handler accepted,
 * after its listener (if any) succeeded, so plain {@code @EventListener} methods can observe them.
 * The source is the {@link WebPubSubConnectionContext}.
 *
 * @since 0.1.0
 */
public abstract class WebPubSubEvent extends ApplicationEvent {

  /**
   * Creates an event.
   *
   * @param context the connection the event is about
   */
  protected WebPubSubEvent(WebPubSubConnectionContext context) {
    super(context);
  }

  /** The connection the event is about. */
  public WebPubSubConnectionContext getContext() {
    return (WebPubSubConnectionContext) getSource();
  }
}
