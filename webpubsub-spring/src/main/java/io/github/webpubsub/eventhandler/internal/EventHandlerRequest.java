package io.github.webpubsub.eventhandler.internal;

import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;

/** One HTTP request as the core sees it; each web stack adapts its own request to this. */
public interface EventHandlerRequest {

  /** HTTP method, upper case. */
  String method();

  /** Request headers (case-insensitive). */
  HttpHeaders headers();

  /**
   * The body, read only when asked for.
   *
   * @param maxBytes largest accepted body
   * @return the bytes (empty array when none), or an error {@link PayloadTooLargeException}
   */
  Mono<byte[]> body(int maxBytes);
}
