package io.github.webpubsub.emulator.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration;
import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** When the embedded emulator runs, what it replaces, and what gives way to configuration. */
@ExtendWith(OutputCaptureExtension.class)
class WebPubSubEmulatorAutoConfigurationTests {

  private static final String CONNECTION_STRING =
      "Endpoint=https://contoso.webpubsub.azure.com;"
          + "AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH;Version=1.0;";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  WebPubSubEmulatorAutoConfiguration.class, WebPubSubAutoConfiguration.class))
          .withPropertyValues("webpubsub.hub=chat");

  @Test
  void withoutConnectionStartsAnEmulatorThatTheTemplateUses() {
    this.runner.run(
        (context) -> {
          WebPubSubEmulator emulator = context.getBean(WebPubSubEmulator.class);
          WebPubSubConnectionDetails details = context.getBean(WebPubSubConnectionDetails.class);
          assertThat(details).isInstanceOf(EmulatorConnectionDetails.class);
          assertThat(details.getEndpoint()).isEqualTo(emulator.getEndpoint());
          assertThat(details.getAccessKey()).isEqualTo(emulator.getAccessKey());
          assertThat(emulator.getAccessKey())
              .isNotEqualTo(WebPubSubEmulator.DEFAULT_ACCESS_KEY)
              .hasSize(44);
          // an authenticated REST call: the template signs with the emulator's key
          assertThat(context.getBean(WebPubSubOperations.class).userExists("nobody").block(TIMEOUT))
              .isFalse();
        });
  }

  @Test
  void everyStartHasAFreshKeyAndPort() {
    AtomicReference<WebPubSubEmulator> first = new AtomicReference<>();
    this.runner.run((context) -> first.set(context.getBean(WebPubSubEmulator.class)));
    this.runner.run(
        (context) -> {
          WebPubSubEmulator second = context.getBean(WebPubSubEmulator.class);
          assertThat(second.getAccessKey()).isNotEqualTo(first.get().getAccessKey());
        });
  }

  @Test
  void portPropertyFixesThePort() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    this.runner
        .withPropertyValues("webpubsub.emulator.port=" + port)
        .run(
            (context) ->
                assertThat(context.getBean(WebPubSubEmulator.class).getPort()).isEqualTo(port));
  }

  @Test
  void emulatorStopsWithTheContext() {
    AtomicReference<URI> endpoint = new AtomicReference<>();
    this.runner.run(
        (context) -> {
          endpoint.set(context.getBean(WebPubSubEmulator.class).getEndpoint());
          assertThat(canConnect(endpoint.get())).isTrue();
        });
    assertThat(canConnect(endpoint.get())).isFalse();
  }

  @Test
  void configuredConnectionStringTurnsTheEmulatorOff() {
    this.runner
        .withPropertyValues("webpubsub.connection-string=" + CONNECTION_STRING)
        .run(
            (context) -> {
              assertThat(context).doesNotHaveBean(WebPubSubEmulator.class);
              assertThat(context.getBean(WebPubSubConnectionDetails.class).getEndpoint())
                  .isEqualTo(URI.create("https://contoso.webpubsub.azure.com"));
            });
  }

  @Test
  void configuredEndpointTurnsTheEmulatorOff() {
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=https://contoso.webpubsub.azure.com",
            "webpubsub.access-key=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH")
        .run((context) -> assertThat(context).doesNotHaveBean(WebPubSubEmulator.class));
  }

  @Test
  void enabledFalseTurnsTheEmulatorOff() {
    this.runner
        .withPropertyValues("webpubsub.emulator.enabled=false")
        .run(
            (context) ->
                // nothing stands in for the service, so the template has none
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("No Azure Web PubSub service is configured"));
  }

  @Test
  void userConnectionDetailsTurnTheEmulatorOff() {
    this.runner
        .withUserConfiguration(UserConnectionDetails.class)
        .run(
            (context) -> {
              assertThat(context).doesNotHaveBean(WebPubSubEmulator.class);
              assertThat(context.getBean(WebPubSubConnectionDetails.class).getEndpoint())
                  .isEqualTo(URI.create("https://user.webpubsub.azure.com"));
            });
  }

  @Test
  void testModeReplacesAConfiguredConnection() {
    this.runner
        .withPropertyValues(
            "webpubsub.connection-string=" + CONNECTION_STRING, "webpubsub.emulator.test=true")
        .withUserConfiguration(UserConnectionDetails.class)
        .run(
            (context) -> {
              WebPubSubEmulator emulator = context.getBean(WebPubSubEmulator.class);
              assertThat(context.getBean(WebPubSubConnectionDetails.class).getEndpoint())
                  .isEqualTo(emulator.getEndpoint());
            });
  }

  @Test
  void connectionDetailsDoNotShowTheKey() {
    this.runner.run(
        (context) -> {
          WebPubSubEmulator emulator = context.getBean(WebPubSubEmulator.class);
          assertThat(context.getBean(WebPubSubConnectionDetails.class).toString())
              .contains(emulator.getEndpoint().toString())
              .doesNotContain(emulator.getAccessKey());
        });
  }

  @Test
  void startupLineWithoutWebServerSaysWhereAndHowToSwitchButNotTheKey(CapturedOutput output) {
    this.runner.run(
        (context) -> {
          WebPubSubEmulator emulator = context.getBean(WebPubSubEmulator.class);
          assertThat(output.getOut())
              .containsOnlyOnce(
                  "Web PubSub emulator running in-process at " + emulator.getEndpoint())
              .contains("no event handlers")
              .contains("Set webpubsub.connection-string to use Azure Web PubSub")
              .doesNotContain(emulator.getAccessKey());
        });
  }

  private static boolean canConnect(URI endpoint) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", endpoint.getPort()), 1000);
      return true;
    } catch (IOException ex) {
      return false;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserConnectionDetails {

    @Bean
    WebPubSubConnectionDetails userConnectionDetails() {
      return new WebPubSubConnectionDetails() {
        @Override
        public URI getEndpoint() {
          return URI.create("https://user.webpubsub.azure.com");
        }

        @Override
        public String getAccessKey() {
          return "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";
        }
      };
    }
  }
}
