package io.github.webpubsub.benchmarks;

import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubTemplate;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Our {@link WebPubSubTemplate} exactly as an application gets it: the {@link WebPubSubOperations}
 * bean of a minimal {@link SpringApplication} with full auto-configuration and only {@code
 * webpubsub.endpoint}, {@code webpubsub.access-key} and {@code webpubsub.hub} set (so Boot's {@link
 * WebClient.Builder} with its customizers and codecs, and, when observed, the HTTP client
 * observation of an application with Micrometer).
 */
final class TemplateContender implements Contender {

  private static final String NO_OBSERVATION =
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration,"
          + "org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration";

  private final ConfigurableApplicationContext context;

  private final WebPubSubOperations template;

  private final String name;

  TemplateContender(URI endpoint, String hub, String accessKey, boolean observed) {
    this(endpoint, hub, accessKey, observed, false);
  }

  /**
   * The template of the auto-configuration, with or without observations, sending through Boot's
   * WebClient (the default) or, with {@code reactorNetty}, through {@code
   * webpubsub.transport=reactor-netty}.
   */
  TemplateContender(
      URI endpoint, String hub, String accessKey, boolean observed, boolean reactorNetty) {
    this.context = startApplication(observed, reactorNetty, endpoint, hub, accessKey);
    this.template = this.context.getBean(WebPubSubOperations.class);
    if (reactorNetty) {
      this.name = observed ? TemplateNames.TEMPLATE_NETTY_OBSERVED : TemplateNames.TEMPLATE_NETTY;
    } else {
      this.name = observed ? TemplateNames.TEMPLATE_OBSERVED : TemplateNames.TEMPLATE;
    }
  }

  /**
   * Starts the minimal application configured for the given service, with or without Boot's
   * observation auto-configuration.
   */
  static ConfigurableApplicationContext startApplication(
      boolean observed, URI endpoint, String hub, String accessKey) {
    return startApplication(observed, false, endpoint, hub, accessKey);
  }

  /** As above, optionally with {@code webpubsub.transport=reactor-netty}. */
  static ConfigurableApplicationContext startApplication(
      boolean observed, boolean reactorNetty, URI endpoint, String hub, String accessKey) {
    SpringApplication application = new SpringApplication(BenchmarkApplication.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setLogStartupInfo(false);
    Map<String, Object> properties = new HashMap<>();
    properties.put("spring.main.banner-mode", "off");
    properties.put("webpubsub.endpoint", endpoint.toString());
    properties.put("webpubsub.access-key", accessKey);
    properties.put("webpubsub.hub", hub);
    if (!observed) {
      properties.put("spring.autoconfigure.exclude", NO_OBSERVATION);
    }
    if (reactorNetty) {
      properties.put("webpubsub.transport", "reactor-netty");
    }
    application.setDefaultProperties(properties);
    return application.run();
  }

  @Override
  public String name() {
    return this.name;
  }

  @Override
  public Mono<Void> send(String group, String message) {
    return this.template.sendToGroup(group, message);
  }

  @Override
  public void close() {
    this.context.close();
  }

  /** The smallest Boot application: auto-configuration only. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class BenchmarkApplication {}
}
