package io.github.webpubsub.autoconfigure.eventhandler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * In an application that is not a web application, warns about {@code @WebPubSub*Listener} methods
 * that can never run, naming the web starter to add.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnNotWebApplication
@ConditionalOnBooleanProperty(name = "webpubsub.event-handler.enabled", matchIfMissing = true)
public final class WebPubSubListenersWithoutWebAutoConfiguration {

  @Bean
  static ListenersWithoutWebServerReporter webPubSubListenersWithoutWebServerReporter() {
    return new ListenersWithoutWebServerReporter();
  }
}
