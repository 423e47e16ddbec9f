package io.github.webpubsub.emulator.internal;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** The REST operations on one connection: {@code /api/hubs/{hub}/connections/{connectionId}}. */
final class ConnectionOperations {

  private ConnectionOperations() {}

  /** {@code sendToConnection}: 202, also when the connection does not exist. */
  static Mono<Void> send(RestCall call) {
    ClientConnection connection = connection(call);
    call.ttl();
    return call.body()
        .flatMap(
            (body) -> {
              if (connection != null) {
                connection.deliver(OutboundMessage.fromServer(body.type(), body.bytes()));
              }
              return call.status(202);
            });
  }

  /** {@code connectionExists}. */
  static Mono<Void> exists(RestCall call) {
    return call.status((connection(call) != null) ? 200 : 404);
  }

  /** {@code closeConnection}: 204, also when the connection does not exist. */
  static Mono<Void> close(RestCall call) {
    ClientConnection connection = connection(call);
    if (connection != null) {
      call.server().closeConnection(connection, 1000, call.reason());
    }
    return call.status(204);
  }

  /** {@code removeConnectionFromAllGroups}. */
  static Mono<Void> removeFromAllGroups(RestCall call) {
    ClientConnection connection = connection(call);
    if (connection != null) {
      call.hub().removeFromAllGroups(connection);
    }
    return call.status(204);
  }

  private static @Nullable ClientConnection connection(RestCall call) {
    return call.hub().connection(call.variable("connectionId"));
  }
}
