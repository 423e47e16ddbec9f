package io.github.webpubsub.eventhandler.internal;

/** A request body exceeded the accepted size; answered with 413. */
public final class PayloadTooLargeException extends RuntimeException {

  /**
   * Creates the exception.
   *
   * @param maxBytes the limit that was exceeded
   */
  public PayloadTooLargeException(long maxBytes) {
    super("Request body exceeds " + maxBytes + " bytes", null, false, false);
  }
}
