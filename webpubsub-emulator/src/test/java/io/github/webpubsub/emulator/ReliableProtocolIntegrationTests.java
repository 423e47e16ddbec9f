package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * {@code json.reliable.webpubsub.azure.v1}: sequence ids, sequence acks and the retained buffer,
 * {@code Duplicate} acks, and recovery of a dropped client's session.
 */
class ReliableProtocolIntegrationTests {

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator = new WebPubSubEmulatorExtension();

  private static int hubs;

  /** Upstream events received by the stand-in application, as {@code event:connectionId}. */
  private final List<String> events = new CopyOnWriteArrayList<>();

  private final List<TestClient> clients = new ArrayList<>();

  private DisposableServer receiver;

  private String hub;

  @BeforeEach
  void startReceiver() {
    this.receiver =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) -> {
                  if (request.method().equals(HttpMethod.OPTIONS)) {
                    return response
                        .status(200)
                        .header(
                            "WebHook-Allowed-Origin",
                            request.requestHeaders().get("WebHook-Request-Origin"))
                        .send();
                  }
                  String uri = request.uri();
                  this.events.add(
                      uri.substring(uri.lastIndexOf('/') + 1)
                          + ":"
                          + request.requestHeaders().get("ce-connectionId"));
                  return request.receive().then(response.status(204).send());
                })
            .bindNow();
    this.hub = "reliable" + (++hubs);
    emulator
        .getEmulator()
        .addEventHandler(this.hub, "http://localhost:" + this.receiver.port() + "/{event}");
  }

  @AfterEach
  void stop() {
    this.clients.forEach(TestClient::close);
    this.receiver.disposeNow();
  }

  private static String httpUrl(WebPubSubEmulator target, String hub) {
    return "http://localhost:" + target.getPort() + "/client/hubs/" + hub;
  }

  private TestClient connect(WebPubSubEmulator target, String userId, String protocol) {
    String url = httpUrl(target, this.hub);
    String token =
        new TestJwt(target.getAccessKey())
            .clientToken(
                url,
                userId,
                List.of("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"),
                List.of(),
                60);
    TestClient client =
        TestClient.connect(
            URI.create(url.replace("http", "ws") + "?access_token=" + token), protocol);
    this.clients.add(client);
    await().until(() -> !client.frames().isEmpty());
    return client;
  }

  private TestClient connect(String userId) {
    return connect(emulator.getEmulator(), userId, TestClient.RELIABLE_PROTOCOL);
  }

  private TestClient recover(WebPubSubEmulator target, String connectionId, String token) {
    return recover(target, connectionId, token, TestClient.RELIABLE_PROTOCOL);
  }

  private TestClient recover(
      WebPubSubEmulator target, String connectionId, String token, String protocol) {
    TestClient client =
        TestClient.connect(
            URI.create(
                httpUrl(target, this.hub).replace("http", "ws")
                    + "?awps_connection_id="
                    + connectionId
                    + "&awps_reconnection_token="
                    + token),
            protocol);
    this.clients.add(client);
    return client;
  }

  private static JsonNode connected(TestClient client) {
    return client.json().get(0);
  }

  private void sendToUser(WebPubSubEmulator target, String user, String text) {
    assertThat(
            new RestClient(target)
                .signed(
                    HttpMethod.POST,
                    "/api/hubs/" + this.hub + "/users/" + user + "/:send?api-version=2024-12-01",
                    "text/plain",
                    text)
                .status())
        .isEqualTo(202);
  }

  private void sendToGroup(String group, String json) {
    assertThat(
            new RestClient(emulator.getEmulator())
                .signed(
                    HttpMethod.POST,
                    "/api/hubs/" + this.hub + "/groups/" + group + "/:send?api-version=2024-12-01",
                    "application/json",
                    json)
                .status())
        .isEqualTo(202);
  }

  private int connectionStatus(WebPubSubEmulator target, String connectionId) {
    return new RestClient(target)
        .signed(
            HttpMethod.HEAD,
            "/api/hubs/" + this.hub + "/connections/" + connectionId + "?api-version=2024-12-01",
            null,
            null)
        .status();
  }

  private static List<JsonNode> messages(TestClient client) {
    return client.json().stream()
        .filter((json) -> json.path("type").asString("").equals("message"))
        .toList();
  }

  private static List<Long> sequenceIds(TestClient client) {
    return messages(client).stream().map((json) -> json.get("sequenceId").asLong()).toList();
  }

  /** Waits until every earlier frame of the client was processed (frames are handled in order). */
  private static void sync(TestClient client) {
    int pongs =
        (int)
            client.json().stream()
                .filter((j) -> j.path("type").asString("").equals("pong"))
                .count();
    client.send("{\"type\":\"ping\"}");
    await()
        .until(
            () ->
                client.json().stream()
                        .filter((j) -> j.path("type").asString("").equals("pong"))
                        .count()
                    > pongs);
  }

  private static void join(TestClient client, String group, long ackId) {
    client.send("{\"type\":\"joinGroup\",\"group\":\"" + group + "\",\"ackId\":" + ackId + "}");
    await().until(() -> ack(client, ackId) != null);
    assertThat(ack(client, ackId).get("success").asBoolean()).isTrue();
  }

  private static JsonNode ack(TestClient client, long ackId) {
    return client.json().stream()
        .filter(
            (j) -> j.path("type").asString("").equals("ack") && j.path("ackId").asLong() == ackId)
        .reduce((first, second) -> second)
        .orElse(null);
  }

  @Test
  void reliableClientNegotiatesTheProtocolAndConnectedCarriesAReconnectionToken() {
    TestClient client = connect("u");
    assertThat(client.subprotocol()).isEqualTo(TestClient.RELIABLE_PROTOCOL);
    JsonNode connected = connected(client);
    assertThat(connected.get("event").asString()).isEqualTo("connected");
    assertThat(connected.get("userId").asString()).isEqualTo("u");
    assertThat(connected.get("connectionId").asString()).hasSize(32);
    assertThat(connected.get("reconnectionToken").asString()).hasSizeGreaterThanOrEqualTo(32);
    TestClient json = connect(emulator.getEmulator(), "v", TestClient.JSON_PROTOCOL);
    assertThat(json.subprotocol()).isEqualTo(TestClient.JSON_PROTOCOL);
    assertThat(connected(json).has("reconnectionToken")).isFalse();
  }

  @Test
  void restAndGroupMessagesCarrySequenceIdsFromOneInOrder() {
    TestClient reliable = connect("u");
    TestClient json = connect(emulator.getEmulator(), "v", TestClient.JSON_PROTOCOL);
    join(reliable, "g", 1);
    join(json, "g", 1);
    sendToUser(emulator.getEmulator(), "u", "a");
    sendToUser(emulator.getEmulator(), "u", "b");
    sendToGroup("g", "{\"n\":1}");
    json.send("{\"type\":\"sendToGroup\",\"group\":\"g\",\"dataType\":\"text\",\"data\":\"c\"}");
    await().untilAsserted(() -> assertThat(messages(reliable)).hasSize(4));
    assertThat(sequenceIds(reliable)).containsExactly(1L, 2L, 3L, 4L);
    List<JsonNode> received = messages(reliable);
    assertThat(received.get(0).get("from").asString()).isEqualTo("server");
    assertThat(received.get(0).get("data").asString()).isEqualTo("a");
    assertThat(received.get(1).get("data").asString()).isEqualTo("b");
    assertThat(received.get(2).get("group").asString()).isEqualTo("g");
    assertThat(received.get(2).get("data").get("n").asInt()).isEqualTo(1);
    assertThat(received.get(3).get("fromUserId").asString()).isEqualTo("v");
    assertThat(received.get(3).get("data").asString()).isEqualTo("c");
    // System messages and acks carry none; the json.webpubsub.azure.v1 member gets none either.
    assertThat(connected(reliable).has("sequenceId")).isFalse();
    assertThat(ack(reliable, 1).has("sequenceId")).isFalse();
    await().untilAsserted(() -> assertThat(messages(json)).hasSize(2));
    assertThat(messages(json)).noneMatch((m) -> m.has("sequenceId"));
  }

  @Test
  void moreThanAThousandUnackedMessagesCloseTheClientWith1008() {
    TestClient reliable = connect("u");
    TestClient sender = connect(emulator.getEmulator(), "s", TestClient.JSON_PROTOCOL);
    join(reliable, "g", 1);
    for (int i = 1; i <= 1001; i++) {
      sender.send(
          "{\"type\":\"sendToGroup\",\"group\":\"g\",\"dataType\":\"text\",\"data\":\"m"
              + i
              + "\"}");
    }
    await().atMost(Duration.ofSeconds(20)).until(reliable::isClosed);
    assertThat(reliable.closeStatus().code()).isEqualTo(1008);
    assertThat(reliable.closeStatus().reasonText()).contains("1000").contains("sequenceAck");
    // The session is gone with it: no recovery.
    String id = connected(reliable).get("connectionId").asString();
    await().until(() -> connectionStatus(emulator.getEmulator(), id) == 404);
  }

  @Test
  void cumulativeSequenceAcksTrimTheRetainedMessages() {
    TestClient reliable = connect("u");
    TestClient sender = connect(emulator.getEmulator(), "s", TestClient.JSON_PROTOCOL);
    join(reliable, "g", 1);
    for (int round = 0; round < 3; round++) {
      for (int i = 1; i <= 800; i++) {
        sender.send(
            "{\"type\":\"sendToGroup\",\"group\":\"g\",\"dataType\":\"text\",\"data\":\"m\"}");
      }
      int expected = 800 * (round + 1);
      await().atMost(Duration.ofSeconds(20)).until(() -> messages(reliable).size() == expected);
      // One ack of the largest id covers every earlier message.
      reliable.send("{\"type\":\"sequenceAck\",\"sequenceId\":" + expected + "}");
      sync(reliable);
    }
    // 2,400 messages went through a 1,000-message buffer because the acks emptied it.
    assertThat(reliable.isClosed()).isFalse();
    assertThat(sequenceIds(reliable))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 2400).boxed().toList());
  }

  @Test
  void aRepeatedAckIdIsAnsweredDuplicateAndNotProcessedAgain() {
    TestClient reliable = connect("u");
    TestClient member = connect(emulator.getEmulator(), "m", TestClient.JSON_PROTOCOL);
    join(member, "g", 1);
    reliable.send(
        "{\"type\":\"sendToGroup\",\"group\":\"g\",\"ackId\":7,\"dataType\":\"text\",\"data\":\"once\"}");
    await().until(() -> ack(reliable, 7) != null);
    assertThat(ack(reliable, 7).get("success").asBoolean()).isTrue();
    reliable.send(
        "{\"type\":\"sendToGroup\",\"group\":\"g\",\"ackId\":7,\"dataType\":\"text\",\"data\":\"twice\"}");
    await()
        .until(
            () ->
                reliable.json().stream().filter((j) -> j.path("ackId").asLong() == 7).count() == 2);
    JsonNode duplicate = ack(reliable, 7);
    assertThat(duplicate.get("success").asBoolean()).isFalse();
    assertThat(duplicate.get("error").get("name").asString()).isEqualTo("Duplicate");
    // A failed request is not "processed": its ackId may be retried.
    reliable.send("{\"type\":\"joinGroup\",\"group\":\"\",\"ackId\":8}");
    await().until(() -> ack(reliable, 8) != null);
    reliable.send("{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":8}");
    await()
        .until(
            () ->
                reliable.json().stream().filter((j) -> j.path("ackId").asLong() == 8).count() == 2);
    assertThat(ack(reliable, 8).get("success").asBoolean()).isTrue();
    sendToGroup("g", "\"marker\"");
    await().untilAsserted(() -> assertThat(messages(member)).hasSize(2));
    assertThat(messages(member).get(0).get("data").asString()).isEqualTo("once");
    assertThat(messages(member).get(1).get("data").asString()).isEqualTo("marker");
  }

  @Test
  void recoveryWithAWrongTokenOrAnUnknownConnectionIsClosedWith1008() {
    TestClient reliable = connect("u");
    String id = connected(reliable).get("connectionId").asString();
    TestClient wrong = recover(emulator.getEmulator(), id, "not-the-token");
    await().until(wrong::isClosed);
    assertThat(wrong.subprotocol()).isEqualTo(TestClient.RELIABLE_PROTOCOL);
    assertThat(wrong.closeStatus().code()).isEqualTo(1008);
    assertThat(wrong.json()).isEmpty();
    TestClient unknown =
        recover(
            emulator.getEmulator(),
            "0123456789abcdef0123456789abcdef",
            connected(reliable).get("reconnectionToken").asString());
    await().until(unknown::isClosed);
    assertThat(unknown.closeStatus().code()).isEqualTo(1008);
    // The real session is untouched.
    sendToUser(emulator.getEmulator(), "u", "still here");
    await().untilAsserted(() -> assertThat(messages(reliable)).hasSize(1));
    assertThat(reliable.isClosed()).isFalse();
  }

  @Test
  void recoveryOfferingOnlyTheJsonProtocolCompletesTheHandshakeAndIsClosedWith1008() {
    TestClient first = connect("u");
    String id = connected(first).get("connectionId").asString();
    String token = connected(first).get("reconnectionToken").asString();
    first.drop();
    TestClient json = recover(emulator.getEmulator(), id, token, TestClient.JSON_PROTOCOL);
    await().until(json::isClosed);
    assertThat(json.subprotocol()).isEqualTo(TestClient.JSON_PROTOCOL);
    assertThat(json.closeStatus().code()).isEqualTo(1008);
    assertThat(json.closeStatus().reasonText()).contains(TestClient.RELIABLE_PROTOCOL);
    assertThat(json.json()).isEmpty();
    // The session was not touched: the reliable protocol still recovers it.
    TestClient reliable = recover(emulator.getEmulator(), id, token);
    await().until(() -> !reliable.frames().isEmpty());
    assertThat(connected(reliable).get("connectionId").asString()).isEqualTo(id);
    assertThat(reliable.isClosed()).isFalse();
  }

  @Test
  void aDroppedClientRecoversItsUnackedMessagesGroupsAndAckIds() {
    TestClient first = connect("u");
    String id = connected(first).get("connectionId").asString();
    String token = connected(first).get("reconnectionToken").asString();
    join(first, "g", 1);
    sendToUser(emulator.getEmulator(), "u", "m1");
    sendToUser(emulator.getEmulator(), "u", "m2");
    await().untilAsserted(() -> assertThat(messages(first)).hasSize(2));
    first.send("{\"type\":\"sequenceAck\",\"sequenceId\":1}");
    sync(first);
    first.drop();
    // While the client is away its session exists and keeps collecting messages.
    assertThat(connectionStatus(emulator.getEmulator(), id)).isEqualTo(200);
    sendToUser(emulator.getEmulator(), "u", "m3");
    sendToGroup("g", "\"m4\"");
    TestClient second = recover(emulator.getEmulator(), id, token);
    assertThat(second.subprotocol()).isEqualTo(TestClient.RELIABLE_PROTOCOL);
    await().untilAsserted(() -> assertThat(messages(second)).hasSize(3));
    JsonNode connected = connected(second);
    assertThat(connected.get("event").asString()).isEqualTo("connected");
    assertThat(connected.get("connectionId").asString()).isEqualTo(id);
    assertThat(sequenceIds(second)).containsExactly(2L, 3L, 4L);
    assertThat(messages(second).stream().map((m) -> m.get("data").asString()))
        .containsExactly("m2", "m3", "m4");
    // Then it continues: the group is kept and new messages follow in sequence.
    sendToGroup("g", "\"m5\"");
    await().untilAsserted(() -> assertThat(messages(second)).hasSize(4));
    assertThat(sequenceIds(second)).containsExactly(2L, 3L, 4L, 5L);
    // The ackId history survived too.
    second.send("{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":1}");
    await().until(() -> ack(second, 1) != null);
    assertThat(ack(second, 1).get("error").get("name").asString()).isEqualTo("Duplicate");
    // No connect/connected upstream for the recovery, and no disconnected for the drop.
    sync(second);
    assertThat(this.events).containsExactly("connect:" + id, "connected:" + id);
  }

  @Test
  void anUnrecoveredSessionExpiresWithDisconnectedAndIsThenClosedWith1008() {
    try (WebPubSubEmulator own =
        WebPubSubEmulator.builder().reconnectionWindow(Duration.ofSeconds(1)).start()) {
      own.addEventHandler(this.hub, "http://localhost:" + this.receiver.port() + "/{event}");
      TestClient client = connect(own, "u", TestClient.RELIABLE_PROTOCOL);
      String id = connected(client).get("connectionId").asString();
      String token = connected(client).get("reconnectionToken").asString();
      client.drop();
      assertThat(connectionStatus(own, id)).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> this.events.contains("disconnected:" + id));
      assertThat(connectionStatus(own, id)).isEqualTo(404);
      TestClient late = recover(own, id, token);
      await().until(late::isClosed);
      assertThat(late.closeStatus().code()).isEqualTo(1008);
      assertThat(this.events)
          .containsExactly("connect:" + id, "connected:" + id, "disconnected:" + id);
    }
  }

  @Test
  void aCloseFrameFromTheClientEndsTheSessionAtOnce() {
    TestClient client = connect("u");
    String id = connected(client).get("connectionId").asString();
    String token = connected(client).get("reconnectionToken").asString();
    client.close();
    await().until(() -> this.events.contains("disconnected:" + id));
    assertThat(connectionStatus(emulator.getEmulator(), id)).isEqualTo(404);
    TestClient late = recover(emulator.getEmulator(), id, token);
    await().until(late::isClosed);
    assertThat(late.closeStatus().code()).isEqualTo(1008);
  }

  @Test
  void closingADroppedSessionOverRestEndsItAtOnce() {
    TestClient client = connect("u");
    String id = connected(client).get("connectionId").asString();
    String token = connected(client).get("reconnectionToken").asString();
    client.drop();
    assertThat(connectionStatus(emulator.getEmulator(), id)).isEqualTo(200);
    assertThat(
            new RestClient(emulator.getEmulator())
                .signed(
                    HttpMethod.DELETE,
                    "/api/hubs/" + this.hub + "/connections/" + id + "?api-version=2024-12-01",
                    null,
                    null)
                .status())
        .isEqualTo(204);
    await().until(() -> this.events.contains("disconnected:" + id));
    assertThat(connectionStatus(emulator.getEmulator(), id)).isEqualTo(404);
    TestClient late = recover(emulator.getEmulator(), id, token);
    await().until(late::isClosed);
    assertThat(late.closeStatus().code()).isEqualTo(1008);
  }

  @Test
  void recoveringWhileTheOldSocketIsStillOpenMovesTheSessionToTheNewOne() {
    TestClient first = connect("u");
    String id = connected(first).get("connectionId").asString();
    String token = connected(first).get("reconnectionToken").asString();
    sendToUser(emulator.getEmulator(), "u", "m1");
    await().untilAsserted(() -> assertThat(messages(first)).hasSize(1));
    TestClient second = recover(emulator.getEmulator(), id, token);
    await().untilAsserted(() -> assertThat(messages(second)).hasSize(1));
    await().until(first::isClosed);
    assertThat(first.closeStatus().code()).isEqualTo(1008);
    sendToUser(emulator.getEmulator(), "u", "m2");
    await().untilAsserted(() -> assertThat(messages(second)).hasSize(2));
    assertThat(sequenceIds(second)).containsExactly(1L, 2L);
    assertThat(second.isClosed()).isFalse();
    assertThat(connectionStatus(emulator.getEmulator(), id)).isEqualTo(200);
    sync(second);
    assertThat(this.events).containsExactly("connect:" + id, "connected:" + id);
  }
}
