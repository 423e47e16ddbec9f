package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import com.azure.core.http.rest.RequestOptions;
import com.azure.core.util.BinaryData;
import com.azure.messaging.webpubsub.WebPubSubServiceClient;
import com.azure.messaging.webpubsub.WebPubSubServiceClientBuilder;
import com.azure.messaging.webpubsub.models.GetClientAccessTokenOptions;
import com.azure.messaging.webpubsub.models.WebPubSubClientProtocol;
import com.azure.messaging.webpubsub.models.WebPubSubContentType;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * Real MQTT clients (Eclipse Paho 1.2.5, the 3.1.1 and the 5.0 client) over WebSocket against the
 * emulator, with tokens that Microsoft's Java SDK issues for {@code WebPubSubClientProtocol.MQTT}
 * (the same {@code aud} as the template's {@code getClientAccessToken} for MQTT), observed by a
 * JSON client, the REST API and a real event handler.
 */
class MqttClientIntegrationTests {

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator = new WebPubSubEmulatorExtension();

  private static final List<String> ROLES =
      List.of("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup");

  private static int hubs;

  record Received(String uri, HttpHeaders headers, byte[] body) {

    JsonNode json() {
      return TestClient.JSON.readTree(this.body);
    }
  }

  record Reply(int status, Map<String, String> headers, String body) {}

  record Message(String topic, byte[] payload, int qos, MqttProperties properties) {

    String text() {
      return new String(this.payload, StandardCharsets.UTF_8);
    }
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();

  private final Map<String, Reply> replies = new ConcurrentHashMap<>();

  private final List<AutoCloseable> clients = new ArrayList<>();

  private DisposableServer receiver;

  private WebPubSubServiceClient sdk;

  private String hub;

  /**
   * Paho waits only 1 s for the WebSocket handshake's answer: the emulator's first upgrade in a
   * cold JVM on a busy machine can take longer, so one upgrade happens before the tests.
   */
  @org.junit.jupiter.api.BeforeAll
  static void warmUp() {
    String url =
        new WebPubSubServiceClientBuilder()
            .connectionString(emulator.getConnectionString())
            .hub("warmup")
            .buildClient()
            .getClientAccessToken(
                new GetClientAccessTokenOptions()
                    .setWebPubSubClientProtocol(WebPubSubClientProtocol.MQTT))
            .getUrl();
    TestClient.upgradeStatus(URI.create(url), "mqtt");
  }

  @BeforeEach
  void start() {
    this.hub = "mqtt" + (++hubs);
    this.sdk =
        new WebPubSubServiceClientBuilder()
            .connectionString(emulator.getConnectionString())
            .hub(this.hub)
            .buildClient();
    this.receiver =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(
                            (body) -> {
                              if (request.method().equals(HttpMethod.OPTIONS)) {
                                return response
                                    .status(200)
                                    .header("WebHook-Allowed-Origin", "*")
                                    .send()
                                    .then();
                              }
                              this.received.add(
                                  new Received(
                                      request.uri(), request.requestHeaders().copy(), body));
                              String event =
                                  request.uri().substring(request.uri().lastIndexOf('/') + 1);
                              Reply reply =
                                  this.replies.getOrDefault(event, new Reply(204, Map.of(), ""));
                              reply.headers().forEach(response::header);
                              return response
                                  .status(reply.status())
                                  .sendString(Mono.just(reply.body()))
                                  .then();
                            }))
            .bindNow();
    emulator
        .getEmulator()
        .addEventHandler(
            this.hub, "http://127.0.0.1:" + this.receiver.port() + "/upstream/{hub}/{event}");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : this.clients) {
      client.close();
    }
    this.receiver.disposeNow();
  }

  private String mqttUrl(String userId, List<String> roles, List<String> groups) {
    return this.sdk
        .getClientAccessToken(
            new GetClientAccessTokenOptions()
                .setUserId(userId)
                .setRoles(roles)
                .setGroups(groups)
                .setWebPubSubClientProtocol(WebPubSubClientProtocol.MQTT))
        .getUrl();
  }

  private List<Received> events(String name) {
    return this.received.stream().filter((r) -> r.uri().endsWith("/" + name)).toList();
  }

  // ---- MQTT 5.0 ----

  /** A Paho 5.0 client that records what it receives and how it was disconnected. */
  final class V5 implements AutoCloseable {

    final org.eclipse.paho.mqttv5.client.MqttClient client;

    final List<Message> messages = new CopyOnWriteArrayList<>();

    volatile MqttDisconnectResponse disconnect;

    final List<IMqttToken> delivered = new CopyOnWriteArrayList<>();

    V5(String url, String clientId) throws MqttException {
      this.client =
          new org.eclipse.paho.mqttv5.client.MqttClient(
              url, clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
      this.client.setCallback(
          new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
              V5.this.disconnect = response;
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
              V5.this.messages.add(
                  new Message(
                      topic, message.getPayload(), message.getQos(), message.getProperties()));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
              V5.this.delivered.add(token);
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
          });
      MqttClientIntegrationTests.this.clients.add(this);
    }

    IMqttToken connect(MqttConnectionOptions options) throws MqttException {
      return this.client.connectWithResult(options);
    }

    @Override
    public void close() throws Exception {
      if (this.client.isConnected()) {
        this.client.disconnect();
      }
      this.client.close(true);
    }
  }

  private V5 v5(String clientId, List<String> roles) throws MqttException {
    V5 client = new V5(mqttUrl("user-" + clientId, roles, List.of()), clientId);
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setAutomaticReconnect(false);
    client.connect(options);
    return client;
  }

  private TestClient json(String userId, String... groups) {
    String url =
        this.sdk
            .getClientAccessToken(
                new GetClientAccessTokenOptions()
                    .setUserId(userId)
                    .setRoles(ROLES)
                    .setGroups(List.of(groups)))
            .getUrl();
    TestClient client = TestClient.connect(URI.create(url), TestClient.JSON_PROTOCOL);
    this.clients.add(client);
    await().until(() -> !client.frames().isEmpty());
    return client;
  }

  @Test
  void mqtt5SubscriberGetsRestSendsAndJsonGroupMessagesWithContentTypes() throws Exception {
    V5 mqtt = v5("device1", ROLES);
    IMqttToken subscribed = mqtt.client.subscribe(new MqttSubscription[] {sub("room", 1)});
    assertThat(subscribed.getReasonCodes()).containsExactly(1);
    assertThat(this.sdk.groupExistsWithResponse("room", new RequestOptions()).getValue()).isTrue();

    this.sdk.sendToGroup("room", "from rest", WebPubSubContentType.TEXT_PLAIN);
    TestClient json = json("alice");
    json.send(
        TestClient.JSON.readTree(
            "{\"type\":\"sendToGroup\",\"group\":\"room\",\"dataType\":\"json\",\"data\":{\"a\":1}}"));
    // Another sender: wait for it before the next REST sends, so the order below is fixed.
    await().until(() -> mqtt.messages.size() == 2);
    this.sdk.sendToAll("to all", WebPubSubContentType.TEXT_PLAIN);
    this.sdk.sendToConnectionWithResponse(
        "device1",
        BinaryData.fromBytes(new byte[] {1, 2, 3}),
        WebPubSubContentType.APPLICATION_OCTET_STREAM,
        3,
        new RequestOptions());

    await().until(() -> mqtt.messages.size() == 4);
    Message rest = mqtt.messages.get(0);
    assertThat(rest.topic()).isEqualTo("room");
    assertThat(rest.text()).isEqualTo("from rest");
    assertThat(rest.qos()).isEqualTo(1);
    assertThat(rest.properties().getContentType()).isEqualTo("text/plain");
    Message fromJson = mqtt.messages.get(1);
    assertThat(fromJson.topic()).isEqualTo("room");
    assertThat(TestClient.JSON.readTree(fromJson.payload()).get("a").asInt()).isEqualTo(1);
    assertThat(fromJson.properties().getContentType()).isEqualTo("application/json");
    Message all = mqtt.messages.get(2);
    assertThat(all.topic()).isEqualTo("$webpubsub/server/messages");
    assertThat(all.text()).isEqualTo("to all");
    Message toConnection = mqtt.messages.get(3);
    assertThat(toConnection.topic()).isEqualTo("$webpubsub/server/messages");
    assertThat(toConnection.payload()).containsExactly(1, 2, 3);
    assertThat(toConnection.properties().getContentType()).isEqualTo("application/octet-stream");
  }

  @Test
  void mqtt5PublishReachesJsonGroupMembersWithItsDataTypeAndIsAcknowledged() throws Exception {
    TestClient json = json("alice", "room");
    V5 mqtt = v5("device2", ROLES);
    MqttMessage message = new MqttMessage("hello".getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    MqttProperties properties = new MqttProperties();
    properties.setContentType("text/plain");
    message.setProperties(properties);
    // Paho's publish blocks until the PUBACK, and fails on a refusal code.
    mqtt.client.publish("room", message);

    await().until(() -> json.json().size() == 2);
    JsonNode received = json.json().get(1);
    assertThat(received.get("type").asString()).isEqualTo("message");
    assertThat(received.get("from").asString()).isEqualTo("group");
    assertThat(received.get("group").asString()).isEqualTo("room");
    assertThat(received.get("fromUserId").asString()).isEqualTo("user-device2");
    assertThat(received.get("dataType").asString()).isEqualTo("text");
    assertThat(received.get("data").asString()).isEqualTo("hello");
  }

  @Test
  void mqtt5RefusalsUseTheServicesReasonCodes() throws Exception {
    V5 mqtt = v5("device3", List.of());
    // Paho itself refuses a wildcard once CONNACK said Wildcard Subscription Available 0.
    assertThatExceptionOfType(IllegalArgumentException.class)
        .isThrownBy(() -> mqtt.client.subscribe(new MqttSubscription[] {sub("a/+", 1)}))
        .withMessageContaining("wildcard");
    IMqttToken token =
        mqtt.client.subscribe(
            new MqttSubscription[] {sub("noPermission", 1), sub("$webpubsub/server/messages", 0)});
    assertThat(token.getReasonCodes()).containsExactly(0x87, 0);
    assertThat(this.sdk.groupExistsWithResponse("noPermission", new RequestOptions()).getValue())
        .isFalse();
    // No sendToGroup role: PUBACK 0x87.
    MqttMessage message = new MqttMessage(new byte[] {1});
    message.setQos(1);
    mqtt.client.publish("room", message);
    await().until(() -> !mqtt.delivered.isEmpty());
    assertThat(mqtt.delivered.get(0).getReasonCodes()).containsExactly(0x87);
  }

  @Test
  void mqtt5ConnectEventCarriesTheMqttFieldsAndARejectionBecomesTheConnackCode() throws Exception {
    this.replies.put(
        "connect",
        new Reply(
            401,
            Map.of("Content-Type", "application/json"),
            "{\"mqtt\":{\"code\":138,\"reason\":\"banned device\"}}"));
    V5 mqtt = new V5(mqttUrl("bob", ROLES, List.of()), "device4");
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName("name1");
    options.setPassword("secret".getBytes(StandardCharsets.UTF_8));
    options.setUserProperties(List.of(new UserProperty("k", "v")));
    assertThatExceptionOfType(MqttException.class)
        .isThrownBy(() -> mqtt.connect(options))
        .satisfies((ex) -> assertThat(ex.getReasonCode()).isEqualTo(138));

    Received connect = events("connect").get(0);
    assertThat(connect.headers().get("ce-connectionId")).isEqualTo("device4");
    assertThat(connect.headers().get("ce-subprotocol")).isEqualTo("mqtt");
    String physical = connect.headers().get("ce-physicalConnectionId");
    assertThat(physical).isNotBlank();
    assertThat(connect.headers().get("ce-source"))
        .isEqualTo("/hubs/" + this.hub + "/client/device4/" + physical);
    assertThat(connect.headers().contains("ce-sessionId")).isFalse();
    JsonNode body = connect.json();
    assertThat(body.get("subprotocols").toString()).isEqualTo("[\"mqtt\"]");
    assertThat(body.get("claims").get("sub").get(0).asString()).isEqualTo("bob");
    assertThat(body.get("mqtt").toString())
        .isEqualTo(
            "{\"protocolVersion\":5,\"username\":\"name1\",\"password\":\""
                + Base64.getEncoder().encodeToString("secret".getBytes(StandardCharsets.UTF_8))
                + "\",\"userProperties\":[{\"name\":\"k\",\"value\":\"v\"}]}");
    assertThat(events("connected")).isEmpty();
  }

  @Test
  void mqtt5ConnectedAndDisconnectedEventsCarryTheSessionAndTheDisconnectPacket() throws Exception {
    V5 mqtt = v5("device5", ROLES);
    await().until(() -> events("connected").size() == 1);
    Received connected = events("connected").get(0);
    assertThat(connected.headers().get("ce-sessionId")).isNotBlank();
    assertThat(connected.headers().get("ce-physicalConnectionId")).isNotBlank();
    assertThat(connected.headers().get("ce-connectionId")).isEqualTo("device5");
    assertThat(connected.json().toString()).isEqualTo("{}");
    assertThat(this.sdk.connectionExistsWithResponse("device5", new RequestOptions()).getValue())
        .isTrue();
    mqtt.client.disconnect();
    await().until(() -> events("disconnected").size() == 1);
    Received disconnected = events("disconnected").get(0);
    assertThat(disconnected.headers().get("ce-sessionId"))
        .isEqualTo(connected.headers().get("ce-sessionId"));
    assertThat(disconnected.json().toString())
        .isEqualTo(
            "{\"reason\":null,\"mqtt\":{\"initiatedByClient\":true,"
                + "\"disconnectPacket\":{\"code\":0,\"userProperties\":null}}}");
  }

  @Test
  void restCloseSendsADisconnectWithAdministrativeAction() throws Exception {
    V5 mqtt = v5("device6", ROLES);
    RequestOptions options = new RequestOptions().addQueryParam("reason", "maintenance");
    this.sdk.closeConnectionWithResponse("device6", options);
    await().until(() -> mqtt.disconnect != null);
    assertThat(mqtt.disconnect.getReturnCode()).isEqualTo(0x98);
    await().until(() -> events("disconnected").size() == 1);
    assertThat(events("disconnected").get(0).json().get("reason").asString())
        .isEqualTo("maintenance");
    assertThat(events("disconnected").get(0).json().get("mqtt").toString())
        .isEqualTo(
            "{\"initiatedByClient\":false,\"disconnectPacket\":{\"code\":152,\"userProperties\":null}}");
  }

  @Test
  void aUserEventFromAPublishIsAnsweredOnTheSucceededTopic() throws Exception {
    this.replies.put(
        "ping", new Reply(200, Map.of("Content-Type", "text/plain", "mqtt-k", "v"), "pong"));
    V5 mqtt = v5("device7", ROLES);
    MqttMessage message = new MqttMessage("hi".getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    MqttProperties properties = new MqttProperties();
    properties.setContentType("text/plain");
    properties.setCorrelationData(new byte[] {9});
    properties.setUserProperties(List.of(new UserProperty("p", "q")));
    message.setProperties(properties);
    mqtt.client.publish("$webpubsub/server/events/ping", message);
    await().until(() -> mqtt.messages.size() == 1);
    Message reply = mqtt.messages.get(0);
    assertThat(reply.topic()).isEqualTo("$webpubsub/server/events/ping/succeeded");
    assertThat(reply.text()).isEqualTo("pong");
    assertThat(reply.properties().getCorrelationData()).containsExactly(9);
    assertThat(reply.properties().getUserProperties())
        .extracting(UserProperty::getKey, UserProperty::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple("k", "v"),
            org.assertj.core.groups.Tuple.tuple("azure-status-code", "200"));
    Received event = events("ping").get(0);
    assertThat(event.headers().get("ce-type")).isEqualTo("azure.webpubsub.user.ping");
    assertThat(event.headers().get("Content-Type")).isEqualTo("text/plain");
    assertThat(event.headers().get("mqtt-p")).isEqualTo("q");
    assertThat(new String(event.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
  }

  private static MqttSubscription sub(String topic, int qos) {
    return new MqttSubscription(topic, qos);
  }

  // ---- MQTT 3.1.1 ----

  /** A Paho 3.1.1 client that records what it receives. */
  final class V3 implements AutoCloseable {

    final org.eclipse.paho.client.mqttv3.MqttClient client;

    final List<Message> messages = new CopyOnWriteArrayList<>();

    V3(String url, String clientId) throws Exception {
      this.client =
          new org.eclipse.paho.client.mqttv3.MqttClient(url, clientId, new MemoryPersistence());
      this.client.setCallback(
          new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(
                String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
              V3.this.messages.add(
                  new Message(topic, message.getPayload(), message.getQos(), new MqttProperties()));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
          });
      MqttClientIntegrationTests.this.clients.add(this);
    }

    @Override
    public void close() throws Exception {
      if (this.client.isConnected()) {
        this.client.disconnect();
      }
      this.client.close(true);
    }
  }

  private static MqttConnectOptions v3Options() {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setAutomaticReconnect(false);
    return options;
  }

  @Test
  void mqtt311SubscribesReceivesPublishesAndIsAcknowledged() throws Exception {
    V3 mqtt = new V3(mqttUrl("carol", ROLES, List.of()), "sensor1");
    mqtt.client.connect(v3Options());
    int[] granted =
        mqtt.client.subscribeWithResponse(new String[] {"room"}, new int[] {2}).getGrantedQos();
    assertThat(granted).containsExactly(1);
    TestClient json = json("alice", "room");

    this.sdk.sendToGroup("room", "from rest", WebPubSubContentType.TEXT_PLAIN);
    json.send(
        TestClient.JSON.readTree(
            "{\"type\":\"sendToGroup\",\"group\":\"room\",\"noEcho\":true,\"dataType\":\"text\",\"data\":\"from json\"}"));
    await().until(() -> mqtt.messages.size() == 2);
    assertThat(mqtt.messages).extracting(Message::topic).containsExactly("room", "room");
    assertThat(mqtt.messages).extracting(Message::text).containsExactly("from rest", "from json");
    assertThat(mqtt.messages).extracting(Message::qos).containsExactly(1, 1);

    // QoS 1: Paho's publish returns once the PUBACK arrived. 3.1.1 has no content type: binary.
    mqtt.client.publish("room", "from mqtt".getBytes(StandardCharsets.UTF_8), 1, false);
    // The JSON client got: connected, the REST message, the MQTT publish.
    await().until(() -> json.json().size() == 3);
    JsonNode received = json.json().get(2);
    assertThat(received.get("group").asString()).isEqualTo("room");
    assertThat(received.get("fromUserId").asString()).isEqualTo("carol");
    assertThat(received.get("dataType").asString()).isEqualTo("binary");
    assertThat(Base64.getDecoder().decode(received.get("data").asString()))
        .isEqualTo("from mqtt".getBytes(StandardCharsets.UTF_8));
    RestClient.Answer members =
        new RestClient(emulator.getEmulator())
            .signed(
                HttpMethod.GET,
                "/api/hubs/" + this.hub + "/groups/room/connections?api-version=2024-12-01",
                null,
                null);
    assertThat(members.body()).contains("\"connectionId\":\"sensor1\"");
  }

  @Test
  void mqtt311RejectionByTheConnectHandlerIsItsReturnCode() throws Exception {
    this.replies.put("connect", new Reply(400, Map.of(), ""));
    V3 mqtt = new V3(mqttUrl("dave", ROLES, List.of()), "sensor2");
    assertThatExceptionOfType(org.eclipse.paho.client.mqttv3.MqttException.class)
        .isThrownBy(() -> mqtt.client.connect(v3Options()))
        .satisfies((ex) -> assertThat(ex.getReasonCode()).isEqualTo(4));
    JsonNode body = events("connect").get(0).json();
    assertThat(body.get("mqtt").toString()).isEqualTo("{\"protocolVersion\":4}");
  }

  @Test
  void mqtt311WildcardSubscriptionIsRefusedWith0x80() throws Exception {
    V3 mqtt = new V3(mqttUrl("erin", ROLES, List.of()), "sensor3");
    mqtt.client.connect(v3Options());
    int[] granted =
        mqtt.client
            .subscribeWithResponse(new String[] {"a/#", "ok"}, new int[] {1, 0})
            .getGrantedQos();
    assertThat(granted).containsExactly(0x80, 0);
  }
}
