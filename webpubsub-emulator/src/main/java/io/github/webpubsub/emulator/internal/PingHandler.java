package io.github.webpubsub.emulator.internal;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** {@code ping}, answered with a {@code pong}. */
final class PingHandler implements ClientMessageHandler {

  @Override
  public Mono<Void> handle(ClientMessage message) {
    ObjectNode pong = Json.MAPPER.createObjectNode();
    pong.put("type", "pong");
    message.connection().deliverProtocol(pong);
    return Mono.empty();
  }

  @Override
  public boolean takesAckId() {
    return false;
  }
}
