package io.github.webpubsub.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import io.github.webpubsub.emulator.WebPubSubEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With {@code webpubsub.connection-string} set, the application starts no emulator of its own and
 * talks to the configured service (here a separately started emulator standing in for Azure).
 */
@SpringBootTest
@AutoConfigureWebTestClient
class ChatWithConnectionStringTests {

  @RegisterExtension static WebPubSubEmulatorExtension service = new WebPubSubEmulatorExtension();

  @DynamicPropertySource
  static void connectionString(DynamicPropertyRegistry registry) {
    registry.add("webpubsub.connection-string", () -> service.getEmulator().getConnectionString());
  }

  @Autowired private ApplicationContext context;

  @Autowired private WebTestClient http;

  @Test
  void connectionStringReplacesTheEmbeddedEmulator() {
    assertThat(this.context.getBeansOfType(WebPubSubEmulator.class)).isEmpty();
    WebPubSubConnectionDetails details = this.context.getBean(WebPubSubConnectionDetails.class);
    assertThat(details.getEndpoint()).isEqualTo(service.getEmulator().getEndpoint());
    this.http
        .get()
        .uri("/negotiate?user=alice&room=lobby")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.url")
        .value(
            String.class,
            (url) ->
                assertThat(url)
                    .startsWith(
                        "ws://localhost:"
                            + service.getEmulator().getPort()
                            + "/client/hubs/chat?access_token="));
  }
}
