package io.github.webpubsub.eventhandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.core.WebPubSubClientAccess;
import io.github.webpubsub.core.WebPubSubClientProtocol;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end, nothing hand-built: the emulator calls the application's auto-configured event
 * handler while real clients talk to the emulator. A JSON WebSocket client invokes events that
 * {@link WebPubSubInvocationListener} methods answer; Eclipse Paho MQTT 5.0 and 3.1.1 clients
 * connect with the template's MQTT token and a connect listener accepts or refuses them by their
 * {@code CONNECT} fields. Subclasses run it on WebFlux and on Spring MVC.
 */
abstract class AbstractEmulatorEndToEndTests {

  static final String KEY = "end-to-end-test-access-key-0123456789abcdef";

  private static final JsonMapper json = JsonMapper.builder().build();

  static @Nullable WebPubSubEmulator emulator;

  @LocalServerPort int port;

  @Autowired Listeners listeners;

  @Autowired WebPubSubOperations operations;

  @BeforeAll
  static void startEmulator() {
    emulator = WebPubSubEmulator.builder().port(0).accessKey(KEY).start();
  }

  @AfterAll
  static void stopEmulator() {
    if (emulator != null) {
      emulator.close();
    }
  }

  @BeforeEach
  void routeTheHubToTheApplication() {
    emulator().addEventHandler("chat", "http://localhost:" + this.port + "/eventhandler/{event}");
  }

  static WebPubSubEmulator emulator() {
    WebPubSubEmulator running = emulator;
    assertThat(running).isNotNull();
    return running;
  }

  @Test
  void jsonClientsInvocationsAreAnsweredByTheInvocationListeners() {
    WebPubSubClientAccess access =
        this.operations
            .getClientAccessToken(ClientAccessOptions.forUser("alice"))
            .block(Duration.ofSeconds(30));
    assertThat(access).isNotNull();
    Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();
    List<String> received = new CopyOnWriteArrayList<>();
    var client =
        HttpClient.create()
            .websocket(WebsocketClientSpec.builder().protocols("json.webpubsub.azure.v1").build())
            .uri(access.url())
            .handle(
                (in, out) ->
                    Mono.when(
                        in.receive()
                            .asString(StandardCharsets.UTF_8)
                            .doOnNext(received::add)
                            .then(),
                        out.sendString(outgoing.asFlux()).then()))
            .subscribe();
    try {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received).hasSize(1));
      assertThat(json.readTree(received.get(0)).get("event").asString()).isEqualTo("connected");

