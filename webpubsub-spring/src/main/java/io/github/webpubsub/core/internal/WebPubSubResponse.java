package io.github.webpubsub.core.internal;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;

/**
 * The service's answer to a {@link WebPubSubRequest}: the body read fully for errors and for
 * operations returning JSON, empty for other successful answers (released unread).
 *
 * @param statusCode HTTP status
 * @param headers response headers
 * @param body body bytes, empty when none
 */
public record WebPubSubResponse(int statusCode, HttpHeaders headers, byte[] body) {

  /**
   * Largest answer body read, 1 MiB: far above any answer the service gives (a page of members, a
   * token, an error), small enough that a broken or hostile endpoint cannot exhaust memory.
   */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  /** Whether the status is 2xx. */
  public boolean isSuccess() {
    return this.statusCode >= 200 && this.statusCode < 300;
  }

  /** The body as UTF-8 text. */
  public String bodyAsString() {
    return new String(this.body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "WebPubSubResponse[" + this.statusCode + ", " + this.body.length + " bytes]";
  }
}
