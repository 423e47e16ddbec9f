package io.github.webpubsub.samples.chat;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import java.net.URI;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Without a service configured, runs the Web PubSub emulator in this process, connects the template
 * to it and, once the web server's port is known, points the hub's event handler at this
 * application. With {@code webpubsub.connection-string} set, none of this exists and the real
 * service is used.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoServiceConfiguredCondition.class)
class EmbeddedEmulatorConfiguration {

  private static final Log logger = LogFactory.getLog(EmbeddedEmulatorConfiguration.class);

  @Bean(destroyMethod = "close")
  WebPubSubEmulator webPubSubEmulator() {
    WebPubSubEmulator emulator = WebPubSubEmulator.start();
    logger.info("No webpubsub.connection-string set: started the embedded " + emulator);
    return emulator;
  }

  @Bean
  WebPubSubConnectionDetails emulatorConnectionDetails(WebPubSubEmulator emulator) {
    return new EmulatorConnectionDetails(emulator);
  }

  @Bean
  ApplicationListener<WebServerInitializedEvent> emulatorEventHandlerRegistrar(
      WebPubSubEmulator emulator,
      @Value("${webpubsub.hub}") String hub,
      @Value("${webpubsub.event-handler.path:/eventhandler}") String path) {
    return (event) -> {
      if (event.getApplicationContext().getServerNamespace() != null) {
        return; // a separate management server, not the application's
      }
      String url = "http://localhost:" + event.getWebServer().getPort() + path;
      emulator.addEventHandler(hub, url);
      logger.info("Embedded emulator sends hub '" + hub + "' events to " + url);
    };
  }

  /** The emulator's endpoint and key, in place of {@code webpubsub.*} connection properties. */
  private static final class EmulatorConnectionDetails implements WebPubSubConnectionDetails {

    private final WebPubSubEmulator emulator;

    EmulatorConnectionDetails(WebPubSubEmulator emulator) {
      this.emulator = emulator;
    }

    @Override
    public URI getEndpoint() {
      return this.emulator.getEndpoint();
    }

    @Override
    public String getAccessKey() {
      return this.emulator.getAccessKey();
    }

    @Override
    public String toString() {
      return "EmulatorConnectionDetails[endpoint=" + getEndpoint() + "]";
    }
  }
}
