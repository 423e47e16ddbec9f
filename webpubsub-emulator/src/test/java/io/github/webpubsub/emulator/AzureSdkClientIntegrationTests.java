package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.http.rest.RequestOptions;
import com.azure.core.util.BinaryData;
import com.azure.messaging.webpubsub.WebPubSubServiceClient;
import com.azure.messaging.webpubsub.WebPubSubServiceClientBuilder;
import com.azure.messaging.webpubsub.models.GetClientAccessTokenOptions;
import com.azure.messaging.webpubsub.models.WebPubSubContentType;
import com.azure.messaging.webpubsub.models.WebPubSubPermission;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Microsoft's Java REST client ({@code azure-messaging-webpubsub} 1.4.0) against the emulator, for
 * every operation it offers, observed by real WebSocket clients.
 */
class AzureSdkClientIntegrationTests {

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator = new WebPubSubEmulatorExtension();

  private final List<TestClient> clients = new ArrayList<>();

  private WebPubSubServiceClient sdk;

  private String hub;

  private static int hubs;

  @BeforeEach
  void createClient() {
    this.hub = "sdk" + (++hubs);
    this.sdk =
        new WebPubSubServiceClientBuilder()
            .connectionString(emulator.getConnectionString())
            .hub(this.hub)
            .buildClient();
  }

  @AfterEach
  void closeClients() {
    this.clients.forEach(TestClient::close);
  }

  private TestClient connect(GetClientAccessTokenOptions options, String protocol) {
    String url = this.sdk.getClientAccessToken(options).getUrl();
    TestClient client = TestClient.connect(URI.create(url), protocol);
    this.clients.add(client);
    if (protocol != null) {
      await().until(() -> !client.frames().isEmpty());
    }
    return client;
  }

  private TestClient json(String userId, String... roles) {
    return connect(
        new GetClientAccessTokenOptions().setUserId(userId).setRoles(List.of(roles)),
        TestClient.JSON_PROTOCOL);
  }

  private TestClient raw(String userId) {
    return connect(new GetClientAccessTokenOptions().setUserId(userId), null);
  }

  private static String id(TestClient client) {
    return client.json().get(0).get("connectionId").asString();
  }

  private static void awaitTexts(TestClient client, String... expected) {
    await().untilAsserted(() -> assertThat(client.texts()).containsExactly(expected));
  }

  @Test
  void getClientAccessTokenUrlConnectsAndConnectedMessageCarriesUserAndConnectionId() {
    TestClient client = json("alice");
    JsonNode connected = client.json().get(0);
    assertThat(connected.get("type").asString()).isEqualTo("system");
    assertThat(connected.get("event").asString()).isEqualTo("connected");
    assertThat(connected.get("userId").asString()).isEqualTo("alice");
    assertThat(connected.get("connectionId").asString()).matches("[0-9a-f]{32}");
    assertThat(client.subprotocol()).isEqualTo(TestClient.JSON_PROTOCOL);
  }

