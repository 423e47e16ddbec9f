package io.github.webpubsub.emulator.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import io.github.webpubsub.emulator.boot.testapp.EmulatorTestApplication;
import io.github.webpubsub.emulator.boot.testapp.Listeners;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;

/**
 * A second, different test context (another hub, no connection string): it gets an emulator of its
 * own, not the one of {@link AutoConfigureWebPubSubEmulatorIntegrationTests}.
 */
@SpringBootTest(
    classes = EmulatorTestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "webpubsub.hub=second")
@AutoConfigureWebPubSubEmulator
class SecondContextIntegrationTests {

  @Autowired private ApplicationContext context;

  @Autowired private WebPubSubEmulator emulator;

  @Autowired private WebPubSubTestClients clients;

  @Autowired private Listeners listeners;

  @Test
  void hasItsOwnEmulatorWiredToItsOwnPort() {
    assertThat(this.context.getBean(WebPubSubConnectionDetails.class).getEndpoint())
        .isEqualTo(this.emulator.getEndpoint());
    EmulatorsSeen.check(this.context, this.emulator);

    this.clients.connect(ClientAccessOptions.forUser("second-user"));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> this.listeners.connectedUsers().contains("second-user"));
  }
}
