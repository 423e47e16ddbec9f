package io.github.webpubsub.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.core.WebPubSubOperations;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Real WebSocket clients (no browser) against the application and its embedded emulator: what one
 * client sends as an event reaches the others in its room as a JSON group message.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ChatWebSocketIntegrationTests {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Autowired private WebTestClient http;

  @Autowired private WebPubSubOperations webPubSub;

  @Test
  void messageSentAsEventByOneClientReachesTheOtherClientInTheRoomAsJsonGroupMessage() {
    try (ChatClient alice = connect("alice", "lobby");
        ChatClient bob = connect("bob", "lobby");
        ChatClient carol = connect("carol", "attic")) {
      await().atMost(TIMEOUT).until(() -> alice.groupMessages().contains(joined("bob")));

      int ackId = alice.sendMessageEvent("  hello, bob  ");

      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(bob.frames())
                      .contains(
                          ChatClient.json(
                              """
                              {"type":"message","from":"group","group":"lobby",
                               "dataType":"json",
                               "data":{"kind":"message","user":"alice","text":"hello, bob"}}
                              """)));
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(alice.frames())
                      .contains(
                          ChatClient.json(
                              "{\"type\":\"ack\",\"ackId\":" + ackId + ",\"success\":true}")));
      assertThat(alice.groupMessages()).contains(message("alice", "hello, bob"));

      carol.sendMessageEvent("anyone up here?");
      await()
          .atMost(TIMEOUT)
          .until(() -> carol.groupMessages().contains(message("carol", "anyone up here?")));
      assertThat(carol.groupMessages()).doesNotContain(message("alice", "hello, bob"));
      assertThat(bob.groupMessages()).doesNotContain(message("carol", "anyone up here?"));
    }
  }

  @Test
  void joinAndLeaveNoticesComeFromTheConnectedAndDisconnectedEvents() {
    try (ChatClient dave = connect("dave", "kitchen")) {
      await().atMost(TIMEOUT).until(() -> dave.groupMessages().contains(joined("dave")));
      ChatClient erin = connect("erin", "kitchen");
      await().atMost(TIMEOUT).until(() -> dave.groupMessages().contains(joined("erin")));

      erin.close();

      await().atMost(TIMEOUT).until(() -> dave.groupMessages().contains(left("erin")));
      assertThat(dave.groupMessages())
          .containsExactly(joined("dave"), joined("erin"), left("erin"));
    }
  }

  @Test
  void blankMessageIsRejectedByTheListenerAndNotPublished() {
    try (ChatClient frank = connect("frank", "porch")) {
      await().atMost(TIMEOUT).until(() -> frank.groupMessages().contains(joined("frank")));

      int ackId = frank.sendMessageEvent("   ");

      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  frank.frames().stream()
                      .anyMatch(
                          (f) ->
                              "ack".equals(f.path("type").asString())
                                  && f.path("ackId").asInt() == ackId));
      JsonNode ack =
          frank.frames().stream()
              .filter((f) -> "ack".equals(f.path("type").asString()))
              .findFirst()
              .orElseThrow();
      assertThat(ack.path("ackId").asInt()).isEqualTo(ackId);
      assertThat(ack.path("success").asBoolean()).isFalse();
      // the listener answered 400; the service reports a failed event to a JSON client this way
      assertThat(ack.path("error").path("name").asString()).isEqualTo("InternalServerError");
      assertThat(frank.groupMessages()).containsExactly(joined("frank"));
    }
  }

  @Test
  void clientWhoseTokenNamesNoRoomIsRefusedByTheConnectListener() {
    String url =
        this.webPubSub
            .getClientAccessToken(ClientAccessOptions.forUser("grace"))
            .block(TIMEOUT)
            .url();

    assertThatException()
        .isThrownBy(() -> ChatClient.connect(url))
        .isInstanceOfSatisfying(
            WebSocketClientHandshakeException.class,
            (ex) -> assertThat(ex.response().status().code()).isEqualTo(400));
  }

  private ChatClient connect(String user, String room) {
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
    return ChatClient.connect(negotiation.url());
  }

  private static JsonNode joined(String user) {
    return ChatClient.json("{\"kind\":\"joined\",\"user\":\"" + user + "\",\"text\":null}");
  }

  private static JsonNode left(String user) {
    return ChatClient.json("{\"kind\":\"left\",\"user\":\"" + user + "\",\"text\":null}");
  }

  private static JsonNode message(String user, String text) {
    return ChatClient.json(
        "{\"kind\":\"message\",\"user\":\"" + user + "\",\"text\":\"" + text + "\"}");
  }
}
