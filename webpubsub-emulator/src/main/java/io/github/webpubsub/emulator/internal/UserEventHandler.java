package io.github.webpubsub.emulator.internal;

import java.util.Locale;
import reactor.core.publisher.Mono;

/**
 * {@code event}: a blocking user event upstream, whose 200 answer goes back to the client before
 * the ack; {@code NotFound} when the hub has no event handler.
 */
final class UserEventHandler implements ClientMessageHandler {

  private final Upstream upstream;

  UserEventHandler(Upstream upstream) {
    this.upstream = upstream;
  }

  @Override
  public Mono<Void> handle(ClientMessage message) {
    ClientConnection connection = message.connection();
    String event = message.json().path("event").asString("");
    if (!Names.isValidEvent(event)) {
      throw new AckError("BadRequest", "Invalid event name '" + event + "'");
    }
    DataType dataType = message.dataType();
    byte[] data = message.data(dataType);
    return this.upstream
        .userEvent(connection, event.toLowerCase(Locale.ROOT), dataType, data)
        .map(
            (answer) -> {
              connection.connectionState(answer.connectionState());
              if (answer.isSuccess()) {
                ClientFrames.reply(connection, answer);
                message.ack();
              } else {
                message.ack(
                    new AckError(
                        "InternalServerError", "The event handler answered " + answer.status()));
              }
              return answer;
            })
        .switchIfEmpty(
            Mono.fromRunnable(
                () ->
                    message.ack(
                        new AckError(
                            "NotFound",
                            "No event handler is configured for hub " + connection.hub().name()))))
        .onErrorResume(
            (error) -> {
              message.ack(
                  new AckError(
                      "InternalServerError",
                      java.util.Objects.toString(error.getMessage(), error.toString())));
              return Mono.empty();
            })
        .then();
  }
}
