package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.http.client.HttpClient;

/** WebSocket clients: token checks at the upgrade, plain frames and json.webpubsub.azure.v1. */
class ClientProtocolIntegrationTests {

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator = new WebPubSubEmulatorExtension();

  /** The running emulator's key: each embedded emulator gets its own random one. */
  private static TestJwt key() {
    return new TestJwt(emulator.getEmulator().getAccessKey());
  }

  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    this.clients.forEach(TestClient::close);
  }

  private static String httpUrl(String hub) {
    return "http://localhost:" + emulator.getEmulator().getPort() + "/client/hubs/" + hub;
  }

  private static URI wsUri(String hub, String token) {
    return URI.create(httpUrl(hub).replace("http", "ws") + "?access_token=" + token);
  }

  private static String token(String hub, String userId, List<String> roles, List<String> groups) {
    return key().clientToken(httpUrl(hub), userId, roles, groups, 60);
  }

  private TestClient connect(String hub, String userId, boolean json, String... roles) {
    TestClient client =
        TestClient.connect(
            wsUri(hub, token(hub, userId, List.of(roles), List.of())),
            json ? TestClient.JSON_PROTOCOL : null);
    this.clients.add(client);
    if (json) {
      await().until(() -> !client.frames().isEmpty());
    }
    return client;
  }

  private static String id(TestClient client) {
    return client.json().get(0).get("connectionId").asString();
  }

  @Test
  void tokenSignedWithAnotherKeyIsRefusedWith401() {
    TestJwt other = new TestJwt("0123456789abcdef0123456789abcdef0123456789ab");
    String token = other.clientToken(httpUrl("h"), "u", List.of(), List.of(), 60);
    assertThat(TestClient.upgradeStatus(wsUri("h", token), null)).isEqualTo(401);
  }

  @Test
  void tokenForAnotherHubIsRefusedWith401() {
    assertThat(
            TestClient.upgradeStatus(wsUri("h", token("other", "u", List.of(), List.of())), null))
        .isEqualTo(401);
  }

  @Test
  void tokenForAnotherHostIsRefusedWith401() {
    String token =
        key()
            .clientToken(
                "https://contoso.webpubsub.azure.com/client/hubs/h", "u", List.of(), List.of(), 60);
    assertThat(TestClient.upgradeStatus(wsUri("h", token), null)).isEqualTo(401);
  }

  @Test
  void expiredTokenIsRefusedWith401() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", httpUrl("h"));
    claims.put("exp", Instant.now().getEpochSecond() - 1);
    assertThat(TestClient.upgradeStatus(wsUri("h", key().sign(claims)), null)).isEqualTo(401);
  }

  @Test
  void missingTokenIsRefusedWith401() {
    assertThat(TestClient.upgradeStatus(URI.create(httpUrl("h").replace("http", "ws")), null))
        .isEqualTo(401);
  }

  @Test
  void audSchemeIsIgnoredAndAuthorizationHeaderCarriesTheToken() {
    String token =
        key().clientToken(httpUrl("h").replace("http", "wss"), "u", List.of(), List.of(), 60);
    HttpClient withHeader =
        HttpClient.newConnection().headers((h) -> h.set("Authorization", "Bearer " + token));
    TestClient client =
        TestClient.connect(
            withHeader,
            URI.create(httpUrl("h").replace("http", "ws")),
            TestClient.JSON_PROTOCOL,
            true);
    this.clients.add(client);
    await().until(() -> !client.frames().isEmpty());
    assertThat(client.json().get(0).get("userId").asString()).isEqualTo("u");
  }

  @Test
  void plainClientNegotiatesNoSubprotocolAndGetsNoSystemMessages() {
    TestClient raw = connect("plain", "r", false);
    new RestClient(emulator.getEmulator())
        .signed(
            HttpMethod.POST,
            "/api/hubs/plain/:send?api-version=2024-12-01",
            "application/json",
            "\"Hello\"");
    await().untilAsserted(() -> assertThat(raw.texts()).containsExactly("\"Hello\""));
    assertThat(raw.subprotocol()).isNull();
  }

  @Test
  void tokenGroupClaimJoinsAtConnectAndHubNamesAreCaseInsensitive() {
    TestClient client =
        TestClient.connect(wsUri("Mixed", token("Mixed", "u", List.of(), List.of("lobby"))), null);
    this.clients.add(client);
    await().until(() -> emulator.getEmulator().getConnectionCount() > 0);
    new RestClient(emulator.getEmulator())
        .signed(
            HttpMethod.POST,
            "/api/hubs/mixed/groups/lobby/:send?api-version=2024-12-01",
            "text/plain",
            "hi");
    await().untilAsserted(() -> assertThat(client.texts()).containsExactly("hi"));
  }

  @Test
  void pingIsAnsweredWithPong() {
    TestClient client = connect("ping", "u", true);
    client.send("{\"type\":\"ping\"}");
    await().untilAsserted(() -> assertThat(client.texts()).hasSize(2));
    assertThat(client.texts().get(1)).isEqualTo("{\"type\":\"pong\"}");
  }

  @Test
  void sendToGroupWithoutPermissionIsAckedForbidden() {
    TestClient client = connect("perm", "u", true);
    client.send("{\"type\":\"sendToGroup\",\"group\":\"g\",\"data\":1,\"ackId\":9}");
    await().untilAsserted(() -> assertThat(client.texts()).hasSize(2));
    assertThat(client.json().get(1).get("success").asBoolean()).isFalse();
    assertThat(client.json().get(1).get("ackId").asLong()).isEqualTo(9);
    assertThat(client.json().get(1).get("error").get("name").asString()).isEqualTo("Forbidden");
  }

  @Test
  void joinGroupThenSendToGroupReachesJsonAndPlainMembersFramedByDataType() {
    TestClient sender =
        connect("chat", "alice", true, "webpubsub.joinLeaveGroup", "webpubsub.sendToGroup.room");
    TestClient listener = connect("chat", "bob", true, "webpubsub.joinLeaveGroups.ro*");
    TestClient plain = connect("chat", "carol", false);
    new RestClient(emulator.getEmulator())
        .signed(
            HttpMethod.PUT,
            "/api/hubs/chat/users/carol/groups/room?api-version=2024-12-01",
            null,
            null);
    sender.send("{\"type\":\"joinGroup\",\"group\":\"room\",\"ackId\":1}");
    listener.send("{\"type\":\"joinGroup\",\"group\":\"room\",\"ackId\":1}");
    await().untilAsserted(() -> assertThat(listener.texts()).hasSize(2));
    await().untilAsserted(() -> assertThat(sender.texts()).hasSize(2));
    sender.send(
        "{\"type\":\"sendToGroup\",\"group\":\"room\",\"dataType\":\"json\",\"data\":{\"t\":1},\"ackId\":2}");
    sender.send(
        "{\"type\":\"sendToGroup\",\"group\":\"room\",\"dataType\":\"binary\",\"data\":\"AQI=\",\"noEcho\":true}");
    sender.send(
        "{\"type\":\"sendToGroup\",\"group\":\"room\",\"dataType\":\"text\",\"data\":\"last\",\"noEcho\":true,\"ackId\":3}");
    await().untilAsserted(() -> assertThat(listener.texts()).hasSize(5));
    assertThat(listener.texts().subList(2, 5))
        .containsExactly(
            "{\"type\":\"message\",\"from\":\"group\",\"group\":\"room\",\"fromUserId\":\"alice\",\"dataType\":\"json\",\"data\":{\"t\":1}}",
            "{\"type\":\"message\",\"from\":\"group\",\"group\":\"room\",\"fromUserId\":\"alice\",\"dataType\":\"binary\",\"data\":\"AQI=\"}",
            "{\"type\":\"message\",\"from\":\"group\",\"group\":\"room\",\"fromUserId\":\"alice\",\"dataType\":\"text\",\"data\":\"last\"}");
    await().untilAsserted(() -> assertThat(sender.texts()).hasSize(5));
    assertThat(sender.texts().subList(2, 5))
        .containsExactly(
            "{\"type\":\"message\",\"from\":\"group\",\"group\":\"room\",\"fromUserId\":\"alice\",\"dataType\":\"json\",\"data\":{\"t\":1}}",
            "{\"type\":\"ack\",\"ackId\":2,\"success\":true}",
            "{\"type\":\"ack\",\"ackId\":3,\"success\":true}");
    await().untilAsserted(() -> assertThat(plain.frames()).hasSize(3));
    assertThat(plain.frames().get(0).asText()).isEqualTo("{\"t\":1}");
    assertThat(plain.frames().get(1).text()).isFalse();
    assertThat(plain.frames().get(1).bytes()).containsExactly(1, 2);
    assertThat(plain.frames().get(2).asText()).isEqualTo("last");
  }

  @Test
  void wildcardRoleDoesNotCoverOtherGroups() {
    TestClient client = connect("wild", "u", true, "webpubsub.joinLeaveGroups.ro*");
    client.send("{\"type\":\"joinGroup\",\"group\":\"room.a\",\"ackId\":1}");
    client.send("{\"type\":\"joinGroup\",\"group\":\"rooms\",\"ackId\":2}");
    await().untilAsserted(() -> assertThat(client.texts()).hasSize(3));
    assertThat(client.json().get(1).get("error").get("name").asString()).isEqualTo("Forbidden");
    assertThat(client.json().get(2).get("success").asBoolean()).isTrue();
  }

  @Test
  void malformedRequestsAreAckedBadRequest() {
    TestClient client = connect("bad", "u", true, "webpubsub.sendToGroup");
    client.send("{\"type\":\"nonsense\",\"ackId\":1}");
    client.send(
        "{\"type\":\"sendToGroup\",\"group\":\"g\",\"dataType\":\"text\",\"data\":5,\"ackId\":2}");
    client.send("{\"type\":\"event\",\"event\":\"1bad\",\"data\":5,\"ackId\":3}");
    client.send("{\"type\":\"joinGroup\",\"group\":\"\",\"ackId\":4}");
    await().untilAsserted(() -> assertThat(client.texts()).hasSize(5));
    for (int i = 1; i <= 4; i++) {
      assertThat(client.json().get(i).get("ackId").asInt()).isEqualTo(i);
      assertThat(client.json().get(i).get("error").get("name").asString()).isEqualTo("BadRequest");
    }
  }

  @Test
  void eventWithoutEventHandlerIsAckedNotFound() {
    TestClient client = connect("noevents", "u", true);
    client.send(
        "{\"type\":\"event\",\"event\":\"chat\",\"dataType\":\"text\",\"data\":\"x\",\"ackId\":1}");
    await().untilAsserted(() -> assertThat(client.texts()).hasSize(2));
    assertThat(client.json().get(1).get("error").get("name").asString()).isEqualTo("NotFound");
  }

  @Test
  void nonJsonFrameOnJsonProtocolClosesWith1003() {
    TestClient client = connect("junk", "u", true);
    client.send("not json");
    await().until(client::isClosed);
    assertThat(client.closeStatus().code()).isEqualTo(1003);
  }

  @Test
  void restSendsArriveInOrderPerSender() {
    TestClient client = connect("order", "u", false);
    // A plain client gets no connected message: it is registered before its 101, so REST sends
    // right after the handshake reach it.
    for (int i = 0; i < 200; i++) {
      new RestClient(emulator.getEmulator())
          .signed(
              HttpMethod.POST,
              "/api/hubs/order/users/u/:send?api-version=2024-12-01",
              "text/plain",
              "m" + i);
    }
    await().untilAsserted(() -> assertThat(client.texts()).hasSize(200));
    for (int i = 0; i < 200; i++) {
      assertThat(client.texts().get(i)).isEqualTo("m" + i);
    }
  }

  @Test
  void restSendRightAfterTheHandshakeReachesTheClient() {
    // The connection is registered before the 101 is written: a send issued as soon as the client
    // sees the handshake complete must reach it, plain or JSON (whose connected message comes
    // first). Before, the 101 could arrive before the registration and such a send was dropped.
    RestClient rest = new RestClient(emulator.getEmulator());
    for (int i = 0; i < 200; i++) {
      boolean json = i % 2 == 1;
      String user = "early-" + i;
      TestClient client =
          TestClient.connect(
              wsUri("early", token("early", user, List.of(), List.of())),
              json ? TestClient.JSON_PROTOCOL : null);
      this.clients.add(client);
      assertThat(
              rest.signed(
                      HttpMethod.POST,
                      "/api/hubs/early/users/" + user + "/:send?api-version=2024-12-01",
                      "text/plain",
                      "m" + i)
                  .status())
          .isEqualTo(202);
      int expected = json ? 2 : 1;
      await()
          .atMost(java.time.Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(client.frames()).as("frames of %s", user).hasSize(expected));
      if (json) {
        assertThat(client.json().get(0).get("event").asString()).isEqualTo("connected");
        assertThat(client.json().get(1).get("data").asString()).isEqualTo("m" + i);
      } else {
        assertThat(client.texts()).containsExactly("m" + i);
      }
      client.close();
    }
  }

  @Test
  void closingTheEmulatorSendsEveryClientACloseFrame() {
    try (WebPubSubEmulator own = WebPubSubEmulator.start()) {
      String url = "http://localhost:" + own.getPort() + "/client/hubs/h";
      String token =
          new TestJwt(own.getAccessKey()).clientToken(url, "u", List.of(), List.of(), 60);
      URI uri = URI.create(url.replace("http", "ws") + "?access_token=" + token);
      TestClient plain = TestClient.connect(uri, null);
      TestClient json = TestClient.connect(uri, TestClient.JSON_PROTOCOL);
      this.clients.add(plain);
      this.clients.add(json);
      await().until(() -> own.getConnectionCount() == 2);
      own.close();
      await().until(() -> plain.isClosed() && json.isClosed());
      assertThat(plain.closeStatus().code()).isEqualTo(1001);
      assertThat(json.closeStatus().code()).isEqualTo(1001);
      assertThat(json.json().get(1).get("event").asString()).isEqualTo("disconnected");
    }
  }
}
