package io.github.webpubsub.core;

import reactor.core.publisher.Mono;

/**
 * Source of bearer tokens for the service (for example Microsoft Entra ID tokens for the scope
 * {@code https://webpubsub.azure.com/.default}); used instead of an access key. Implementations
 * cache their tokens: the template asks for one on every request attempt.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface WebPubSubTokenProvider {

  /** A valid bearer token, without the {@code Bearer } prefix. */
  Mono<String> getToken();
}
