package io.github.webpubsub.core;

import org.jspecify.annotations.Nullable;

/**
 * The service answered an operation with an error status, or the operation could not reach it.
 * Carries what the service said; never the access key or a token.
 *
 * @since 0.1.0
 */
public class WebPubSubException extends RuntimeException {

  private final int statusCode;

  private final @Nullable String errorCode;

  private final @Nullable String requestId;

  /**
   * Creates an exception for an error answer.
   *
   * @param message what failed, including operation and status
   * @param statusCode the HTTP status, or 0 when no answer was received
   * @param errorCode the service's error code ({@code code} in the body or {@code x-ms-error-code})
   * @param requestId the service's request id header, if any
   * @param cause the underlying failure, if any
   */
  public WebPubSubException(
      String message,
      int statusCode,
      @Nullable String errorCode,
      @Nullable String requestId,
      @Nullable Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.requestId = requestId;
  }

  /** HTTP status of the answer, or 0 when none was received. */
  public int getStatusCode() {
    return this.statusCode;
  }

  /** The service's error code, or {@code null}. */
  public @Nullable String getErrorCode() {
    return this.errorCode;
  }

  /** The request id the service returned, or {@code null}. */
  public @Nullable String getRequestId() {
    return this.requestId;
  }
}
