package io.github.webpubsub.emulator.boot.testapp;

import io.github.webpubsub.annotation.SendToGroup;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Publishes to a room (group) through {@code @SendToGroup}. */
@Service
public class Rooms {

  /**
   * Publishes a text to a room.
   *
   * @param room the group
   * @param text the text
   * @return the published text
   */
  @SendToGroup("#{#room}")
  public Mono<String> post(String room, String text) {
    return Mono.just(text);
  }
}
