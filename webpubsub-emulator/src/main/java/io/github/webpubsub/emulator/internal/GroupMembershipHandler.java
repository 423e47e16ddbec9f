package io.github.webpubsub.emulator.internal;

import reactor.core.publisher.Mono;

/** {@code joinGroup} or {@code leaveGroup}, with the {@code joinLeaveGroup} permission. */
final class GroupMembershipHandler implements ClientMessageHandler {

  private final boolean join;

  GroupMembershipHandler(boolean join) {
    this.join = join;
  }

  @Override
  public Mono<Void> handle(ClientMessage message) {
    ClientConnection connection = message.connection();
    String group = message.group();
    if (!connection.canJoinOrLeave(group)) {
      throw new AckError("Forbidden", "No permission to join or leave group " + group);
    }
    if (this.join) {
      connection.hub().join(connection, group);
    } else {
      connection.hub().leave(connection, group);
    }
    message.ack();
    return Mono.empty();
  }
}
