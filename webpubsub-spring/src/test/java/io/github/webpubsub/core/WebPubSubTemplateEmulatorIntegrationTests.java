package io.github.webpubsub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.webpubsub.emulator.WebPubSubEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;

/**
 * End to end on both transports: the template, against the emulator, reaches a real WebSocket
 * client that connected with a token the template issued.
 */
class WebPubSubTemplateEmulatorIntegrationTests {

  private static final String KEY = "emulator-test-key-0123456789-ABCDEFGHIJKLMNOPQRSTUV";

  private static final WebPubSubEmulator emulator =
      WebPubSubEmulator.builder().port(0).accessKey(KEY).start();

  enum Transport {
    WEB_CLIENT,
    REACTOR_NETTY
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  private static WebPubSubTemplate template(Transport transport) {
    WebPubSubTemplate.Builder builder =
        (transport == Transport.WEB_CLIENT)
            ? WebPubSubTemplate.builder(WebClient.builder())
            : WebPubSubTemplate.builder(HttpClient.create());
    return builder
        .endpoint(emulator.getEndpoint())
        .hub("chat")
        .accessKey(KEY)
        .retry(WebPubSubRetrySettings.none())
        .build();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void messagesSentByTheTemplateReachAWebSocketClientWithItsToken(Transport transport) {
    WebPubSubTemplate template = template(transport);
    String user = "alice-" + transport.name().toLowerCase();
    WebPubSubClientAccess access =
        template
            .getClientAccessToken(ClientAccessOptions.forUser(user).groups("room"))
            .block(Duration.ofSeconds(30));
    assertThat(access).isNotNull();
    List<String> received = new CopyOnWriteArrayList<>();
    Disposable client =
        HttpClient.create()
            .websocket()
            .uri(access.url())
            .handle(
                (in, out) ->
                    in.receive().asString(StandardCharsets.UTF_8).doOnNext(received::add).then())
            .subscribe();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Boolean.TRUE.equals(template.userExists(user).block()));
      assertThat(template.groupExists("room").block(Duration.ofSeconds(10))).isTrue();

      template.sendToGroup("room", "to the room").block(Duration.ofSeconds(10));
      template.sendToUser(user, Map.of("text", "to alice")).block(Duration.ofSeconds(10));
      template.sendToAll("to everyone").block(Duration.ofSeconds(10));

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(received)
                      .containsExactly("to the room", "{\"text\":\"to alice\"}", "to everyone"));

      template.closeUserConnections(user, CloseOptions.defaults()).block(Duration.ofSeconds(10));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Boolean.FALSE.equals(template.userExists(user).block()));
    } finally {
      client.dispose();
    }
  }
}
