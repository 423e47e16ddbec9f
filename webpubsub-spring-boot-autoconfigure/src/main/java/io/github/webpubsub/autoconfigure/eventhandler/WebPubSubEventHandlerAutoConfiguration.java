package io.github.webpubsub.autoconfigure.eventhandler;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.eventhandler.ServletEventHandlerAdapter;
import io.github.webpubsub.eventhandler.WebFluxEventHandlerAdapter;
import io.github.webpubsub.eventhandler.WebPubSubEventHandler;
import io.github.webpubsub.eventhandler.observation.WebPubSubEventHandlerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configures the endpoint at {@code webpubsub.event-handler.path} that receives Web PubSub's
 * upstream events in WebFlux and Spring MVC applications and dispatches them to
 * {@code @WebPubSub*Listener} methods.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
    })
@ConditionalOnWebApplication
@ConditionalOnClass(JsonMapper.class)
@ConditionalOnBooleanProperty(name = "webpubsub.event-handler.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WebPubSubEventHandlerProperties.class)
public final class WebPubSubEventHandlerAutoConfiguration {

  private static final Log logger = LogFactory.getLog(WebPubSubEventHandlerAutoConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  WebPubSubEventHandler webPubSubEventHandler(
      WebPubSubEventHandlerProperties properties,
      ObjectProvider<WebPubSubConnectionDetails> connectionDetails,
      ObjectProvider<JsonMapper> jsonMapper,
      ObjectProvider<ObservationRegistry> observationRegistry,
      ObjectProvider<WebPubSubEventHandlerObservationConvention> observationConvention) {
    validate(properties);
    if (accessKeys(connectionDetails.getIfAvailable()).isEmpty()) {
      logger.warn(
          "Web PubSub event handler has no access key to check ce-signature with; every event"
              + " will be answered 401. Set webpubsub.connection-string or webpubsub.access-key.");
    }
    return WebPubSubEventHandler.builder()
        .accessKeys(() -> accessKeys(connectionDetails.getIfAvailable()))
        .endpoint(() -> endpoint(connectionDetails.getIfAvailable()))
        .allowedOrigins(properties.getAllowedOrigins())
        .hubs(properties.getHubs())
        .maxBodySize((int) properties.getMaxBodySize().toBytes())
        .jsonMapper(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()))
        .observationRegistry(
            () -> observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP))
        .observationConvention(observationConvention.getIfUnique())
        .build();
  }

  @Bean
  ListenerHubsReporter webPubSubListenerHubsReporter(
      WebPubSubEventHandler eventHandler,
      WebPubSubEventHandlerProperties properties,
      org.springframework.core.env.Environment environment) {
    return new ListenerHubsReporter(eventHandler, properties.getHubs(), environment);
  }

  private static List<String> accessKeys(@Nullable WebPubSubConnectionDetails details) {
    return (details != null) ? details.getAccessKeys() : List.of();
  }

  private static @Nullable URI endpoint(@Nullable WebPubSubConnectionDetails details) {
    // Without a key no event is accepted, and the endpoint may not be configured at all.
    return (details != null && !details.getAccessKeys().isEmpty()) ? details.getEndpoint() : null;
  }

  private static void validate(WebPubSubEventHandlerProperties properties) {
    String path = properties.getPath();
    if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
      throw new IllegalStateException(
          "webpubsub.event-handler.path must start with '/', not end with '/' and not be '/', got '"
              + path
              + "' (e.g. /eventhandler)");
    }
    long max = properties.getMaxBodySize().toBytes();
    if (max < 1 || max > Integer.MAX_VALUE - 1) {
      throw new IllegalStateException(
          "webpubsub.event-handler.max-body-size must be between 1B and 2GB, got " + max + "B");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  static class ReactiveEventHandlerConfiguration {

    @Bean
    org.springframework.web.reactive.function.server.RouterFunction<
            org.springframework.web.reactive.function.server.ServerResponse>
        webPubSubEventHandlerRouterFunction(
            WebPubSubEventHandlerProperties properties, WebPubSubEventHandler eventHandler) {
      return WebFluxEventHandlerAdapter.routerFunction(properties.getPath(), eventHandler);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "org.springframework.web.servlet.function.RouterFunction")
  static class ServletEventHandlerConfiguration {

    @Bean
    org.springframework.web.servlet.function.RouterFunction<
            org.springframework.web.servlet.function.ServerResponse>
        webPubSubEventHandlerServletRouterFunction(
            WebPubSubEventHandlerProperties properties, WebPubSubEventHandler eventHandler) {
      return ServletEventHandlerAdapter.routerFunction(properties.getPath(), eventHandler);
    }
  }
}
