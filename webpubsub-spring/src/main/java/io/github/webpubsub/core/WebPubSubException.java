package io.github.webpubsub.core;

import org.jspecify.annotations.Nullable;

/**
 * An operation of the template failed. Two subtypes say how: {@link WebPubSubRequestException} when
 * no answer came (connection refused or reset, timeout), {@link WebPubSubResponseException} when
 * the service answered with an error status. This type itself is thrown when the failure lies on
 * the client's side of the exchange: an answer that cannot be read, or a link the template refuses
 * to follow. The message names the operation, the hub and the endpoint's host and port; never the
 * access key or a token.
 *
 * @since 0.1.0
 */
public class WebPubSubException extends RuntimeException {

  /**
   * Creates an exception.
   *
   * @param message what failed: operation, hub, endpoint and why
   * @param cause the underlying failure, if any
   */
  public WebPubSubException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
