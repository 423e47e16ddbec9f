package io.github.webpubsub.emulator.internal;

import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/** The REST operations on one user: {@code /api/hubs/{hub}/users/{userId}}. */
final class UserOperations {

  private UserOperations() {}

  /** {@code sendToUser}: 202, also when the user has no connection. */
  static Mono<Void> send(RestCall call) {
    String userId = call.variable("userId");
    Predicate<ClientConnection> select = call.selection(false);
    call.ttl();
    return call.body()
        .flatMap(
            (body) -> {
              Hub.deliver(
                  call.hub().user(userId),
                  select,
                  OutboundMessage.fromServer(body.type(), body.bytes()));
              return call.status(202);
            });
  }

  /** {@code closeUserConnections}. */
  static Mono<Void> closeConnections(RestCall call) {
    return call.closeConnections(call.hub().user(call.variable("userId")));
  }

  /** {@code userExists}: 200 when the user has a connection. */
  static Mono<Void> exists(RestCall call) {
    return call.status(call.hub().user(call.variable("userId")).isEmpty() ? 404 : 200);
  }

  /** {@code removeUserFromAllGroups}. */
  static Mono<Void> removeFromAllGroups(RestCall call) {
    call.hub().removeUserFromAllGroups(call.variable("userId"));
    return call.status(204);
  }

  /** {@code addUserToGroup}: also for the user's later connections, and 200 without one. */
  static Mono<Void> addToGroup(RestCall call) {
    Hub hub = call.hub();
    while (!hub.addUserToGroup(call.variable("userId"), call.variable("group"))) {
      hub = call.server().hub(hub.name()); // freed meanwhile (it was empty): take its successor
    }
    return call.status(200);
  }

  /** {@code removeUserFromGroup}. */
  static Mono<Void> removeFromGroup(RestCall call) {
    call.hub().removeUserFromGroup(call.variable("userId"), call.variable("group"));
    return call.status(204);
  }
}
