package io.github.webpubsub.emulator.internal;

import java.util.regex.Pattern;

/** Validation of hub, group, user, connection and event names, as the service checks them. */
final class Names {

  private static final Pattern HUB = Pattern.compile("^[A-Za-z][A-Za-z0-9_`,.\\[\\]]{0,127}$");

  private static final Pattern EVENT =
      Pattern.compile("^[a-z][a-z0-9_.-]{0,127}$", Pattern.CASE_INSENSITIVE);

  private Names() {}

  static String hub(String hub) {
    if (!HUB.matcher(hub).matches()) {
      throw ServiceError.badRequest(
          "hub",
          "Invalid hub name '"
              + hub
              + "': it must start with a letter and contain only letters, digits, '_', '`', ',',"
              + " '.', '[' or ']' (1-128 characters)");
    }
    return hub;
  }

  static String group(String group) {
    if (group.isEmpty() || group.length() > 1024 || group.isBlank()) {
      throw ServiceError.badRequest(
          "group", "Invalid group name: it must be 1-1024 characters and not only whitespace");
    }
    return group;
  }

  static String nonEmpty(String name, String value) {
    if (value.isEmpty()) {
      throw ServiceError.badRequest(name, "Invalid " + name + ": it must not be empty");
    }
    return value;
  }

  static boolean isValidEvent(String event) {
    return EVENT.matcher(event).matches();
  }
}
