package io.github.webpubsub.benchmarks;

/** Names shared by the report and the template contender. */
final class TemplateNames {

  static final String TEMPLATE = "WebPubSubTemplate";

  private TemplateNames() {}
}
