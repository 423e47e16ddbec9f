package io.github.webpubsub.eventhandler;

import static io.github.webpubsub.eventhandler.CloudEvents.CONNECTION_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/**
 * Replays the requests the service sends for a client's invocation (client-protocols-2 section 2.3)
 * and for MQTT clients (section 3.4) against a started server and checks the exact answers the
 * service expects. Run once on WebFlux and once on Spring MVC.
 */
abstract class AbstractInvocationAndMqttTests {

  private static final String PHYSICAL_CONNECTION_ID = "b7f9c2a0d4e64b0f9a8c1e2d3f4a5b6c";

  @LocalServerPort int port;

  @Autowired InvocationAndMqttListeners listeners;

  @Autowired ChatListeners chatListeners;

  @Autowired EventHandlerTestApplication.RecordedObservations observations;

  WebTestClient client;

  @BeforeEach
  void setUp() {
    this.client =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + this.port)
            .responseTimeout(Duration.ofSeconds(20))
            .build();
    this.listeners.calls.clear();
    this.chatListeners.applicationEvents.clear();
    this.observations.stopped.clear();
  }

  // --- invocation: the client sent {"type":"invoke","invocationId":"1","target":"event",...}

  @Test
  void jsonInvocationIsAnsweredWithTheListenersResultAsJson() {
    // {"type":"invoke","invocationId":"1","target":"event","event":"add","dataType":"json",
    //  "data":{"a":1,"b":2}}
    post(
            "/eventhandler/add",
            CloudEvents.user("add", "chat"),
            MediaType.APPLICATION_JSON,
            "{\"a\":1,\"b\":2}")
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(HttpHeaders.CONTENT_TYPE, "application/json")
        .expectBody(String.class)
        .isEqualTo("{\"sum\":3,\"by\":\"u1\"}");
    assertThat(this.listeners.calls).containsExactly("add Operands[a=1, b=2]");
    assertThat(this.chatListeners.applicationEvents)
        .singleElement()
        .isInstanceOfSatisfying(
            WebPubSubUserEvent.class,
            event -> assertThat(event.getContext().getEventName()).isEqualTo("add"));
  }

  @Test
  void textInvocationIsAnsweredWithTheMonosValueAsText() {
    post("/eventhandler/shout", CloudEvents.user("shout", "news"), MediaType.TEXT_PLAIN, "hi")
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(HttpHeaders.CONTENT_TYPE, "text/plain;charset=UTF-8")
        .expectBody(String.class)
        .isEqualTo("HI");
  }

  @Test
  void binaryInvocationIsAnsweredAsBinary() {
    this.client
        .post()
        .uri("/eventhandler/reverse")
        .headers(CloudEvents.user("reverse", "chat"))
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .bodyValue(new byte[] {1, 2, 3})
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
        .expectBody(byte[].class)
        .isEqualTo(new byte[] {3, 2, 1});
  }

  @Test
  void invocationWithoutResultIsAnswered204() {
    // {"type":"invoke","invocationId":"2","target":"event","event":"touch"}: no dataType, no data
    this.client
        .post()
        .uri("/eventhandler/touch")
        .headers(CloudEvents.user("touch", "chat"))
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectHeader()
        .doesNotExist(HttpHeaders.CONTENT_TYPE)
        .expectBody()
        .isEmpty();
    assertThat(this.listeners.calls).containsExactly("touch " + CONNECTION_ID);
  }

  @Test
  void rejectedInvocationIsAnsweredWithItsStatusAndTheReasonTheClientSees() {
    post(
            "/eventhandler/withdraw",
            CloudEvents.user("withdraw", "chat"),
            MediaType.APPLICATION_JSON,
            "{\"a\":100,\"b\":0}")
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .valueEquals(HttpHeaders.CONTENT_TYPE, "text/plain;charset=UTF-8")
        .expectBody(String.class)
        .isEqualTo("Insufficient funds");
    post("/eventhandler/secret", CloudEvents.user("secret", "chat"), MediaType.TEXT_PLAIN, "x")
        .expectStatus()
        .isForbidden()
        .expectBody(String.class)
        .isEqualTo("Only admins may read the secret");
    assertThat(this.chatListeners.applicationEvents).isEmpty();
  }

  @Test
  void failingInvocationIsAnswered500WithAGenericMessageAndNoInternals() {
    post("/eventhandler/crash", CloudEvents.user("crash", "chat"), MediaType.TEXT_PLAIN, "x")
        .expectStatus()
        .isEqualTo(500)
        .expectHeader()
        .valueEquals(HttpHeaders.CONTENT_TYPE, "text/plain;charset=UTF-8")
        .expectBody(String.class)
        .isEqualTo("Invocation failed");
    assertThat(this.listeners.calls).containsExactly("crash");
    assertThat(invocationObservations())
        .containsExactly(
            List.of(
                KeyValue.of("messaging.system", "webpubsub"),
                KeyValue.of("outcome", "SERVER_ERROR"),
                KeyValue.of("status", "500"),
                KeyValue.of("webpubsub.event.type", "user"),
                KeyValue.of("webpubsub.hub", "chat")));
    assertThat(this.observations.stopped)
        .filteredOn(context -> "webpubsub.eventhandler.requests".equals(context.getName()))
        .singleElement()
        .satisfies(
            context -> assertThat(context.getError()).hasMessage("database password is hunter2"));
  }

  @Test
  void invocationDataThatDoesNotMapIsAnswered400() {
    post("/eventhandler/add", CloudEvents.user("add", "chat"), MediaType.APPLICATION_JSON, "[1,2]")
        .expectStatus()
        .isBadRequest()
        .expectBody(String.class)
        .isEqualTo("Event data is not JSON of the type the listener expects");
    assertThat(this.listeners.calls).isEmpty();
  }

  @Test
  void invocationIsObservedLikeAnyUserEvent() {
    post(
            "/eventhandler/add",
            CloudEvents.user("add", "chat"),
            MediaType.APPLICATION_JSON,
            "{\"a\":1,\"b\":2}")
        .expectStatus()
        .isOk();
    assertThat(invocationObservations())
        .containsExactly(
            List.of(
                KeyValue.of("messaging.system", "webpubsub"),
                KeyValue.of("outcome", "SUCCESS"),
                KeyValue.of("status", "200"),
                KeyValue.of("webpubsub.event.type", "user"),
                KeyValue.of("webpubsub.hub", "chat")));
  }

  /**
   * The client sent {@code cancelInvocation} (or the service timed out): the service aborts its
   * request; the listener's {@code Mono} is cancelled and the request observed without a status.
   * WebFlux learns of the abort at once, Spring MVC at the end of the async request.
   */
  static void assertAbandonedInvocationIsCancelled(
      int port,
      InvocationAndMqttListeners listeners,
      ChatListeners chatListeners,
      EventHandlerTestApplication.RecordedObservations observations) {
    listeners.calls.clear();
    chatListeners.applicationEvents.clear();
    observations.stopped.clear();
    Disposable call =
        WebClient.create("http://localhost:" + port)
            .post()
            .uri("/eventhandler/wait")
            .headers(CloudEvents.user("wait", "chat"))
            .contentType(MediaType.TEXT_PLAIN)
            .bodyValue("x")
            .retrieve()
            .toBodilessEntity()
            .subscribe(response -> {}, error -> {});
    await().atMost(Duration.ofSeconds(10)).until(() -> listeners.calls.contains("wait started"));
    call.dispose();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(listeners.calls).containsExactly("wait started", "wait cancelled"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(requestObservations(observations))
                    .containsExactly(
                        List.of(
                            KeyValue.of("messaging.system", "webpubsub"),
                            KeyValue.of("outcome", "UNKNOWN"),
                            KeyValue.of("status", "0"),
                            KeyValue.of("webpubsub.event.type", "user"),
                            KeyValue.of("webpubsub.hub", "chat"))));
    assertThat(chatListeners.applicationEvents).isEmpty();
  }

  // --- MQTT connect (client-protocols-2 section 3.4)

  @Test
  void mqttConnectExposesTheMqttFieldsAndIsAcceptedWithConnackUserProperties() {
    post(
            "/eventhandler/connect",
            mqtt("azure.webpubsub.sys.connect", "connect"),
            MediaType.APPLICATION_JSON,
            mqttConnectBody(5, "dev1", "s3cret"))
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(HttpHeaders.CONTENT_TYPE, "application/json")
        .expectBody(String.class)
        .isEqualTo(
            "{\"userId\":\"dev1\",\"groups\":[\"telemetry\"],"
                + "\"mqtt\":{\"userProperties\":[{\"name\":\"welcome\",\"value\":\"yes\"}]}}");
    assertThat(this.listeners.calls)
        .containsExactly(
            "connect WebPubSubMqttConnectInfo[protocolVersion=5, username=dev1,"
                + " password=[hidden], userProperties=[model]]");
    assertThat(this.chatListeners.applicationEvents)
        .singleElement()
        .isInstanceOfSatisfying(
            WebPubSubConnectEvent.class,
            event -> {
              WebPubSubMqttConnectInfo mqtt = event.getRequest().mqtt();
              assertThat(mqtt).isNotNull();
              assertThat(mqtt.password()).isEqualTo("s3cret".getBytes(StandardCharsets.UTF_8));
              assertThat(mqtt.userProperties())
                  .containsExactly(new WebPubSubMqttUserProperty("model", "x1"));
              assertThat(event.getRequest().toString()).doesNotContain("s3cret");
              assertThat(event.getContext().getSubprotocol()).isEqualTo("mqtt");
              assertThat(event.getContext().getHeaders().get("ce-physicalconnectionid"))
                  .containsExactly(PHYSICAL_CONNECTION_ID);
            });
  }

  @Test
  void mqtt5ConnectWithAWrongPasswordIsRejectedWithReasonCode134() {
    post(
            "/eventhandler/connect",
            mqtt("azure.webpubsub.sys.connect", "connect"),
            MediaType.APPLICATION_JSON,
            mqttConnectBody(5, "dev1", "guess"))
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals(HttpHeaders.CONTENT_TYPE, "application/json")
        .expectBody(String.class)
        .isEqualTo("{\"mqtt\":{\"code\":134,\"reason\":\"unknown device\"}}");
    assertThat(this.chatListeners.applicationEvents).isEmpty();
  }

  @Test
  void mqtt311ConnectWithAWrongPasswordIsRejectedWithReturnCode4() {
    post(
            "/eventhandler/connect",
            mqtt("azure.webpubsub.sys.connect", "connect"),
            MediaType.APPLICATION_JSON,
            mqttConnectBody(4, "dev1", "guess"))
        .expectStatus()
        .isUnauthorized()
        .expectBody(String.class)
        .isEqualTo("{\"mqtt\":{\"code\":4,\"reason\":\"unknown device\"}}");
  }

  @Test
  void mqttRejectionCarriesItsUserPropertiesAndTheStatusItsCodeMapsTo() {
    post(
            "/eventhandler/connect",
            mqtt("azure.webpubsub.sys.connect", "connect"),
            MediaType.APPLICATION_JSON,
            mqttConnectBody(5, "busy", "s3cret"))
        .expectStatus()
        .isEqualTo(429)
        .expectBody(String.class)
        .isEqualTo(
            "{\"mqtt\":{\"code\":151,\"reason\":\"Quota exceeded\","
                + "\"userProperties\":[{\"name\":\"retry-after\",\"value\":\"60\"}]}}");
  }

  @Test
  void plainRejectionOfAnMqttClientGetsADerivedCodeAndNoReason() {
    post(
            "/eventhandler/connect",
            mqtt("azure.webpubsub.sys.connect", "connect"),
            MediaType.APPLICATION_JSON,
            mqttConnectBody(5, "banned", "s3cret"))
        .expectStatus()
        .isForbidden()
        .expectBody(String.class)
        .isEqualTo("{\"mqtt\":{\"code\":135}}");
    post(
            "/eventhandler/connect",
            mqtt("azure.webpubsub.sys.connect", "connect"),
            MediaType.APPLICATION_JSON,
            mqttConnectBody(4, "banned", "s3cret"))
        .expectStatus()
        .isForbidden()
        .expectBody(String.class)
        .isEqualTo("{\"mqtt\":{\"code\":5}}");
  }

  @Test
  void failingConnectListenerOfAnMqttClientIsAnswered500WithUnspecifiedError() {
    post(
            "/eventhandler/connect",
            mqtt("azure.webpubsub.sys.connect", "connect"),
            MediaType.APPLICATION_JSON,
            mqttConnectBody(5, "broken", "s3cret"))
        .expectStatus()
        .isEqualTo(500)
        .expectBody(String.class)
        .isEqualTo("{\"mqtt\":{\"code\":128}}");
    post(
            "/eventhandler/connect",
            mqtt("azure.webpubsub.sys.connect", "connect"),
            MediaType.APPLICATION_JSON,
            mqttConnectBody(4, "broken", "s3cret"))
        .expectStatus()
        .isEqualTo(500)
        .expectBody(String.class)
        .isEqualTo("{\"mqtt\":{\"code\":3}}");
  }

  @Test
  void mqttDisconnectedExposesTheDisconnectPacket() {
    post(
            "/eventhandler/disconnected",
            mqtt("azure.webpubsub.sys.disconnected", "disconnected"),
            MediaType.APPLICATION_JSON,
            "{\"reason\":\"client sent DISCONNECT\",\"mqtt\":{\"initiatedByClient\":true,"
                + "\"disconnectPacket\":{\"code\":4,"
                + "\"userProperties\":[{\"name\":\"why\",\"value\":\"sleep\"}]}}}")
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
    assertThat(this.listeners.calls)
        .containsExactly(
            "disconnected reason=client sent DISCONNECT byClient=true code=4"
                + " properties=[WebPubSubMqttUserProperty[name=why, value=sleep]]");
    assertThat(this.chatListeners.applicationEvents)
        .singleElement()
        .isInstanceOfSatisfying(
            WebPubSubDisconnectedEvent.class,
            event -> {
              assertThat(event.getReason()).isEqualTo("client sent DISCONNECT");
              assertThat(event.getMqtt())
                  .isEqualTo(
                      new WebPubSubMqttDisconnectInfo(
                          true,
                          new WebPubSubMqttDisconnectPacket(
                              4, List.of(new WebPubSubMqttUserProperty("why", "sleep")))));
            });
  }

  @Test
  void mqttDisconnectedAfterANetworkFailureHasNoPacket() {
    post(
            "/eventhandler/disconnected",
            mqtt("azure.webpubsub.sys.disconnected", "disconnected"),
            MediaType.APPLICATION_JSON,
            "{\"reason\":null,\"mqtt\":{\"initiatedByClient\":false,\"disconnectPacket\":null}}")
        .expectStatus()
        .isNoContent();
    assertThat(this.listeners.calls)
        .containsExactly("disconnected reason=null byClient=false code=null properties=null");
  }

  // --- requests

  /** Headers of an MQTT client's event (section 3.4): client id as connection id, mqtt extras. */
  private static Consumer<HttpHeaders> mqtt(String ceType, String eventName) {
    return CloudEvents.headers(ceType, eventName, "devices", CloudEvents.PRIMARY_SIGNATURE)
        .andThen(
            headers -> {
              headers.set(
                  "ce-source",
                  "/hubs/devices/client/" + CONNECTION_ID + "/" + PHYSICAL_CONNECTION_ID);
              headers.set("ce-subprotocol", "mqtt");
              headers.set("ce-physicalConnectionId", PHYSICAL_CONNECTION_ID);
              if (!"connect".equals(eventName)) {
                headers.set("ce-sessionId", "s-1");
              }
              headers.remove("ce-userId");
            });
  }

  /** The connect body of section 3.4: the normal body plus {@code mqtt}, password in base64. */
  private static String mqttConnectBody(int protocolVersion, String username, String password) {
    return "{\"claims\":{\"role\":[\"webpubsub.joinLeaveGroup\"]},\"query\":{},"
        + "\"headers\":{\"Sec-WebSocket-Protocol\":[\"mqtt\"]},\"subprotocols\":[\"mqtt\"],"
        + "\"clientCertificates\":[],\"mqtt\":{\"protocolVersion\":"
        + protocolVersion
        + ",\"username\":\""
        + username
        + "\",\"password\":\""
        + Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))
        + "\",\"userProperties\":[{\"name\":\"model\",\"value\":\"x1\"}]}}";
  }

  private List<List<KeyValue>> invocationObservations() {
    return requestObservations(this.observations);
  }

  private static List<List<KeyValue>> requestObservations(
      EventHandlerTestApplication.RecordedObservations observations) {
    return observations.stopped.stream()
        .filter(context -> "webpubsub.eventhandler.requests".equals(context.getName()))
        .map(Observation.Context::getLowCardinalityKeyValues)
        .map(values -> values.stream().sorted().toList())
        .toList();
  }

  private WebTestClient.ResponseSpec post(
      String uri, Consumer<HttpHeaders> headers, MediaType contentType, String body) {
    return this.client
        .post()
        .uri(uri)
        .headers(headers)
        .contentType(contentType)
        .bodyValue(body.getBytes(StandardCharsets.UTF_8))
        .exchange();
  }
}
