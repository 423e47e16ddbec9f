package io.github.webpubsub.autoconfigure;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks Web PubSub secrets (access keys and connection strings) in actuator output such as {@code
 * /actuator/env} and {@code /actuator/configprops}, even when an application shows values.
 */
final class WebPubSubSecretsSanitizingFunction implements SanitizingFunction {

  @Override
  public SanitizableData apply(SanitizableData data) {
    String key = data.getLowerCaseKey().replace("-", "").replace("_", "").replace(".", "");
    boolean secret =
        key.endsWith("accesskey")
            || key.endsWith("connectionstring")
            || (key.startsWith("webpubsub") && key.contains("key"));
    return secret ? data.withSanitizedValue() : data;
  }

  @Override
  public String toString() {
    return "WebPubSubSecretsSanitizingFunction";
  }
}
