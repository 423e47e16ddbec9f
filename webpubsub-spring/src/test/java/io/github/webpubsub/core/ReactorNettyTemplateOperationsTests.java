package io.github.webpubsub.core;

import reactor.netty.http.client.HttpClient;

/**
 * {@link WebPubSubTemplateOperationsTests} with the template sending through Reactor Netty
 * directly.
 */
class ReactorNettyTemplateOperationsTests extends WebPubSubTemplateOperationsTests {

  @Override
  WebPubSubTemplate.Builder newBuilder() {
    return WebPubSubTemplate.builder(HttpClient.create());
  }
}
