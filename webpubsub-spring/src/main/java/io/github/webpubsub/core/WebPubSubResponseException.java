package io.github.webpubsub.core;

import org.jspecify.annotations.Nullable;

/**
 * The service answered an operation with an error status. Carries the status, the service's error
 * code and request id when it gave them; never the access key or a token.
 *
 * @since 0.1.0
 */
public class WebPubSubResponseException extends WebPubSubException {

  private final int statusCode;

  private final @Nullable String errorCode;

  private final @Nullable String requestId;

  /**
   * Creates an exception for an error answer.
   *
   * @param message what failed, including operation, hub, endpoint and status
   * @param statusCode the HTTP status of the answer
   * @param errorCode the service's error code ({@code code} in the body or {@code
   *     x-ms-error-code}), or {@code null}
   * @param requestId the service's request id header, or {@code null}
   */
  public WebPubSubResponseException(
      String message, int statusCode, @Nullable String errorCode, @Nullable String requestId) {
    super(message, null);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.requestId = requestId;
  }

  /**
   * The HTTP status of the answer.
   *
   * @return the status, e.g. {@code 403}
   */
  public int getStatusCode() {
    return this.statusCode;
  }

  /**
   * The service's error code.
   *
   * @return the code, or {@code null} when the service gave none
   */
  public @Nullable String getErrorCode() {
    return this.errorCode;
  }

  /**
   * The request id the service returned, for support requests.
   *
   * @return the id, or {@code null}
   */
  public @Nullable String getRequestId() {
    return this.requestId;
  }
}
