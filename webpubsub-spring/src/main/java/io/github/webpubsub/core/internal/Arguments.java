package io.github.webpubsub.core.internal;

import java.util.Collection;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Argument checks made before anything is sent; each failure names the argument and the rule. */
public final class Arguments {

  /** Hub names as the service's REST API defines them. */
  public static final Pattern HUB_PATTERN =
      Pattern.compile("^[A-Za-z][A-Za-z0-9_`,.\\[\\]]{0,127}$");

  /** Largest group name. */
  public static final int MAX_GROUP_LENGTH = 1024;

  /** Largest message, after serialization (the service's frame limit). */
  public static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  /** Fewest bytes (UTF-8) of an access key: the smallest HS256 key. */
  public static final int MIN_ACCESS_KEY_BYTES = 32;

  private Arguments() {}

  /** An access key long enough to sign HS256 tokens; the message never shows the key. */
  public static String accessKey(String name, String accessKey) {
    int length = accessKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (length < MIN_ACCESS_KEY_BYTES) {
      throw new IllegalArgumentException(
          name
              + " is too short to sign HS256 tokens: it has "
              + length
              + " bytes, at least "
              + MIN_ACCESS_KEY_BYTES
              + " are needed");
    }
    return accessKey;
  }

  /** A hub name matching the service's pattern. */
  public static String hub(@Nullable String hub) {
    if (hub == null) {
      throw new IllegalArgumentException("hub must not be null");
    }
    if (!HUB_PATTERN.matcher(hub).matches()) {
      throw new IllegalArgumentException(
          "hub must start with a letter followed by up to 127 letters, digits or _`,.[] but was '"
              + hub
              + "'");
    }
    return hub;
  }

  /** A group name: 1 to 1024 characters, not only whitespace. */
  public static String group(String name, @Nullable String group) {
    if (group == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (group.isEmpty() || group.length() > MAX_GROUP_LENGTH) {
      throw new IllegalArgumentException(
          name + " must have 1 to " + MAX_GROUP_LENGTH + " characters but has " + group.length());
    }
    if (group.isBlank()) {
      throw new IllegalArgumentException(name + " must not be only whitespace");
    }
    return notDotSegment(name, group);
  }

  /** Group names, at least one, each valid. */
  public static Collection<String> groups(String name, @Nullable Collection<String> groups) {
    if (groups == null || groups.isEmpty()) {
      throw new IllegalArgumentException(name + " must contain at least one group");
    }
    for (String group : groups) {
      group(name + " element", group);
    }
    return groups;
  }

  /** A connection or user id: not null, not empty. */
  public static String id(String name, @Nullable String id) {
    if (id == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (id.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return notDotSegment(name, id);
  }

  /** Ids, each not null and not empty. */
  public static void ids(String name, Collection<String> ids) {
    for (String id : ids) {
      id(name + " element", id);
    }
  }

  /** A required argument. */
  public static <T> T notNull(String name, @Nullable T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  /** An optional text that, when given, is not blank. */
  public static @Nullable String optionalNotBlank(String name, @Nullable String value) {
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank when given");
    }
    return value;
  }

  /**
   * Rejects {@code .} and {@code ..}: as path segments, proxies and servers normalise them away (a
   * send to group {@code ..} would become a send to the whole hub).
   */
  private static String notDotSegment(String name, String value) {
    if (value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException(
          name + " must not be '.' or '..' (they are path navigation, not names)");
    }
    return value;
  }
}
