package io.github.webpubsub.eventhandler;

import static io.github.webpubsub.eventhandler.CloudEvents.CONNECTION_ID;
import static io.github.webpubsub.eventhandler.CloudEvents.ORIGIN;
import static io.github.webpubsub.eventhandler.CloudEvents.PRIMARY_KEY;
import static io.github.webpubsub.eventhandler.CloudEvents.SECONDARY_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Replays the requests Web PubSub sends (reference section 7) against a started server and checks
 * the answers the service expects. Run once on WebFlux and once on Spring MVC.
 */
abstract class AbstractEventHandlerTests {

  @LocalServerPort int port;

  @Autowired ChatListeners listeners;

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
    this.listeners.applicationEvents.clear();
    this.observations.stopped.clear();
  }

  // --- abuse protection

  @Test
  void validationFromTheServiceEndpointHostIsAllowed() {
    this.client
        .options()
        .uri("/eventhandler/validate")
        .header("WebHook-Request-Origin", ORIGIN)
        .header("ce-awpsversion", "1.0")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("WebHook-Allowed-Origin", ORIGIN);
  }

  @Test
  void validationFromAConfiguredOriginInAListIsAllowed() {
    this.client
        .options()
        .uri("/eventhandler")
        .header("WebHook-Request-Origin", "other.example.com, partner.example.com")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("WebHook-Allowed-Origin", "partner.example.com");
  }

  @Test
  void validationFromAnUnknownOriginGetsNoPermission() {
    this.client
        .options()
        .uri("/eventhandler/validate")
        .header("WebHook-Request-Origin", "evil.example.com")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .doesNotExist("WebHook-Allowed-Origin");
  }

  // --- connect

  @Test
  void connectIsAnsweredWithTheListenersUserIdGroupsRolesAndState() {
    EntityExchangeResult<String> result =
        post(
                "/eventhandler/connect",
                CloudEvents.system("connect", "chat"),
                CloudEvents.connectBody("u1"))
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(MediaType.APPLICATION_JSON)
            .expectBody(String.class)
            .isEqualTo(
                "{\"userId\":\"u1-verified\",\"groups\":[\"room1\"],"
                    + "\"roles\":[\"webpubsub.sendToGroup.room1\"]}")
            .returnResult();
    assertThat(CloudEvents.decode(result.getResponseHeaders().getFirst("ce-connectionState")))
        .isEqualTo("{\"room\":\"lobby\"}");
    assertThat(this.listeners.calls)
        .containsExactly(
            "connect chat "
                + CONNECTION_ID
                + " sub=u1 query={foo=[bar]} subprotocols=[json.webpubsub.azure.v1] cert=ABC");
    assertThat(this.listeners.applicationEvents)
        .singleElement()
        .isInstanceOfSatisfying(
            WebPubSubConnectEvent.class,
            event -> {
              assertThat(event.getResponse().getUserId()).isEqualTo("u1-verified");
              assertThat(event.getRequest().claim("role")).isEqualTo("webpubsub.sendToGroup");
              assertThat(event.getContext().getConnectionId()).isEqualTo(CONNECTION_ID);
            });
  }

  @Test
  void connectRejectedByTheListenerIsAnswered403WithTheReason() {
    post(
            "/eventhandler/connect",
            CloudEvents.system("connect", "chat"),
            CloudEvents.connectBody("mallory"))
        .expectStatus()
        .isForbidden()
        .expectBody(String.class)
        .isEqualTo("mallory is banned");
    assertThat(this.listeners.applicationEvents).isEmpty();
  }

  @Test
  void connectToAHubWithoutListenerIsAcceptedWithTheTokensDefaults() {
    post("/eventhandler", CloudEvents.system("connect", "news"), CloudEvents.connectBody("u1"))
        .expectStatus()
        .isNoContent()
        .expectHeader()
        .doesNotExist("ce-connectionState")
        .expectBody()
        .isEmpty();
    assertThat(this.listeners.calls).isEmpty();
    assertThat(this.listeners.applicationEvents)
        .singleElement()
        .isInstanceOfSatisfying(
            WebPubSubConnectEvent.class,
            event -> assertThat(event.getResponse()).isSameAs(WebPubSubConnectResponse.accept()));
  }

  @Test
  void connectWithAMalformedBodyIsAnswered400() {
    post("/eventhandler/connect", CloudEvents.system("connect", "chat"), "{\"claims\": [")
        .expectStatus()
        .isBadRequest()
        .expectBody(String.class)
        .isEqualTo("The connect event body is not valid JSON");
    assertThat(this.listeners.calls).isEmpty();
  }

  // --- notifications

  @Test
  void connectedRunsTheListenerAndPublishesAnApplicationEvent() {
    post("/eventhandler/connected", CloudEvents.system("connected", "chat"), "{}")
        .expectStatus()
        .isNoContent();
    assertThat(this.listeners.calls).containsExactly("connected chat u1");
    assertThat(this.listeners.applicationEvents)
        .singleElement()
        .isInstanceOf(WebPubSubConnectedEvent.class);
  }

  @Test
  void disconnectedBindsTheReason() {
    post(
            "/eventhandler/disconnected",
            CloudEvents.system("disconnected", "chat"),
            "{\"reason\":\"client closed\"}")
        .expectStatus()
        .isNoContent();
    assertThat(this.listeners.calls)
        .containsExactly("disconnected " + CONNECTION_ID + " reason=client closed");
    assertThat(this.listeners.applicationEvents)
        .singleElement()
        .isInstanceOfSatisfying(
            WebPubSubDisconnectedEvent.class,
            event -> assertThat(event.getReason()).isEqualTo("client closed"));
  }

  @Test
  void groupJoinedIsPublishedAsAnApplicationEvent() {
    post(
            "/eventhandler",
            CloudEvents.headers(
                "azure.webpubsub.gp.joined", "joined", "chat", CloudEvents.PRIMARY_SIGNATURE),
            "{\"group\":\"room1\"}")
        .expectStatus()
        .isNoContent();
    assertThat(this.listeners.applicationEvents)
        .singleElement()
        .isInstanceOfSatisfying(
            WebPubSubGroupJoinedEvent.class,
            event -> assertThat(event.getGroup()).isEqualTo("room1"));
  }

  // --- user events

  @Test
  void textMessageIsAnsweredAsTextAndSeesTheConnectionState() {
    post(
            "/eventhandler/message",
            CloudEvents.user("message", "chat")
                .andThen(
                    h -> h.set("ce-connectionState", CloudEvents.state("{\"room\":\"lobby\"}"))),
            MediaType.TEXT_PLAIN,
            "hello".getBytes(StandardCharsets.UTF_8))
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentType("text/plain;charset=UTF-8")
        .expectHeader()
        .doesNotExist("ce-connectionState")
        .expectBody(String.class)
        .isEqualTo("echo: hello in lobby");
    assertThat(this.listeners.applicationEvents)
        .singleElement()
        .isInstanceOfSatisfying(
            WebPubSubUserEvent.class,
            event -> {
              assertThat(event.getDataAsString()).isEqualTo("hello");
              assertThat(event.getContentType()).isEqualTo("text/plain");
              assertThat(event.getContext().getEventName()).isEqualTo("message");
            });
  }

  @Test
  void jsonEventIsMappedToTheParameterAndAnsweredAsJson() {
    post(
            "/eventhandler/chat",
            CloudEvents.user("chat", "chat"),
            MediaType.APPLICATION_JSON,
            "{\"text\":\"hi\",\"priority\":2}".getBytes(StandardCharsets.UTF_8))
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentType(MediaType.APPLICATION_JSON)
        .expectBody(String.class)
        .isEqualTo("{\"echoed\":\"hi\",\"priority\":2,\"user\":\"u1\"}");
  }

  @Test
  void binaryEventIsAnsweredAsBinary() {
    post(
            "/eventhandler/binary",
            CloudEvents.user("binary", "news"),
            MediaType.APPLICATION_OCTET_STREAM,
            new byte[] {1, 2, 3})
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .expectBody(byte[].class)
        .isEqualTo(new byte[] {3, 2, 1});
  }

  @Test
  void monoReplyIsAwaited() {
    post("/eventhandler/later", CloudEvents.user("later", "chat"), MediaType.TEXT_PLAIN, bytes("x"))
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("later: x");
  }

  @Test
  void stateSetByTheListenerIsSentBackAsConnectionState() {
    EntityExchangeResult<Void> result =
        post(
                "/eventhandler/remember",
                CloudEvents.user("remember", "chat")
                    .andThen(
                        h ->
                            h.set("ce-connectionState", CloudEvents.state("{\"room\":\"lobby\"}"))),
                MediaType.TEXT_PLAIN,
                bytes("last words"))
            .expectStatus()
            .isNoContent()
            .expectBody()
            .isEmpty();
    assertThat(CloudEvents.decode(result.getResponseHeaders().getFirst("ce-connectionState")))
        .isEqualTo("{\"last\":\"last words\"}");
  }

  @Test
  void userEventWithoutListenerIsAnswered204() {
    post(
            "/eventhandler/unheard",
            CloudEvents.user("unheard", "chat"),
            MediaType.TEXT_PLAIN,
            bytes("x"))
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
    assertThat(this.listeners.applicationEvents)
        .singleElement()
        .isInstanceOf(WebPubSubUserEvent.class);
  }

  @Test
  void failingListenerIsAnswered500WithoutItsDetails() {
    post("/eventhandler/fail", CloudEvents.user("fail", "chat"), MediaType.TEXT_PLAIN, bytes("x"))
        .expectStatus()
        .isEqualTo(500)
        .expectBody(String.class)
        .isEqualTo("Event listener failed");
    assertThat(this.listeners.calls).containsExactly("fail");
    assertThat(this.listeners.applicationEvents).isEmpty();
  }

  @Test
  void jsonDataThatDoesNotMapIsAnswered400() {
    post(
            "/eventhandler/chat",
            CloudEvents.user("chat", "chat"),
            MediaType.APPLICATION_JSON,
            bytes("not json"))
        .expectStatus()
        .isBadRequest();
    assertThat(this.listeners.calls).isEmpty();
  }

  @Test
  void malformedConnectionStateIsAnswered400() {
    post(
            "/eventhandler/message",
            CloudEvents.user("message", "chat").andThen(h -> h.set("ce-connectionState", "%%%")),
            MediaType.TEXT_PLAIN,
            bytes("x"))
        .expectStatus()
        .isBadRequest()
        .expectBody(String.class)
        .isEqualTo("ce-connectionState is not base64-encoded JSON object");
    assertThat(this.listeners.calls).isEmpty();
  }

  @Test
  void bodyOfExactlyTheLimitIsAccepted() {
    byte[] data = new byte[1024 * 1024];
    post(
            "/eventhandler/binary",
            CloudEvents.user("binary", "chat"),
            MediaType.APPLICATION_OCTET_STREAM,
            data)
        .expectStatus()
        .isOk();
    assertThat(this.listeners.calls).containsExactly("binary " + data.length);
  }

  @Test
  void oversizedBodyIsAnswered413AndNeverReachesTheListener() {
    byte[] data = new byte[1024 * 1024 + 1];
    post(
            "/eventhandler/binary",
            CloudEvents.user("binary", "chat"),
            MediaType.APPLICATION_OCTET_STREAM,
            data)
        .expectStatus()
        .isEqualTo(413);
    assertThat(this.listeners.calls).isEmpty();
  }

  // --- signature and routing

  @Test
  void wrongSignatureIsAnswered401AndNeverReachesTheListener() {
    post(
            "/eventhandler/connect",
            CloudEvents.headers(
                "azure.webpubsub.sys.connect",
                "connect",
                "chat",
                CloudEvents.sign("not-the-access-key", CONNECTION_ID)),
            CloudEvents.connectBody("u1"))
        .expectStatus()
        .isUnauthorized();
    assertThat(this.listeners.calls).isEmpty();
    assertThat(this.listeners.applicationEvents).isEmpty();
  }

  @Test
  void signatureOfAnotherConnectionIsAnswered401() {
    post(
            "/eventhandler/message",
            CloudEvents.headers(
                "azure.webpubsub.user.message",
                "message",
                "chat",
                CloudEvents.sign(PRIMARY_KEY, "another-connection")),
            MediaType.TEXT_PLAIN,
            bytes("x"))
        .expectStatus()
        .isUnauthorized();
    assertThat(this.listeners.calls).isEmpty();
  }

  @Test
  void missingSignatureIsAnswered401() {
    post(
            "/eventhandler/connected",
            CloudEvents.headers("azure.webpubsub.sys.connected", "connected", "chat", null),
            "{}")
        .expectStatus()
        .isUnauthorized();
    assertThat(this.listeners.calls).isEmpty();
  }

  @Test
  void upperCaseSignatureOfTheSecondaryKeyInAListIsAccepted() {
    String secondary = CloudEvents.sign(SECONDARY_KEY, CONNECTION_ID).toUpperCase(Locale.ROOT);
    post(
            "/eventhandler/connected",
            CloudEvents.headers(
                "azure.webpubsub.sys.connected",
                "connected",
                "chat",
                CloudEvents.sign("old-rotated-key", CONNECTION_ID) + ", " + secondary),
            "{}")
        .expectStatus()
        .isNoContent();
    assertThat(this.listeners.calls).containsExactly("connected chat u1");
  }

  @Test
  void eventOfAHubNotServedIsAnswered404() {
    post(
            "/eventhandler/connect",
            CloudEvents.system("connect", "other"),
            CloudEvents.connectBody("u1"))
        .expectStatus()
        .isNotFound();
    assertThat(this.listeners.calls).isEmpty();
  }

  @Test
  void hubNamesCompareCaseInsensitively() {
    post("/eventhandler/connected", CloudEvents.system("connected", "CHAT"), "{}")
        .expectStatus()
        .isNoContent();
    assertThat(this.listeners.calls).containsExactly("connected CHAT u1");
  }

  @Test
  void requestWithoutCloudEventTypeIsAnswered400() {
    post(
            "/eventhandler",
            CloudEvents.system("connected", "chat").andThen(h -> h.remove("ce-type")),
            "{}")
        .expectStatus()
        .isBadRequest()
        .expectBody(String.class)
        .isEqualTo("Missing header ce-type");
  }

  @Test
  void getIsNotAllowed() {
    this.client
        .method(HttpMethod.GET)
        .uri("/eventhandler")
        .exchange()
        .expectStatus()
        .isEqualTo(405);
  }

  // --- observation

  @Test
  void everyRequestIsObservedWithEventTypeHubAndOutcome() {
    post("/eventhandler/connected", CloudEvents.system("connected", "chat"), "{}")
        .expectStatus()
        .isNoContent();
    post(
            "/eventhandler/connected",
            CloudEvents.headers("azure.webpubsub.sys.connected", "connected", "chat", "sha256=00"),
            "{}")
        .expectStatus()
        .isUnauthorized();
    assertThat(eventHandlerObservations())
        .containsExactly(
            List.of(
                KeyValue.of("messaging.system", "webpubsub"),
                KeyValue.of("outcome", "SUCCESS"),
                KeyValue.of("status", "204"),
                KeyValue.of("webpubsub.event.type", "connected"),
                KeyValue.of("webpubsub.hub", "chat")),
            List.of(
                KeyValue.of("messaging.system", "webpubsub"),
                KeyValue.of("outcome", "REJECTED"),
                KeyValue.of("status", "401"),
                KeyValue.of("webpubsub.event.type", "unknown"),
                KeyValue.of("webpubsub.hub", "none")));
  }

  private List<List<KeyValue>> eventHandlerObservations() {
    return this.observations.stopped.stream()
        .filter(context -> "webpubsub.eventhandler.requests".equals(context.getName()))
        .map(Observation.Context::getLowCardinalityKeyValues)
        .map(values -> values.stream().sorted().toList())
        .toList();
  }

  private WebTestClient.ResponseSpec post(
      String uri, Consumer<HttpHeaders> headers, String jsonBody) {
    return post(
        uri, headers, MediaType.parseMediaType("application/json; charset=utf-8"), bytes(jsonBody));
  }

  private WebTestClient.ResponseSpec post(
      String uri, Consumer<HttpHeaders> headers, MediaType contentType, byte[] body) {
    return this.client
        .post()
        .uri(uri)
        .headers(headers)
        .contentType(contentType)
        .bodyValue(body)
        .exchange();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
