package io.github.webpubsub.emulator.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import io.github.webpubsub.emulator.boot.test.WebPubSubTestClient;
import io.github.webpubsub.emulator.boot.test.WebPubSubTestClients;
import io.github.webpubsub.emulator.boot.testapp.EmulatorTestApplication;
import io.github.webpubsub.emulator.boot.testapp.Listeners;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The application as {@code main} starts it, on a free port: with no connection configured it runs
 * the emulator and wires it to itself; with a connection string it does not.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebPubSubEmulatorApplicationIntegrationTests {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void withoutConnectionEveryHubIsWiredToTheApplicationAndOneLineSaysSo(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
            run("--webpubsub.event-handler.hubs=chat,other,extra");
        WebPubSubTestClients clients =
            new WebPubSubTestClients(context.getBean(WebPubSubOperations.class))) {
      WebPubSubEmulator emulator = context.getBean(WebPubSubEmulator.class);
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      assertThat(context.getBean(WebPubSubConnectionDetails.class).getEndpoint())
          .isEqualTo(emulator.getEndpoint());
      assertThat(context.getBean(EmulatorEventHandlers.class).getHubs())
          .containsExactly("chat", "extra", "other");

      // the default hub: the connect listener ran
      clients.connect(ClientAccessOptions.forUser("alice"));
      await()
          .atMost(TIMEOUT)
          .until(() -> context.getBean(Listeners.class).connectedUsers().contains("alice"));

      // a second hub, known only from its listener's annotation: the listener answers
      WebPubSubTestClient zoe = clients.forHub("other").connect(ClientAccessOptions.forUser("zoe"));
      JsonNode ack = zoe.sendEvent("ping", "hi");
      assertThat(ack.path("success").asBoolean()).isTrue();
      JsonNode reply = zoe.awaitMessage(TIMEOUT);
      assertThat(reply.path("from").asString()).isEqualTo("server");
      assertThat(reply.path("data").asString()).isEqualTo("pong hi");

      String line =
          output.getOut().lines().filter((l) -> l.contains("Web PubSub emulator")).toList().get(0);
      assertThat(output.getOut()).containsOnlyOnce("Web PubSub emulator");
      assertThat(line)
          .contains("INFO")
          .contains("running in-process at " + emulator.getEndpoint())
          .contains("[chat, extra, other] -> http://localhost:" + port + "/eventhandler/{event}")
          .contains("Set webpubsub.connection-string to use Azure Web PubSub")
          .doesNotContain(emulator.getAccessKey());
    }
  }

  @Test
  void listenerHubsAndTheDefaultHubAreWiredWithoutEventHandlerHubs() {
    try (ConfigurableApplicationContext context = run("--webpubsub.hub=Lobby")) {
      assertThat(context.getBean(EmulatorEventHandlers.class).getHubs())
          .containsExactly("lobby", "other"); // the chat listeners name ${webpubsub.hub}
    }
  }

  @Test
  void customEventHandlerPathIsUsed(CapturedOutput output) {
    try (ConfigurableApplicationContext context = run("--webpubsub.event-handler.path=/events")) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      assertThat(output.getOut()).contains("-> http://localhost:" + port + "/events/{event}");
    }
  }

  @Test
  void aSeparateManagementServerDoesNotReceiveTheEvents(CapturedOutput output) {
    try (ConfigurableApplicationContext context = run("--management.server.port=0")) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      assertThat(output.getOut())
          .containsOnlyOnce("Web PubSub emulator running")
          .contains("-> http://localhost:" + port + "/eventhandler/{event}");
      assertThat(context.getBean(EmulatorEventHandlers.class).startupLine())
          .contains("-> http://localhost:" + port + "/eventhandler/{event}");
    }
  }

  @Test
  void configuredConnectionStringWinsOverTheEmbeddedEmulator(CapturedOutput output) {
    try (WebPubSubEmulator service = WebPubSubEmulator.start();
        ConfigurableApplicationContext context =
            run("--webpubsub.connection-string=" + service.getConnectionString())) {
      assertThat(context.getBeansOfType(WebPubSubEmulator.class)).isEmpty();
      assertThat(context.getBean(WebPubSubConnectionDetails.class).getEndpoint())
          .isEqualTo(service.getEndpoint());
      assertThat(context.getBean(WebPubSubOperations.class).userExists("nobody").block(TIMEOUT))
          .isFalse();
      assertThat(output.getOut()).doesNotContain("Web PubSub emulator running");
    }
  }

  private static ConfigurableApplicationContext run(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "--server.port=0";
    System.arraycopy(args, 0, all, 1, args.length);
    return new SpringApplicationBuilder(EmulatorTestApplication.class).run(all);
  }
}
