package io.github.webpubsub.core.internal;

import reactor.core.publisher.Mono;

/** Produces the bearer token of one request attempt. */
@FunctionalInterface
public interface RequestAuthorizer {

  /**
   * The bearer token for a request to the given audience.
   *
   * @param audience the service URL of the request exactly as sent, query included
   */
  Mono<String> bearerToken(String audience);
}
