package io.github.webpubsub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.webpubsub.emulator.WebPubSubEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
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

  /**
   * An MQTT 5.0 client (Eclipse Paho) connects with the URL of the template's MQTT token ({@code
   * /clients/mqtt/hubs/chat}, {@code aud} the same), is subscribed to the token's group and gets
   * the template's group and user sends; its publish reaches the group as the REST side sees it.
   */
  @Test
  void anMqttClientConnectsWithTheTemplatesMqttToken() throws Exception {
    WebPubSubTemplate template = template(Transport.REACTOR_NETTY);
    WebPubSubClientAccess access =
        template
            .getClientAccessToken(
                ClientAccessOptions.forUser("device-owner")
                    .roles("webpubsub.sendToGroup", "webpubsub.joinLeaveGroup")
                    .groups("sensors")
                    .protocol(WebPubSubClientProtocol.MQTT))
            .block(Duration.ofSeconds(30));
    assertThat(access).isNotNull();
    assertThat(access.url()).contains("/clients/mqtt/hubs/chat?access_token=");
    // Paho waits 1 s for the WebSocket handshake: one upgrade first warms a cold emulator up.
    HttpClient.create()
        .websocket()
        .uri(access.url())
        .handle((in, out) -> out.sendClose())
        .then()
        .onErrorResume((error) -> reactor.core.publisher.Mono.empty())
        .block(Duration.ofSeconds(10));
    List<String> received = new CopyOnWriteArrayList<>();
    MqttClient client = new MqttClient(access.url(), "device42", new MemoryPersistence());
    try {
      client.setCallback(
          new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {}

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {}

            @Override
            public void messageArrived(
                String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
              received.add(topic + ":" + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {}

            @Override
            public void authPacketArrived(
                int code, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {}
          });
      client.connect(new MqttConnectionOptions());
      assertThat(template.connectionExists("device42").block(Duration.ofSeconds(10))).isTrue();
      template.sendToGroup("sensors", "to the sensors").block(Duration.ofSeconds(10));
      template.sendToUser("device-owner", "to the owner").block(Duration.ofSeconds(10));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(received)
                      .containsExactly(
                          "sensors:to the sensors", "$webpubsub/server/messages:to the owner"));
      client.publish("sensors", "from the device".getBytes(StandardCharsets.UTF_8), 1, false);
      await().until(() -> received.size() == 3);
      assertThat(received.get(2)).isEqualTo("sensors:from the device");
      client.disconnect();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Boolean.FALSE.equals(template.connectionExists("device42").block()));
    } finally {
      client.close(true);
    }
  }
}
