package io.github.webpubsub.core;

import reactor.netty.http.client.HttpClient;

/**
 * {@link WebPubSubTemplateSecretsTests} with the template sending through Reactor Netty directly.
 */
class ReactorNettyTemplateSecretsTests extends WebPubSubTemplateSecretsTests {

  @Override
  WebPubSubTemplate.Builder newBuilder() {
    return WebPubSubTemplate.builder(HttpClient.create());
  }
}
