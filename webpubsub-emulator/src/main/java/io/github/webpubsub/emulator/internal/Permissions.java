package io.github.webpubsub.emulator.internal;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Role strings of the service: {@code webpubsub.joinLeaveGroup[.group]}, {@code
 * webpubsub.sendToGroup[.group]} and the wildcard forms {@code webpubsub.joinLeaveGroups.<pattern>}
 * / {@code webpubsub.sendToGroups.<pattern>}.
 */
final class Permissions {

  private Permissions() {}

  /** The role prefix for a REST permission name, or a 400 naming the permission. */
  static String rolePrefix(String permission) {
    return switch (permission.toLowerCase(Locale.ROOT)) {
      case "sendtogroup" -> "webpubsub.sendToGroup";
      case "joinleavegroup" -> "webpubsub.joinLeaveGroup";
      default ->
          throw ServiceError.badRequest(
              "permission",
              "Invalid permission '" + permission + "': use sendToGroup or joinLeaveGroup");
    };
  }

  static boolean allows(Set<String> roles, String prefix, String group) {
    if (roles.contains(prefix) || roles.contains(prefix + "." + group)) {
      return true;
    }
    String wildcardPrefix = prefix + "s.";
    for (String role : roles) {
      if (role.startsWith(wildcardPrefix)
          && wildcard(role.substring(wildcardPrefix.length())).matcher(group).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern wildcard(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^.]*");
      } else if (c == '?') {
        regex.append("[^.]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
