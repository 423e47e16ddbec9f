package io.github.webpubsub.emulator.boot;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import io.github.webpubsub.eventhandler.WebPubSubEventHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * Runs the Web PubSub emulator in-process when no service is configured: neither {@code
 * webpubsub.connection-string} nor {@code webpubsub.endpoint} is set and no {@link
 * WebPubSubConnectionDetails} bean is defined. The template connects to it through a {@code
 * WebPubSubConnectionDetails} bean, and once the web server is up every hub with listeners, plus
 * {@code webpubsub.event-handler.hubs} and {@code webpubsub.hub}, gets an event handler pointed at
 * this application. {@code webpubsub.emulator.enabled=false} turns it off.
 *
 * <p>A test annotated with {@code @AutoConfigureWebPubSubEmulator} always gets its own emulator,
 * which replaces any configured connection.
 *
 * @since 0.1.0
 */
@AutoConfiguration(beforeName = "io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration")
@ConditionalOnClass({WebPubSubEmulator.class, WebPubSubConnectionDetails.class})
@EnableConfigurationProperties(WebPubSubEmulatorProperties.class)
public final class WebPubSubEmulatorAutoConfiguration {

  static final String ENABLED_PROPERTY = "webpubsub.emulator.enabled";

  /** Set by {@code @AutoConfigureWebPubSubEmulator}: the test context gets its own emulator. */
  static final String TEST_PROPERTY = "webpubsub.emulator.test";

  private static EmulatorEventHandlers eventHandlers(
      WebPubSubEmulator emulator,
      ObjectProvider<WebPubSubEventHandler> eventHandler,
      Environment environment,
      String reason) {
    return new EmulatorEventHandlers(emulator, eventHandler, environment, reason);
  }

  @Configuration(proxyBeanMethods = false)
  @Conditional(NoServiceConfiguredCondition.class)
  @ConditionalOnMissingBean(WebPubSubConnectionDetails.class)
  static class DevelopmentConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    WebPubSubEmulator webPubSubEmulator(WebPubSubEmulatorProperties properties) {
      return WebPubSubEmulator.builder().port(properties.getPort()).start();
    }

    @Bean
    WebPubSubConnectionDetails webPubSubEmulatorConnectionDetails(WebPubSubEmulator emulator) {
      return new EmulatorConnectionDetails(emulator);
    }

    @Bean
    EmulatorEventHandlers webPubSubEmulatorEventHandlers(
        WebPubSubEmulator emulator,
        ObjectProvider<WebPubSubEventHandler> eventHandler,
        Environment environment) {
      return eventHandlers(
          emulator,
          eventHandler,
          environment,
          "neither webpubsub.connection-string nor webpubsub.endpoint is set");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(TEST_PROPERTY)
  static class TestConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    WebPubSubEmulator webPubSubEmulator() {
      return WebPubSubEmulator.builder().port(0).start();
    }

    @Bean
    @Primary
    WebPubSubConnectionDetails webPubSubEmulatorConnectionDetails(WebPubSubEmulator emulator) {
      return new EmulatorConnectionDetails(emulator);
    }

    @Bean
    EmulatorEventHandlers webPubSubEmulatorEventHandlers(
        WebPubSubEmulator emulator,
        ObjectProvider<WebPubSubEventHandler> eventHandler,
        Environment environment) {
      return eventHandlers(
          emulator, eventHandler, environment, "the test's @AutoConfigureWebPubSubEmulator");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(WebServerInitializedEvent.class)
  static class WebServerConfiguration {

    @Bean
    static EmulatorWebServerListener webPubSubEmulatorWebServerListener(
        ObjectProvider<EmulatorEventHandlers> eventHandlers) {
      return new EmulatorWebServerListener(eventHandlers);
    }
  }
}
