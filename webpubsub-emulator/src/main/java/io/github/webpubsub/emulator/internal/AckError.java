package io.github.webpubsub.emulator.internal;

/** A client message the emulator refuses, acked with the service's error name. */
final class AckError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String name;

  AckError(String name, String message) {
    super(message, null, false, false);
    this.name = name;
  }

  /** The error name of the ack, such as {@code Forbidden} or {@code BadRequest}. */
  String name() {
    return this.name;
  }
}