  @Test
  void sendToAllReachesPlainClientsAsTextAndBinaryFrames() {
    TestClient a = raw("a");
    TestClient b = raw("b");
    this.sdk.sendToAll("hello", WebPubSubContentType.TEXT_PLAIN);
    this.sdk.sendToAll("{\"n\":1}", WebPubSubContentType.APPLICATION_JSON);
    this.sdk.sendToAllWithResponse(
        BinaryData.fromBytes(new byte[] {1, 2, 3}),
        new RequestOptions().setHeader("Content-Type", "application/octet-stream"));
    for (TestClient client : List.of(a, b)) {
      await().untilAsserted(() -> assertThat(client.frames()).hasSize(3));
      assertThat(client.frames().get(0).text()).isTrue();
      assertThat(client.frames().get(0).asText()).isEqualTo("hello");
      assertThat(client.frames().get(1).asText()).isEqualTo("{\"n\":1}");
      assertThat(client.frames().get(2).text()).isFalse();
      assertThat(client.frames().get(2).bytes()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void sendToAllFramesMessagesForJsonClientsByContentType() {
    TestClient client = json("j");
    this.sdk.sendToAll("hi", WebPubSubContentType.TEXT_PLAIN);
    this.sdk.sendToAll("{\"a\":[1]}", WebPubSubContentType.APPLICATION_JSON);
    this.sdk.sendToAllWithResponse(
        BinaryData.fromBytes("bin".getBytes(StandardCharsets.UTF_8)),
        new RequestOptions().setHeader("Content-Type", "application/octet-stream"));
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(4));
    assertThat(client.texts().subList(1, 4))
        .containsExactly(
            "{\"type\":\"message\",\"from\":\"server\",\"dataType\":\"text\",\"data\":\"hi\"}",
            "{\"type\":\"message\",\"from\":\"server\",\"dataType\":\"json\",\"data\":{\"a\":[1]}}",
            "{\"type\":\"message\",\"from\":\"server\",\"dataType\":\"binary\",\"data\":\"Ymlu\"}");
  }

  @Test
  void sendToAllHonoursExcludedAndFilter() {
    TestClient a = json("listener-1");
    TestClient b = json("other");
    TestClient c = json("listener-2");
    this.sdk.sendToAllWithResponse(
        BinaryData.fromString("x"),
        new RequestOptions()
            .setHeader("Content-Type", "text/plain")
            .addQueryParam("excluded", id(c))
            .addQueryParam("filter", "startswith(userId, 'listener-')"));
    this.sdk.sendToAll("marker", WebPubSubContentType.TEXT_PLAIN);
    await().untilAsserted(() -> assertThat(b.frames()).hasSize(2));
    await().untilAsserted(() -> assertThat(a.frames()).hasSize(3));
    await().untilAsserted(() -> assertThat(c.frames()).hasSize(2));
    assertThat(a.json().get(1).get("data").asString()).isEqualTo("x");
    assertThat(b.json().get(1).get("data").asString()).isEqualTo("marker");
    assertThat(c.json().get(1).get("data").asString()).isEqualTo("marker");
  }

  @Test
  void sendToConnectionReachesOnlyThatConnection() {
    TestClient a = json("a");
    TestClient b = json("b");
    this.sdk.sendToConnection(id(a), "only-a", WebPubSubContentType.TEXT_PLAIN);
    this.sdk.sendToAll("all", WebPubSubContentType.TEXT_PLAIN);
    await().untilAsserted(() -> assertThat(a.frames()).hasSize(3));
    await().untilAsserted(() -> assertThat(b.frames()).hasSize(2));
    assertThat(a.json().get(1).get("data").asString()).isEqualTo("only-a");
    assertThat(b.json().get(1).get("data").asString()).isEqualTo("all");
  }

  @Test
  void groupOperationsAddRemoveSendAndExist() {
    TestClient a = raw("ua");
    TestClient member = json("member");
    String memberId = id(member);
    assertThat(this.sdk.groupExistsWithResponse("room", null).getValue()).isFalse();
    assertThat(this.sdk.addConnectionToGroupWithResponse("room", memberId, null).getStatusCode())
        .isEqualTo(200);
    assertThat(this.sdk.groupExistsWithResponse("room", null).getValue()).isTrue();
    this.sdk.sendToGroup("room", "to-room", WebPubSubContentType.TEXT_PLAIN);
    await().untilAsserted(() -> assertThat(member.frames()).hasSize(2));
    JsonNode message = member.json().get(1);
    assertThat(message.get("from").asString()).isEqualTo("group");
    assertThat(message.get("group").asString()).isEqualTo("room");
    assertThat(message.has("fromUserId")).isFalse();
    assertThat(
            this.sdk.removeConnectionFromGroupWithResponse("room", memberId, null).getStatusCode())
        .isEqualTo(204);
    assertThat(this.sdk.groupExistsWithResponse("room", null).getValue()).isFalse();
    this.sdk.sendToGroup("room", "nobody", WebPubSubContentType.TEXT_PLAIN);
    this.sdk.sendToAll("end", WebPubSubContentType.TEXT_PLAIN);
    await().untilAsserted(() -> assertThat(member.frames()).hasSize(3));
    assertThat(member.json().get(2).get("data").asString()).isEqualTo("end");
    awaitTexts(a, "end");
  }

  @Test
  void sendToGroupHonoursExcludedAndFilter() {
    TestClient a = json("a");
    TestClient b = json("b");
    TestClient c = json("c");
    this.sdk.addConnectionsToGroups(List.of("g1", "g2"), "userId ne 'c'");
    this.sdk.sendToGroupWithResponse(
        "g1",
        BinaryData.fromString("\"only-a\""),
        new RequestOptions()
            .setHeader("Content-Type", "application/json")
            .addQueryParam("excluded", id(b)));
    this.sdk.sendToGroupWithResponse(
        "g2",
        BinaryData.fromString("\"only-b\""),
        new RequestOptions()
            .setHeader("Content-Type", "application/json")
            .addQueryParam("filter", "userId eq 'b' and 'g2' in groups"));
    this.sdk.sendToAll("end", WebPubSubContentType.TEXT_PLAIN);
    await().untilAsserted(() -> assertThat(a.frames()).hasSize(3));
    await().untilAsserted(() -> assertThat(b.frames()).hasSize(3));
    await().untilAsserted(() -> assertThat(c.frames()).hasSize(2));
    assertThat(a.json().get(1).get("data").asString()).isEqualTo("only-a");
    assertThat(b.json().get(1).get("data").asString()).isEqualTo("only-b");
  }

  @Test
  void userOperationsSendExistAndGroupMembership() {
    TestClient first = json("bob");
    TestClient second = json("bob");
    TestClient other = json("carol");
    assertThat(this.sdk.userExistsWithResponse("bob", null).getValue()).isTrue();
    assertThat(this.sdk.userExistsWithResponse("nobody", null).getValue()).isFalse();
    this.sdk.sendToUser("bob", "for-bob", WebPubSubContentType.TEXT_PLAIN);
    assertThat(this.sdk.addUserToGroupWithResponse("team", "bob", null).getStatusCode())
        .isEqualTo(200);
    this.sdk.sendToGroup("team", "team-1", WebPubSubContentType.TEXT_PLAIN);
    assertThat(this.sdk.removeUserFromGroupWithResponse("team", "bob", null).getStatusCode())
        .isEqualTo(204);
    this.sdk.sendToGroup("team", "team-2", WebPubSubContentType.TEXT_PLAIN);
    this.sdk.addUserToGroupWithResponse("a", "bob", null);
    this.sdk.addUserToGroupWithResponse("b", "bob", null);
    assertThat(this.sdk.removeUserFromAllGroupsWithResponse("bob", null).getStatusCode())
        .isEqualTo(204);
    assertThat(this.sdk.groupExistsWithResponse("a", null).getValue()).isFalse();
    assertThat(this.sdk.groupExistsWithResponse("b", null).getValue()).isFalse();
    this.sdk.sendToAll("end", WebPubSubContentType.TEXT_PLAIN);
    for (TestClient client : List.of(first, second)) {
      await().untilAsserted(() -> assertThat(client.frames()).hasSize(4));
      assertThat(client.json().subList(1, 4))
          .extracting((node) -> node.get("data").asString())
          .containsExactly("for-bob", "team-1", "end");
    }
    await().untilAsserted(() -> assertThat(other.frames()).hasSize(2));
  }

  @Test
  void removeConnectionFromAllGroupsLeavesEveryGroup() {
    TestClient client = json("x");
    this.sdk.addConnectionToGroupWithResponse("g1", id(client), null);
    this.sdk.addConnectionToGroupWithResponse("g2", id(client), null);
    assertThat(this.sdk.removeConnectionFromAllGroupsWithResponse(id(client), null).getStatusCode())
        .isEqualTo(204);
    assertThat(this.sdk.groupExistsWithResponse("g1", null).getValue()).isFalse();
    assertThat(this.sdk.groupExistsWithResponse("g2", null).getValue()).isFalse();
  }

  @Test
  void closeConnectionSendsDisconnectedAndCloseFrameWithReason() {
    TestClient client = json("x");
    String connectionId = id(client);
    assertThat(this.sdk.connectionExistsWithResponse(connectionId, null).getValue()).isTrue();
    this.sdk.closeConnectionWithResponse(
        connectionId, new RequestOptions().addQueryParam("reason", "bye now"));
    assertThat(this.sdk.connectionExistsWithResponse(connectionId, null).getValue()).isFalse();
    await().until(client::isClosed);
    assertThat(client.json().get(1).toString())
        .isEqualTo("{\"type\":\"system\",\"event\":\"disconnected\",\"message\":\"bye now\"}");
    assertThat(client.closeStatus().code()).isEqualTo(1000);
    assertThat(client.closeStatus().reasonText()).isEqualTo("bye now");
  }

  @Test
  void closeAllGroupAndUserConnectionsHonourExcluded() {
    TestClient a = json("u1");
    TestClient b = json("u1");
    TestClient c = json("u2");
    TestClient d = json("u3");
    this.sdk.closeUserConnectionsWithResponse(
        "u1", new RequestOptions().addQueryParam("excluded", id(b)));
    await().until(a::isClosed);
    this.sdk.addConnectionToGroupWithResponse("g", id(c), null);
    this.sdk.closeGroupConnectionsWithResponse("g", null);
    await().until(c::isClosed);
    assertThat(b.isClosed()).isFalse();
    this.sdk.closeAllConnectionsWithResponse(new RequestOptions().addQueryParam("excluded", id(d)));
    await().until(b::isClosed);
    assertThat(this.sdk.connectionExistsWithResponse(id(d), null).getValue()).isTrue();
    assertThat(d.isClosed()).isFalse();
  }

  @Test
  void grantRevokeAndCheckPermissionChangeWhatTheClientMayDoAtOnce() {
    TestClient client = json("p");
    String connectionId = id(client);
    RequestOptions room = new RequestOptions().addQueryParam("targetName", "room");
    assertThat(
            this.sdk
                .checkPermissionWithResponse(
                    WebPubSubPermission.JOIN_LEAVE_GROUP, connectionId, room)
                .getValue())
        .isFalse();
    client.send("{\"type\":\"joinGroup\",\"group\":\"room\",\"ackId\":1}");
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(2));
    assertThat(client.json().get(1).get("error").get("name").asString()).isEqualTo("Forbidden");
    assertThat(
            this.sdk
                .grantPermissionWithResponse(
                    WebPubSubPermission.JOIN_LEAVE_GROUP,
                    connectionId,
                    new RequestOptions().addQueryParam("targetName", "room"))
                .getStatusCode())
        .isEqualTo(200);
    assertThat(
            this.sdk
                .checkPermissionWithResponse(
                    WebPubSubPermission.JOIN_LEAVE_GROUP,
                    connectionId,
                    new RequestOptions().addQueryParam("targetName", "room"))
                .getValue())
        .isTrue();
    client.send("{\"type\":\"joinGroup\",\"group\":\"room\",\"ackId\":2}");
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(3));
    assertThat(client.texts().get(2)).isEqualTo("{\"type\":\"ack\",\"ackId\":2,\"success\":true}");
    assertThat(
            this.sdk
                .revokePermissionWithResponse(
                    WebPubSubPermission.JOIN_LEAVE_GROUP,
                    connectionId,
                    new RequestOptions().addQueryParam("targetName", "room"))
                .getStatusCode())
        .isEqualTo(204);
    client.send("{\"type\":\"leaveGroup\",\"group\":\"room\",\"ackId\":3}");
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(4));
    assertThat(client.json().get(3).get("error").get("name").asString()).isEqualTo("Forbidden");
    this.sdk.grantPermissionWithResponse(WebPubSubPermission.SEND_TO_GROUP, connectionId, null);
    assertThat(
            this.sdk
                .checkPermissionWithResponse(
                    WebPubSubPermission.SEND_TO_GROUP,
                    connectionId,
                    new RequestOptions().addQueryParam("targetName", "any"))
                .getValue())
        .isTrue();
  }

  @Test
  void tokenGroupsAndRolesFromGetClientAccessTokenApplyAtConnect() {
    TestClient client =
        connect(
            new GetClientAccessTokenOptions()
                .setUserId("g")
                .addGroup("lobby")
                .addRole("webpubsub.sendToGroup.lobby"),
            TestClient.JSON_PROTOCOL);
    client.send(
        "{\"type\":\"sendToGroup\",\"group\":\"lobby\",\"dataType\":\"text\",\"data\":\"me\",\"ackId\":5}");
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(3));
    assertThat(client.texts().subList(1, 3))
        .containsExactly(
            "{\"type\":\"message\",\"from\":\"group\",\"group\":\"lobby\",\"fromUserId\":\"g\",\"dataType\":\"text\",\"data\":\"me\"}",
            "{\"type\":\"ack\",\"ackId\":5,\"success\":true}");
  }

  @Test
  void sendsWithContentLengthAndMessageTtlAreAcceptedAndDelivered() {
    TestClient client = json("ttl");
    BinaryData body = BinaryData.fromString("with-ttl");
    assertThat(
            this.sdk
                .sendToUserWithResponse(
                    "ttl",
                    body,
                    WebPubSubContentType.TEXT_PLAIN,
                    body.getLength(),
                    new RequestOptions().addQueryParam("messageTtlSeconds", "15"))
                .getStatusCode())
        .isEqualTo(202);
    assertThat(
            this.sdk
                .sendToConnectionWithResponse(
                    id(client), body, WebPubSubContentType.TEXT_PLAIN, body.getLength(), null)
                .getStatusCode())
        .isEqualTo(202);
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(3));
    assertThat(client.json().subList(1, 3))
        .extracting((node) -> node.get("data").asString())
        .containsExactly("with-ttl", "with-ttl");
  }
}
