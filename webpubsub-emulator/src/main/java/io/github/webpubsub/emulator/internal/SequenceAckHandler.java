package io.github.webpubsub.emulator.internal;

import reactor.core.publisher.Mono;

/**
 * {@code sequenceAck}: cumulative, every message up to {@code sequenceId} arrived. Only the
 * reliable protocol keeps messages; {@code json.webpubsub.azure.v1} ignores it.
 */
final class SequenceAckHandler implements ClientMessageHandler {

  @Override
  public Mono<Void> handle(ClientMessage message) {
    ClientConnection connection = message.connection();
    Long sequenceId = ClientMessage.uint64(message.json().get("sequenceId"));
    if (connection.isReliable() && sequenceId != null) {
      connection.sequenceAck(sequenceId);
    }
    return Mono.empty();
  }

  @Override
  public boolean takesAckId() {
    return false;
  }
}
