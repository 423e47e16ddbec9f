package io.github.webpubsub.emulator.internal;

import reactor.core.publisher.Mono;

/**
 * {@code sendToGroup}, with the {@code sendToGroup} permission; {@code noEcho} skips the sender.
 * With {@code stream} it starts a group stream ({@link GroupStreams}).
 */
final class SendToGroupHandler implements ClientMessageHandler {

  private final GroupStreams streams;

  SendToGroupHandler(GroupStreams streams) {
    this.streams = streams;
  }

  @Override
  public Mono<Void> handle(ClientMessage message) {
    if (message.json().has("stream")) {
      return this.streams.start(message);
    }
    ClientConnection connection = message.connection();
    String group = message.group();
    if (!connection.canSendTo(group)) {
      throw new AckError("Forbidden", "No permission to send to group " + group);
    }
    DataType dataType = message.dataType();
    byte[] data = message.data(dataType);
    boolean noEcho = message.json().path("noEcho").asBoolean(false);
    OutboundMessage outbound =
        OutboundMessage.fromGroup(group, connection.userId(), true, dataType, data);
    Hub.deliver(connection.hub().group(group), (c) -> !noEcho || c != connection, outbound);
    message.ack();
    return Mono.empty();
  }
}
