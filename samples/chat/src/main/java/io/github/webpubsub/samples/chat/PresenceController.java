package io.github.webpubsub.samples.chat;

import io.github.webpubsub.core.GroupMember;
import io.github.webpubsub.core.WebPubSubOperations;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Who is in a room, as the service knows it: the distinct users of the room group's connections
 * ({@code listConnectionsInGroup}), sorted. The page asks again on every join and leave notice, so
 * the list follows the service rather than the application's memory: it stays right with several
 * instances of the application, after a restart, and for a user with two tabs open.
 */
@RestController
class PresenceController {

  /** At most this many connections are read per answer; a bigger room is shown truncated. */
  static final int MAX_CONNECTIONS = 500;

  private final WebPubSubOperations webPubSub;

  PresenceController(WebPubSubOperations webPubSub) {
    this.webPubSub = webPubSub;
  }

  @GetMapping("/presence")
  Mono<Presence> presence(@RequestParam(required = false) @Nullable String room) {
    String group = ChatNames.room(room);
    return this.webPubSub
        .listConnectionsInGroup(group)
        .take(MAX_CONNECTIONS + 1)
        .collectList()
        .map(
            (members) ->
                new Presence(
                    group,
                    members.stream()
                        .limit(MAX_CONNECTIONS)
                        .map(GroupMember::userId)
                        .filter(Objects::nonNull)
                        .distinct()
                        .sorted()
                        .toList(),
                    members.size() > MAX_CONNECTIONS));
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badRequest(IllegalArgumentException ex) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
  }

  /**
   * The answer of {@code /presence}.
   *
   * @param room the room (group)
   * @param users the distinct user ids of its connections, sorted
   * @param truncated whether the room has more than {@link #MAX_CONNECTIONS} connections, of which
   *     only the first were read
   */
  record Presence(String room, List<String> users, boolean truncated) {}
}
