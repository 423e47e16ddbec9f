package io.github.webpubsub.benchmarks;

/** Names shared by the report and the template contender. */
final class TemplateNames {

  /** Boot's WebClient.Builder without an ObservationRegistry. */
  static final String TEMPLATE = "WebPubSubTemplate";

  /** Boot's WebClient.Builder with Micrometer's observation (http.client.requests). */
  static final String TEMPLATE_OBSERVED = "WebPubSubTemplate + observation";

  private TemplateNames() {}
}
