package io.github.webpubsub.benchmarks;

import io.github.webpubsub.core.WebPubSubTemplate;
import java.net.URI;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Our {@link WebPubSubTemplate}, built the way an application gets it: a minimal {@link
 * SpringApplication} with full auto-configuration supplies Boot's {@link WebClient.Builder} (its
 * customizers, codecs and, when observed, the HTTP client observation of an application with
 * Micrometer), from which {@code WebPubSubTemplate.builder(...)} builds the template.
 */
final class TemplateContender implements Contender {

  private static final String NO_OBSERVATION =
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration,"
          + "org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration";

  private final ConfigurableApplicationContext context;

  private final WebPubSubTemplate template;

  private final String name;

  TemplateContender(URI endpoint, String hub, String accessKey, boolean observed) {
    this.context = startApplication(observed);
    this.template =
        WebPubSubTemplate.builder(this.context.getBean(WebClient.Builder.class))
            .endpoint(endpoint)
            .hub(hub)
            .accessKey(accessKey)
            .build();
    this.name = observed ? TemplateNames.TEMPLATE_OBSERVED : TemplateNames.TEMPLATE;
  }

  /** Starts the minimal application, with or without Boot's observation auto-configuration. */
  static ConfigurableApplicationContext startApplication(boolean observed) {
    SpringApplication application = new SpringApplication(BenchmarkApplication.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setLogStartupInfo(false);
    application.setDefaultProperties(
        observed
            ? Map.of("spring.main.banner-mode", "off")
            : Map.of(
                "spring.main.banner-mode", "off", "spring.autoconfigure.exclude", NO_OBSERVATION));
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
