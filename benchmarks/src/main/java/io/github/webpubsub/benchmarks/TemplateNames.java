package io.github.webpubsub.benchmarks;

/** Names shared by the report and the template contender. */
final class TemplateNames {

  /** Boot's WebClient.Builder without an ObservationRegistry. */
  static final String TEMPLATE = "WebPubSubTemplate";

  /** Boot's WebClient.Builder with Micrometer's observation (http.client.requests). */
  static final String TEMPLATE_OBSERVED = "WebPubSubTemplate + observation";

  /** {@code webpubsub.transport=reactor-netty} without an ObservationRegistry. */
  static final String TEMPLATE_NETTY = "WebPubSubTemplate, reactor-netty transport";

  /** {@code webpubsub.transport=reactor-netty} with Micrometer (webpubsub.client.requests). */
  static final String TEMPLATE_NETTY_OBSERVED =
      "WebPubSubTemplate, reactor-netty transport + observation";

  private TemplateNames() {}
}
