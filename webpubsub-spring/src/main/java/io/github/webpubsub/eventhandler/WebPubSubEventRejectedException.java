package io.github.webpubsub.eventhandler;

import org.springframework.util.Assert;

/**
 * Thrown by a listener to refuse an event with a client error status: for {@code connect} the
 * client's handshake fails with that status; for a user event the service treats the event as
 * failed. The reason is the answer's body; it is not forwarded to the client, except for an
 * invocation ({@link WebPubSubInvocationListener}, or a user event the client invoked): there the
 * client receives the reason as the error message, so write it for the client. For an MQTT client's
 * {@code connect}, see {@link WebPubSubMqttConnectRejectedException}.
 *
 * @since 0.1.0
 */
public class WebPubSubEventRejectedException extends RuntimeException {

  private final int statusCode;

  /**
   * Creates a rejection.
   *
   * @param statusCode a 4xx status, e.g. 401 or 403
   * @param reason why, written in the answer's body
   */
  public WebPubSubEventRejectedException(int statusCode, String reason) {
    super(reason);
    Assert.isTrue(
        statusCode >= 400 && statusCode <= 499,
        () -> "statusCode must be a 4xx client error status, got " + statusCode);
    this.statusCode = statusCode;
  }

  /**
   * Rejects with 401 Unauthorized.
   *
   * @param reason why
   * @return the exception to throw
   */
  public static WebPubSubEventRejectedException unauthorized(String reason) {
    return new WebPubSubEventRejectedException(401, reason);
  }

  /**
   * Rejects with 403 Forbidden.
   *
   * @param reason why
   * @return the exception to throw
   */
  public static WebPubSubEventRejectedException forbidden(String reason) {
    return new WebPubSubEventRejectedException(403, reason);
  }

  /**
   * Rejects with 400 Bad Request.
   *
   * @param reason why
   * @return the exception to throw
   */
  public static WebPubSubEventRejectedException badRequest(String reason) {
    return new WebPubSubEventRejectedException(400, reason);
  }

  /** The status the event is answered with. */
  public int getStatusCode() {
    return this.statusCode;
  }
}
