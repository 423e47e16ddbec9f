package io.github.webpubsub.autoconfigure;

import java.util.regex.Pattern;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks Web PubSub secrets (access keys and connection strings) in actuator output such as {@code
 * /actuator/env} and {@code /actuator/configprops}, even when an application shows values; and keys
 * inside other values, such as {@code sun.java.command} when the connection string was given on the
 * command line.
 */
final class WebPubSubSecretsSanitizingFunction implements SanitizingFunction {

  private static final String MASK = "******";

  /** {@code AccessKey=<key>} inside a connection string, up to the next part or the value's end. */
  private static final Pattern ACCESS_KEY_PART = Pattern.compile("(?i)(accesskey\\s*=)[^;\\s\"']+");

  /** {@code webpubsub.access-key=<key>} and kin inside a command line or another value. */
  private static final Pattern KEY_PROPERTY =
      Pattern.compile("(?i)(webpubsub[._](?:secondary[-_]?)?access[-_]?key\\s*=)[^\\s\"']+");

  @Override
  public SanitizableData apply(SanitizableData data) {
    String key = data.getLowerCaseKey().replace("-", "").replace("_", "").replace(".", "");
    boolean secret =
        key.endsWith("accesskey")
            || key.endsWith("connectionstring")
            || (key.startsWith("webpubsub") && key.contains("key"));
    if (secret) {
      return data.withSanitizedValue();
    }
    if (data.getValue() instanceof String text && mayHoldAKey(text)) {
      String masked = KEY_PROPERTY.matcher(text).replaceAll("$1" + MASK);
      masked = ACCESS_KEY_PART.matcher(masked).replaceAll("$1" + MASK);
      return masked.equals(text) ? data : data.withValue(masked);
    }
    return data;
  }

  private static boolean mayHoldAKey(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("accesskey")
        || lower.contains("access-key")
        || lower.contains("access_key");
  }

  @Override
  public String toString() {
    return "WebPubSubSecretsSanitizingFunction";
  }
}
