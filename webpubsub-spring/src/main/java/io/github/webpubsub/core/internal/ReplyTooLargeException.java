package io.github.webpubsub.core.internal;

/**
 * A transport stopped reading an answer's body at {@link WebPubSubResponse#MAX_BODY_BYTES}; the
 * exchange turns it into the operation's exception.
 */
final class ReplyTooLargeException extends RuntimeException {

  private final int statusCode;

  ReplyTooLargeException(int statusCode) {
    super("answer body over " + WebPubSubResponse.MAX_BODY_BYTES + " bytes", null, false, false);
    this.statusCode = statusCode;
  }

  int statusCode() {
    return this.statusCode;
  }
}
