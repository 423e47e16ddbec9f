package io.github.webpubsub.benchmarks;

/** Names shared by the report and the template contender. */
final class TemplateNames {

  /** The default transport (no {@code webpubsub.transport}), no observation. */
  static final String TEMPLATE = "template, default transport";

  /** The default transport in an application with actuator and Micrometer metrics. */
  static final String TEMPLATE_OBSERVED = "template, default transport + metrics";

  /**
   * The default transport with metrics, the long task timers left out ({@code
   * management.metrics.observations.ignored-meters=long-task-timer}).
   */
  static final String TEMPLATE_OBSERVED_NO_LONG_TASK_TIMER =
      "template, default transport + metrics without long task timer";

  /** {@code webpubsub.transport=web-client}, no observation. */
  static final String TEMPLATE_WEB_CLIENT = "template, web-client";

  /** {@code webpubsub.transport=web-client} with metrics (also {@code http.client.requests}). */
  static final String TEMPLATE_WEB_CLIENT_OBSERVED = "template, web-client + metrics";

  /** {@code webpubsub.transport=reactor-netty}, no observation. */
  static final String TEMPLATE_NETTY = "template, reactor-netty";

  /** {@code webpubsub.transport=reactor-netty} with metrics. */
  static final String TEMPLATE_NETTY_OBSERVED = "template, reactor-netty + metrics";

  private TemplateNames() {}
}