      outgoing.tryEmitNext(
          "{\"type\":\"invoke\",\"invocationId\":\"1\",\"target\":\"event\",\"event\":\"add\","
              + "\"dataType\":\"json\",\"data\":{\"a\":1,\"b\":2}}");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).hasSize(2));
      assertThat(received.get(1))
          .isEqualTo(
              "{\"type\":\"invokeResponse\",\"invocationId\":\"1\",\"success\":true,"
                  + "\"dataType\":\"json\",\"data\":{\"sum\":3,\"by\":\"alice\"}}");

      outgoing.tryEmitNext(
          "{\"type\":\"invoke\",\"invocationId\":\"2\",\"target\":\"event\",\"event\":\"divide\","
              + "\"dataType\":\"json\",\"data\":{\"a\":1,\"b\":0}}");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).hasSize(3));
      assertThat(received.get(2))
          .isEqualTo(
              "{\"type\":\"invokeResponse\",\"invocationId\":\"2\",\"success\":false,"
                  + "\"error\":{\"name\":\"BadRequest\",\"message\":\"b must not be 0\"}}");

      outgoing.tryEmitNext(
          "{\"type\":\"invoke\",\"invocationId\":\"3\",\"target\":\"event\",\"event\":\"vault\","
              + "\"dataType\":\"text\",\"data\":\"open\"}");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).hasSize(4));
      assertThat(received.get(3))
          .isEqualTo(
              "{\"type\":\"invokeResponse\",\"invocationId\":\"3\",\"success\":false,"
                  + "\"error\":{\"name\":\"Forbidden\",\"message\":\"not your vault\"}}");

      outgoing.tryEmitNext(
          "{\"type\":\"invoke\",\"invocationId\":\"4\",\"target\":\"event\",\"event\":\"crash\"}");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).hasSize(5));
      assertThat(received.get(4))
          .isEqualTo(
              "{\"type\":\"invokeResponse\",\"invocationId\":\"4\",\"success\":false,"
                  + "\"error\":{\"name\":\"InternalServerError\",\"message\":\"Invocation failed\"}}")
          .doesNotContain("jdbc", "IllegalStateException");
      assertThat(this.listeners.calls).contains("add alice", "divide alice", "crash alice");
    } finally {
      client.dispose();
    }
  }

  @Test
  void mqtt5ClientIsAcceptedByItsConnectFieldsAndItsDisconnectIsSeen() throws Exception {
    MqttAsyncClient client = mqtt5Client(mqttUrl("owner1"), "device5");
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName("sensor-user");
    options.setPassword("s3cret".getBytes(StandardCharsets.UTF_8));
    options.setUserProperties(List.of(new UserProperty("site", "north")));
    try {
      IMqttToken connected = client.connect(options);
      connected.waitForCompletion(10_000);
      assertThat(connected.getResponseProperties().getUserProperties())
          .extracting(UserProperty::getKey, UserProperty::getValue)
          .contains(org.assertj.core.groups.Tuple.tuple("welcome", "sensor-user"));
      assertThat(this.listeners.mqttConnects)
          .filteredOn((call) -> call.startsWith("device5 "))
          .containsExactly(
              "device5 v5 user=sensor-user password=s3cret properties=[site=north] sub=owner1");

      MqttProperties properties = new MqttProperties();
      properties.setUserProperties(List.of(new UserProperty("why", "maintenance")));
      client.disconnect(5_000, null, null, 4, properties).waitForCompletion(10_000);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(this.listeners.mqttDisconnects)
                      .filteredOn((call) -> call.startsWith("device5 "))
                      .containsExactly(
                          "device5 byClient=true code=4 properties=[why=maintenance]"));
    } finally {
      closeQuietly(client);
    }
  }

  @Test
  void mqtt5ClientRefusedByTheConnectListenerGetsTheChosenReasonCode() throws Exception {
    MqttAsyncClient client = mqtt5Client(mqttUrl("owner2"), "device6");
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName("banned");
    options.setPassword("whatever".getBytes(StandardCharsets.UTF_8));
    try {
      assertThatExceptionOfType(MqttException.class)
          .isThrownBy(() -> client.connect(options).waitForCompletion(10_000))
          .satisfies((ex) -> assertThat(ex.getReasonCode()).isEqualTo(138));
      assertThat(this.listeners.mqttConnects)
          .contains("device6 v5 user=banned password=whatever properties=[] sub=owner2");
      assertThat(this.listeners.mqttDisconnects).noneMatch((call) -> call.startsWith("device6"));
    } finally {
      closeQuietly(client);
    }
  }

  @Test
  void mqtt311ClientIsAcceptedOrRefusedWithTheChosenReturnCode() throws Exception {
    String url = mqttUrl("owner3");
    org.eclipse.paho.client.mqttv3.MqttClient refused =
        new org.eclipse.paho.client.mqttv3.MqttClient(
            url, "sensor7", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    MqttConnectOptions refusedOptions = v311Options("banned", "nope");
    try {
      assertThatExceptionOfType(org.eclipse.paho.client.mqttv3.MqttException.class)
          .isThrownBy(() -> refused.connect(refusedOptions))
          .satisfies((ex) -> assertThat(ex.getReasonCode()).isEqualTo(4));
    } finally {
      refused.close(true);
    }
    assertThat(this.listeners.mqttConnects)
        .contains("sensor7 v4 user=banned password=nope properties=[] sub=owner3");

    org.eclipse.paho.client.mqttv3.MqttClient accepted =
        new org.eclipse.paho.client.mqttv3.MqttClient(
            url, "sensor8", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    try {
      accepted.connect(v311Options("meter", "pw-311"));
      assertThat(this.listeners.mqttConnects)
          .contains("sensor8 v4 user=meter password=pw-311 properties=[] sub=owner3");
      accepted.disconnect(5_000);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(this.listeners.mqttDisconnects)
                      .contains("sensor8 byClient=true code=0 properties=[]"));
    } finally {
      accepted.close(true);
    }
  }

  private static MqttConnectOptions v311Options(String username, String password) {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(username);
    options.setPassword(password.toCharArray());
    options.setConnectionTimeout(10);
    return options;
  }

  private static void closeQuietly(MqttAsyncClient client) throws MqttException {
    if (client.isConnected()) {
      client.disconnectForcibly(1_000);
    }
    client.close(true);
  }

  private static MqttAsyncClient mqtt5Client(String url, String clientId) throws Exception {
    return new MqttAsyncClient(url, clientId, new MemoryPersistence());
  }

  /** The template's MQTT URL; one upgrade first warms the emulator up (Paho waits 1 s for it). */
  private String mqttUrl(String userId) {
    WebPubSubClientAccess access =
        this.operations
            .getClientAccessToken(
                ClientAccessOptions.forUser(userId).protocol(WebPubSubClientProtocol.MQTT))
            .block(Duration.ofSeconds(30));
    assertThat(access).isNotNull();
    assertThat(access.url()).contains("/clients/mqtt/hubs/chat?access_token=");
    HttpClient.create()
        .websocket(WebsocketClientSpec.builder().protocols("mqtt").build())
        .uri(access.url())
        .handle((in, out) -> out.sendClose())
        .then()
        .onErrorResume((error) -> Mono.empty())
        .block(Duration.ofSeconds(10));
    return access.url();
  }

  static class Listeners {

    final List<String> calls = new CopyOnWriteArrayList<>();

    final List<String> mqttConnects = new CopyOnWriteArrayList<>();

    final List<String> mqttDisconnects = new CopyOnWriteArrayList<>();

    @WebPubSubConnectListener
    @Nullable WebPubSubConnectResponse connect(
        WebPubSubConnectionContext context, WebPubSubConnectRequest request) {
      WebPubSubMqttConnectInfo mqtt = request.mqtt();
      if (mqtt == null) {
        return null;
      }
      this.mqttConnects.add(
          context.getConnectionId()
              + " v"
              + mqtt.protocolVersion()
              + " user="
              + mqtt.username()
              + " password="
              + mqtt.passwordAsString()
              + " properties="
              + mqtt.userProperties().stream().map((p) -> p.name() + "=" + p.value()).toList()
              + " sub="
              + request.claim("sub"));
      if ("banned".equals(mqtt.username())) {
        if (mqtt.isMqtt5()) {
          throw new WebPubSubMqttConnectRejectedException(138, "banned device");
        }
        throw WebPubSubMqttConnectRejectedException.badUsernameOrPassword(mqtt, null);
      }
      return WebPubSubConnectResponse.accept()
          .mqttUserProperties(new WebPubSubMqttUserProperty("welcome", mqtt.username()));
    }

    @WebPubSubDisconnectedListener
    void disconnected(WebPubSubConnectionContext context, WebPubSubDisconnectedRequest request) {
      WebPubSubMqttDisconnectInfo mqtt = request.mqtt();
      if (mqtt == null) {
        return;
      }
      WebPubSubMqttDisconnectPacket packet = mqtt.disconnectPacket();
      this.mqttDisconnects.add(
          context.getConnectionId()
              + " byClient="
              + mqtt.initiatedByClient()
              + ((packet != null)
                  ? " code="
                      + packet.code()
                      + " properties="
                      + packet.userProperties().stream()
                          .map((p) -> p.name() + "=" + p.value())
                          .toList()
                  : " no packet"));
    }

    @WebPubSubInvocationListener("add")
    Sum add(Operands operands, WebPubSubConnectionContext context) {
      this.calls.add("add " + context.getUserId());
      return new Sum(operands.a() + operands.b(), context.getUserId());
    }

    @WebPubSubInvocationListener("divide")
    Mono<Integer> divide(Operands operands, WebPubSubConnectionContext context) {
      this.calls.add("divide " + context.getUserId());
      if (operands.b() == 0) {
        return Mono.error(WebPubSubEventRejectedException.badRequest("b must not be 0"));
      }
      return Mono.just(operands.a() / operands.b());
    }

    @WebPubSubInvocationListener("vault")
    String vault(String text) {
      throw WebPubSubEventRejectedException.forbidden("not your vault");
    }

    @WebPubSubInvocationListener("crash")
    void crash(WebPubSubConnectionContext context) {
      this.calls.add("crash " + context.getUserId());
      throw new IllegalStateException("jdbc:postgresql://db.internal/secrets is down");
    }
  }

  record Operands(int a, int b) {}

  record Sum(int sum, @Nullable String by) {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class EndToEndApplication {

    @Bean
    WebPubSubConnectionDetails webPubSubConnectionDetails() {
      return new WebPubSubConnectionDetails() {
        @Override
        public URI getEndpoint() {
          return emulator().getEndpoint();
        }

        @Override
        public String getAccessKey() {
          return KEY;
        }
      };
    }

    @Bean
    Listeners listeners() {
      return new Listeners();
    }
  }
}
