package io.github.webpubsub.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.emulator.boot.test.AutoConfigureWebPubSubEmulator;
import io.github.webpubsub.emulator.boot.test.WebPubSubTestClient;
import io.github.webpubsub.emulator.boot.test.WebPubSubTestClient.Protocol;
import io.github.webpubsub.emulator.boot.test.WebPubSubTestClients;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real WebSocket clients (no browser) against the application and the test's emulator: what one
 * client sends as an event reaches the others in its room as a JSON group message. The clients
 * connect to the URL the negotiate endpoint hands out, as the page does.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@AutoConfigureWebPubSubEmulator
class ChatWebSocketIntegrationTests {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired private WebTestClient http;

  @Autowired private WebPubSubTestClients clients;

  @Test
  void messageSentAsEventByOneClientReachesTheOtherClientInTheRoomAsJsonGroupMessage() {
    WebPubSubTestClient alice = connect("alice", "lobby");
    WebPubSubTestClient bob = connect("bob", "lobby");
    WebPubSubTestClient carol = connect("carol", "attic");
    await().atMost(TIMEOUT).until(() -> groupMessages(alice).contains(joined("bob")));

    JsonNode ack = alice.sendEvent("message", "  hello, bob  ");

    assertThat(ack.path("success").asBoolean()).isTrue();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(bob.messages())
                    .contains(
                        json(
                            """
                            {"type":"message","from":"group","group":"lobby",
                             "dataType":"json",
                             "data":{"kind":"message","user":"alice","text":"hello, bob"}}
                            """)));
    await()
        .atMost(TIMEOUT)
        .until(() -> groupMessages(alice).contains(message("alice", "hello, bob")));

    carol.sendEvent("message", "anyone up here?");
    await()
        .atMost(TIMEOUT)
        .until(() -> groupMessages(carol).contains(message("carol", "anyone up here?")));
    assertThat(groupMessages(carol)).doesNotContain(message("alice", "hello, bob"));
    assertThat(groupMessages(bob)).doesNotContain(message("carol", "anyone up here?"));
  }

  @Test
  void joinAndLeaveNoticesComeFromTheConnectedAndDisconnectedEvents() {
    WebPubSubTestClient dave = connect("dave", "kitchen");
    await().atMost(TIMEOUT).until(() -> groupMessages(dave).contains(joined("dave")));
    WebPubSubTestClient erin = connect("erin", "kitchen");
    await().atMost(TIMEOUT).until(() -> groupMessages(dave).contains(joined("erin")));

    erin.close();

    await().atMost(TIMEOUT).until(() -> groupMessages(dave).contains(left("erin")));
    assertThat(groupMessages(dave)).containsExactly(joined("dave"), joined("erin"), left("erin"));
  }

  @Test
  void presenceListsTheDistinctUsersOfTheRoomsConnectionsAndFollowsLeaves() {
    assertThat(presence("garden"))
        .isEqualTo(new PresenceController.Presence("garden", List.of(), false));
    WebPubSubTestClient zoe = connect("zoe", "garden");
    WebPubSubTestClient zoeAgain = connect("zoe", "garden");
    WebPubSubTestClient adam = connect("adam", "garden");
    connect("mia", "shed");
    await().atMost(TIMEOUT).until(() -> groupMessages(zoe).contains(joined("adam")));

    assertThat(presence("garden").users()).containsExactly("adam", "zoe");

    adam.close();
    await().atMost(TIMEOUT).until(() -> groupMessages(zoe).contains(left("adam")));
    assertThat(presence("garden").users()).containsExactly("zoe");
    zoeAgain.close();
    await()
        .atMost(TIMEOUT)
        .until(() -> groupMessages(zoe).stream().filter(left("zoe")::equals).count() == 1);
    assertThat(presence("garden").users()).containsExactly("zoe");
  }

  @Test
  void presenceOfAnInvalidRoomIsABadRequest() {
    this.http
        .get()
        .uri("/presence?room={room}", "back room")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("room must be 1 to 64 letters, digits, '-' or '_' but was 'back room'");
  }

  @Test
  void blankMessageIsRejectedByTheListenerAndNotPublished() {
    WebPubSubTestClient frank = connect("frank", "porch");
    await().atMost(TIMEOUT).until(() -> groupMessages(frank).contains(joined("frank")));

    JsonNode ack = frank.sendEvent("message", "   ");

    assertThat(ack.path("success").asBoolean()).isFalse();
    // the listener answered 400; the service reports a failed event to a JSON client this way
    assertThat(ack.path("error").path("name").asString()).isEqualTo("InternalServerError");
    assertThat(groupMessages(frank)).containsExactly(joined("frank"));
  }

  @Test
  void clientWhoseTokenNamesNoRoomIsRefusedByTheConnectListener() {
    assertThatExceptionOfType(WebSocketClientHandshakeException.class)
        .isThrownBy(() -> this.clients.connect(ClientAccessOptions.forUser("grace")))
        .satisfies((ex) -> assertThat(ex.response().status().code()).isEqualTo(400));
  }

  private PresenceController.Presence presence(String room) {
    PresenceController.Presence presence =
        this.http
            .get()
            .uri("/presence?room={room}", room)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(PresenceController.Presence.class)
            .returnResult()
            .getResponseBody();
    assertThat(presence).isNotNull();
    return presence;
  }

  private WebPubSubTestClient connect(String user, String room) {
    NegotiateController.Negotiation negotiation =
        this.http
            .get()
            .uri("/negotiate?user={user}&room={room}", user, room)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(NegotiateController.Negotiation.class)
            .returnResult()
            .getResponseBody();
    assertThat(negotiation).isNotNull();
    // the page's subprotocol
    return this.clients.connectTo(negotiation.url(), Protocol.JSON);
  }

  /** The {@code data} of every group message the client received so far. */
  private static List<JsonNode> groupMessages(WebPubSubTestClient client) {
    return client.messages().stream()
        .filter((m) -> "group".equals(m.path("from").asString()))
        .map((m) -> m.get("data"))
        .toList();
  }

  private static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  private static JsonNode joined(String user) {
    return json("{\"kind\":\"joined\",\"user\":\"" + user + "\",\"text\":null}");
  }

  private static JsonNode left(String user) {
    return json("{\"kind\":\"left\",\"user\":\"" + user + "\",\"text\":null}");
  }

  private static JsonNode message(String user, String text) {
    return json("{\"kind\":\"message\",\"user\":\"" + user + "\",\"text\":\"" + text + "\"}");
  }
}
