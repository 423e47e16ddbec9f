package io.github.webpubsub.samples.chat;

import org.jspecify.annotations.Nullable;

/**
 * What every member of a room receives, as the {@code data} of a JSON group message.
 *
 * @param kind {@code message} for text a user typed, {@code joined} or {@code left} for notices
 * @param user the user the message is about
 * @param text what the user typed; {@code null} for notices
 */
public record ChatMessage(String kind, String user, @Nullable String text) {

  static ChatMessage message(String user, String text) {
    return new ChatMessage("message", user, text);
  }

  static ChatMessage joined(String user) {
    return new ChatMessage("joined", user, null);
  }

  static ChatMessage left(String user) {
    return new ChatMessage("left", user, null);
  }
}
