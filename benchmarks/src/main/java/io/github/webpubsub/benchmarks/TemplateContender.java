package io.github.webpubsub.benchmarks;

import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubTemplate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Mono;

/**
 * Our {@link WebPubSubTemplate} exactly as an application gets it: the {@link WebPubSubOperations}
 * bean of a minimal {@link SpringApplication} with full auto-configuration and only {@code
 * webpubsub.endpoint}, {@code webpubsub.access-key} and {@code webpubsub.hub} set (plus {@code
 * webpubsub.transport} when a transport is chosen). Bare, Boot's observation auto-configuration is
 * excluded; with metrics, the application is one with actuator and Micrometer metrics as Boot wires
 * them: an {@code ObservationRegistry} whose meter handlers (the starter's for Web PubSub
 * operations, Micrometer's default one for the rest) record into the {@link MeterRegistry} (Boot's
 * simple registry), no tracing on the class path. {@link #check()} proves that the metrics were
 * recorded.
 */
final class TemplateContender implements Contender {

  /** Which {@code webpubsub.transport} the application sets. */
  enum Transport {
    /** None: what an application gets by default. */
    DEFAULT,
    WEB_CLIENT,
    REACTOR_NETTY
  }

  private static final String NO_OBSERVATION =
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration,"
          + "org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration";

  private final ConfigurableApplicationContext context;

  private final WebPubSubOperations template;

  private final String name;

  private final boolean observed;

  /** The template of the auto-configuration, with or without metrics, on the given transport. */
  TemplateContender(
      URI endpoint, String hub, String accessKey, boolean observed, Transport transport) {
    this(endpoint, hub, accessKey, observed, transport, Map.of(), name(observed, transport));
  }

  private static String name(boolean observed, Transport transport) {
    return switch (transport) {
      case DEFAULT -> observed ? TemplateNames.TEMPLATE_OBSERVED : TemplateNames.TEMPLATE;
      case WEB_CLIENT ->
          observed ? TemplateNames.TEMPLATE_WEB_CLIENT_OBSERVED : TemplateNames.TEMPLATE_WEB_CLIENT;
      case REACTOR_NETTY ->
          observed ? TemplateNames.TEMPLATE_NETTY_OBSERVED : TemplateNames.TEMPLATE_NETTY;
    };
  }

  /** The template with metrics on the default transport, the long task timers left out. */
  static TemplateContender withoutLongTaskTimer(URI endpoint, String hub, String accessKey) {
    return new TemplateContender(
        endpoint,
        hub,
        accessKey,
        true,
        Transport.DEFAULT,
        Map.of("management.metrics.observations.ignored-meters", "long-task-timer"),
        TemplateNames.TEMPLATE_OBSERVED_NO_LONG_TASK_TIMER);
  }

  private TemplateContender(
      URI endpoint,
      String hub,
      String accessKey,
      boolean observed,
      Transport transport,
      Map<String, Object> extraProperties,
      String name) {
    this.context = startApplication(observed, transport, endpoint, hub, accessKey, extraProperties);
    this.template = this.context.getBean(WebPubSubOperations.class);
    this.observed = observed;
    this.name = name;
  }

  /**
   * Starts the minimal application configured for the given service, with or without Boot's
   * observation auto-configuration, on the default transport.
   */
  static ConfigurableApplicationContext startApplication(
      boolean observed, URI endpoint, String hub, String accessKey) {
    return startApplication(observed, Transport.DEFAULT, endpoint, hub, accessKey);
  }

  /** As above, with {@code webpubsub.transport} set unless {@link Transport#DEFAULT}. */
  static ConfigurableApplicationContext startApplication(
      boolean observed, Transport transport, URI endpoint, String hub, String accessKey) {
    return startApplication(observed, transport, endpoint, hub, accessKey, Map.of());
  }

  /** As above, with more application properties. */
  static ConfigurableApplicationContext startApplication(
      boolean observed,
      Transport transport,
      URI endpoint,
      String hub,
      String accessKey,
      Map<String, Object> extraProperties) {
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
    switch (transport) {
      case WEB_CLIENT -> properties.put("webpubsub.transport", "web-client");
      case REACTOR_NETTY -> properties.put("webpubsub.transport", "reactor-netty");
      case DEFAULT -> {}
    }
    properties.putAll(extraProperties);
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

  /**
   * What the application recorded: with metrics, the count of the {@code webpubsub.client.requests}
   * timer (and of {@code http.client.requests} if the WebClient records it) in its {@link
   * MeterRegistry}, which must be above zero; the template's transport.
   */
  @Override
  public String check() {
    String transport = transport();
    if (!this.observed) {
      return this.name + ": transport " + transport + ", no ObservationRegistry";
    }
    ObservationRegistry observations = this.context.getBean(ObservationRegistry.class);
    MeterRegistry meters = this.context.getBean(MeterRegistry.class);
    long ours = count(meters, "webpubsub.client.requests");
    long http = count(meters, "http.client.requests");
    if (observations.isNoop() || ours == 0) {
      throw new IllegalStateException(
          this.name + " recorded no webpubsub.client.requests in " + meters);
    }
    return this.name
        + ": transport "
        + transport
        + ", "
        + meters.getClass().getSimpleName()
        + " timers webpubsub.client.requests count "
        + ours
        + ", http.client.requests count "
        + http
        + ", long task timer webpubsub.client.requests.active "
        + (meters.find("webpubsub.client.requests.active").longTaskTimers().isEmpty()
            ? "absent"
            : "present")
        + ", tracing "
        + (ClassUtils.isPresent("io.micrometer.tracing.Tracer", null) ? "present" : "absent");
  }

  /** The transport the template reports in its {@code toString()}: web-client or reactor-netty. */
  String transport() {
    return this.template.toString().replaceAll(".*transport=([a-z-]+).*", "$1");
  }

  private static long count(MeterRegistry meters, String name) {
    return meters.find(name).timers().stream().mapToLong(Timer::count).sum();
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
