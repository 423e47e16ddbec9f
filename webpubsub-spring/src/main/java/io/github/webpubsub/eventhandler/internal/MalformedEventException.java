package io.github.webpubsub.eventhandler.internal;

/** A request is not a well-formed Web PubSub event; answered with 400 and the reason. */
final class MalformedEventException extends RuntimeException {

  MalformedEventException(String message) {
    super(message, null, false, false);
  }
}
