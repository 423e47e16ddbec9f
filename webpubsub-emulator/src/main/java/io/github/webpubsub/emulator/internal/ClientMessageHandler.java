package io.github.webpubsub.emulator.internal;

import reactor.core.publisher.Mono;

/**
 * Answers one type of client message (such as {@code joinGroup}), registered in {@link
 * ClientFrames} under its type. A refused message throws an {@link AckError}, which is acked.
 */
interface ClientMessageHandler {

  Mono<Void> handle(ClientMessage message);

  /**
   * Whether the type takes an {@code ackId}, so that a reliable client's repeated one is acked
   * {@code Duplicate} instead of being processed again.
   */
  default boolean takesAckId() {
    return true;
  }
}
