package io.github.webpubsub.core.internal;

import reactor.core.publisher.Mono;

/**
 * The single path every operation of the template takes to the service. Decorate it to observe
 * operations: the request names the operation, hub and targets.
 */
@FunctionalInterface
public interface WebPubSubExchange {

  /**
   * Sends the request (signed, retried as the policy allows) and emits the answer: a 2xx response,
   * or a 404 when the request treats 404 as an answer; anything else errors with a {@link
   * io.github.webpubsub.core.WebPubSubException}.
   */
  Mono<WebPubSubResponse> exchange(WebPubSubRequest request);
}
