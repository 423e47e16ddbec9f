package io.github.webpubsub.eventhandler.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the core answers; each web stack writes it to its own response.
 *
 * @param status HTTP status
 * @param headers headers to set, including {@code Content-Type} when there is a body
 * @param body body bytes, empty for none
 */
public record EventHandlerResponse(int status, Map<String, String> headers, byte[] body) {

  static final String TEXT = "text/plain;charset=UTF-8";

  static EventHandlerResponse empty(int status) {
    return new EventHandlerResponse(status, Map.of(), new byte[0]);
  }

  static EventHandlerResponse text(int status, String message) {
    return new EventHandlerResponse(
        status, Map.of("Content-Type", TEXT), message.getBytes(StandardCharsets.UTF_8));
  }
}
