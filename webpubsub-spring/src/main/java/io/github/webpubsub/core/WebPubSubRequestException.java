package io.github.webpubsub.core;

/**
 * An operation got no answer from the service: the connection was refused or reset, the host could
 * not be resolved, or no answer came within the response timeout. The cause says which. Retried by
 * the template's retry policy where that is safe.
 *
 * @since 0.1.0
 */
public class WebPubSubRequestException extends WebPubSubException {

  /**
   * Creates an exception.
   *
   * @param message what failed: operation, hub, endpoint and why
   * @param cause the transport failure or timeout
   */
  public WebPubSubRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
