package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubTokenProvider;
import reactor.core.publisher.Mono;

/** Uses the provider's bearer token (e.g. Microsoft Entra ID) for every request. */
public final class TokenProviderAuthorizer implements RequestAuthorizer {

  private final WebPubSubTokenProvider provider;

  /** Creates an authorizer asking the provider on every attempt. */
  public TokenProviderAuthorizer(WebPubSubTokenProvider provider) {
    this.provider = provider;
  }

  @Override
  public Mono<String> bearerToken(String audience) {
    return Mono.defer(this.provider::getToken)
        .switchIfEmpty(
            Mono.error(() -> new IllegalStateException("WebPubSubTokenProvider gave no token")));
  }

  @Override
  public String toString() {
    return "TokenProviderAuthorizer[" + this.provider.getClass().getName() + "]";
  }
}
