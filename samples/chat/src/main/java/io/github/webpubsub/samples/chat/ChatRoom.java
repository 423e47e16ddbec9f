package io.github.webpubsub.samples.chat;

import io.github.webpubsub.annotation.SendToGroup;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Publishes to a room: each method's result goes to the group named by its {@code room} argument
 * through {@code @SendToGroup}; the returned {@code Mono} completes once the service accepted it.
 */
@Service
public class ChatRoom {

  /**
   * Publishes what a user typed.
   *
   * @param room the room (group)
   * @param user who typed it
   * @param text the text
   * @return the published message
   */
  @SendToGroup("#{#room}")
  public Mono<ChatMessage> post(String room, String user, String text) {
    return Mono.just(ChatMessage.message(user, text));
  }

  /**
   * Announces that a user joined.
   *
   * @param room the room (group)
   * @param user who joined
   * @return the published notice
   */
  @SendToGroup("#{#room}")
  public Mono<ChatMessage> joined(String room, String user) {
    return Mono.just(ChatMessage.joined(user));
  }

  /**
   * Announces that a user left.
   *
   * @param room the room (group)
   * @param user who left
   * @return the published notice
   */
  @SendToGroup("#{#room}")
  public Mono<ChatMessage> left(String room, String user) {
    return Mono.just(ChatMessage.left(user));
  }
}
