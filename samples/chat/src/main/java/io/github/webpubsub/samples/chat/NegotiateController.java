package io.github.webpubsub.samples.chat;

import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.core.WebPubSubOperations;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Gives the page a client URL for one user in one room: a token signed locally with the access key
 * that names the user and joins the room's group on connect. It grants no role: sending events
 * needs none, and without {@code webpubsub.sendToGroup} every message goes through the application.
 */
@RestController
class NegotiateController {

  private final WebPubSubOperations webPubSub;

  NegotiateController(WebPubSubOperations webPubSub) {
    this.webPubSub = webPubSub;
  }

  @GetMapping("/negotiate")
  Mono<Negotiation> negotiate(
      @RequestParam(required = false) @Nullable String user,
      @RequestParam(required = false) @Nullable String room) {
    String userId = ChatNames.user(user);
    String group = ChatNames.room(room);
    return this.webPubSub
        .getClientAccessToken(ClientAccessOptions.forUser(userId).groups(group))
        .map((access) -> new Negotiation(access.url(), userId, group));
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badRequest(IllegalArgumentException ex) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
  }

  /**
   * The answer of {@code /negotiate}.
   *
   * @param url the WebSocket URL with its access token
   * @param user the user id the token names
   * @param room the room (group) the client joins on connect
   */
  record Negotiation(String url, String user, String room) {}
}
