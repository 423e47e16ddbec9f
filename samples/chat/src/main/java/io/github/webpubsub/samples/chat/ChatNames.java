package io.github.webpubsub.samples.chat;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The rules for user names, room names and message text, checked before anything is sent. */
final class ChatNames {

  static final int MAX_USER_LENGTH = 64;

  static final int MAX_TEXT_LENGTH = 2000;

  private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private ChatNames() {}

  static String user(@Nullable String user) {
    String trimmed = (user != null) ? user.strip() : "";
    if (trimmed.isEmpty() || trimmed.length() > MAX_USER_LENGTH) {
      throw new IllegalArgumentException(
          "user must be 1 to "
              + MAX_USER_LENGTH
              + " characters and not blank but was '"
              + abbreviate(user)
              + "'");
    }
    return trimmed;
  }

  static String room(@Nullable String room) {
    if (room == null || !ROOM.matcher(room).matches()) {
      throw new IllegalArgumentException(
          "room must be 1 to 64 letters, digits, '-' or '_' but was '" + abbreviate(room) + "'");
    }
    return room;
  }

  static String text(@Nullable String text) {
    String trimmed = (text != null) ? text.strip() : "";
    if (trimmed.isEmpty() || trimmed.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(
          "text must be 1 to " + MAX_TEXT_LENGTH + " characters and not blank");
    }
    return trimmed;
  }

  private static String abbreviate(@Nullable String value) {
    if (value == null) {
      return "";
    }
    return (value.length() > 80) ? value.substring(0, 80) + "..." : value;
  }
}
