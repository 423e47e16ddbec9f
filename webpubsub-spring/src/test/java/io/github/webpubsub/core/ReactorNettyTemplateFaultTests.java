package io.github.webpubsub.core;

import reactor.netty.http.client.HttpClient;

/** {@link WebPubSubTemplateFaultTests} with the template sending through Reactor Netty directly. */
class ReactorNettyTemplateFaultTests extends WebPubSubTemplateFaultTests {

  @Override
  WebPubSubTemplate.Builder newBuilder() {
    return WebPubSubTemplate.builder(HttpClient.create());
  }
}
