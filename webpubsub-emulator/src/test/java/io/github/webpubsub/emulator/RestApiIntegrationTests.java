package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The REST data plane over plain HTTP: authentication, validation, status codes, paging. */
class RestApiIntegrationTests {

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator = new WebPubSubEmulatorExtension();

  /** The running emulator's key: each embedded emulator gets its own random one. */
  private static TestJwt key() {
    return new TestJwt(emulator.getEmulator().getAccessKey());
  }

  private static final TestJwt OTHER_KEY =
      new TestJwt("0123456789abcdef0123456789abcdef0123456789ab");

  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    this.clients.forEach(TestClient::close);
  }

  private static String base() {
    return "http://localhost:" + emulator.getEmulator().getPort();
  }

  private static String token(TestJwt jwt, String aud, long expiresInSeconds) {
    return RestClient.token(jwt, aud, expiresInSeconds);
  }

  private static RestClient.Answer call(
      HttpMethod method,
      String pathAndQuery,
      @Nullable String token,
      @Nullable String contentType,
      byte @Nullable [] body) {
    return new RestClient(emulator.getEmulator())
        .call(method, pathAndQuery, token, contentType, body);
  }

  private static RestClient.Answer signed(
      HttpMethod method, String pathAndQuery, @Nullable String type, @Nullable String body) {
    return new RestClient(emulator.getEmulator()).signed(method, pathAndQuery, type, body);
  }

  private TestClient client(String hub, String userId, boolean json) {
    String url = "http://localhost:" + emulator.getEmulator().getPort() + "/client/hubs/" + hub;
    String token = key().clientToken(url, userId, List.of(), List.of(), 60);
    TestClient client =
        TestClient.connect(
            URI.create(url.replace("http", "ws") + "?access_token=" + token),
            json ? TestClient.JSON_PROTOCOL : null);
    this.clients.add(client);
    if (json) {
      await().until(() -> !client.frames().isEmpty());
    }
    return client;
  }

  @Test
  void healthAnswers200WithoutAuthentication() {
    assertThat(
            call(HttpMethod.HEAD, "/api/health?api-version=2024-12-01", null, null, null).status())
        .isEqualTo(200);
  }

  @Test
  void sendWithoutTokenIs401WithErrorBody() {
    RestClient.Answer answer =
        call(
            HttpMethod.POST,
            "/api/hubs/h/:send?api-version=2024-12-01",
            null,
            "text/plain",
            "x".getBytes());
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.headers()).containsEntry("x-ms-error-code", "Error.Unauthorized");
  }

  @Test
  void tokenSignedWithAnotherKeyIs401() {
    String path = "/api/hubs/h/:send?api-version=2024-12-01";
    RestClient.Answer answer =
        call(
            HttpMethod.POST,
            path,
            token(OTHER_KEY, base() + path, 3600),
            "text/plain",
            "x".getBytes());
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.json().get("message").asString()).contains("signature");
    assertThat(answer.body()).doesNotContain(emulator.getEmulator().getAccessKey());
  }

  @Test
  void tokenForAnotherUrlIs401() {
    String path = "/api/hubs/h/:send?api-version=2024-12-01";
    RestClient.Answer answer =
        call(
            HttpMethod.POST,
            path,
            token(key(), base() + "/api/hubs/other/:send?api-version=2024-12-01", 3600),
            "text/plain",
            "x".getBytes());
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.json().get("message").asString()).contains("aud");
  }

  @Test
  void expiredTokenIs401() {
    String path = "/api/hubs/h/:send?api-version=2024-12-01";
    RestClient.Answer answer =
        call(HttpMethod.POST, path, token(key(), base() + path, -60), "text/plain", "x".getBytes());
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.json().get("message").asString()).contains("expired");
  }

  @Test
  void tokenWithoutExpIs401() {
    String path = "/api/hubs/h/:send?api-version=2024-12-01";
    String token = key().sign(Map.of("aud", base() + path));
    assertThat(call(HttpMethod.POST, path, token, "text/plain", "x".getBytes()).status())
        .isEqualTo(401);
  }

  @Test
  void audWithoutTheQueryStringIsAccepted() {
    String path = "/api/hubs/h/:send?api-version=2024-12-01";
    String token = token(key(), base() + "/api/hubs/h/:send", 3600);
    assertThat(call(HttpMethod.POST, path, token, "text/plain", "x".getBytes()).status())
        .isEqualTo(202);
  }

  @Test
  void anyApiVersionAndNoneAreAccepted() {
    for (String query : List.of("?api-version=2021-08-01-preview", "?api-version=2022-11-01", "")) {
      assertThat(
              signed(HttpMethod.POST, "/api/hubs/h/users/u/:send" + query, "text/plain", "x")
                  .status())
          .isEqualTo(202);
    }
  }

  @Test
  void invalidHubNameIs400WithServiceErrorBody() {
    RestClient.Answer answer =
        signed(HttpMethod.POST, "/api/hubs/1bad/:send?api-version=2024-12-01", "text/plain", "x");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.headers()).containsEntry("x-ms-error-code", "Error.BadRequest");
    assertThat(answer.json().get("code").asString()).isEqualTo("Error.BadRequest");
    assertThat(answer.json().get("target").asString()).isEqualTo("hub");
    assertThat(answer.json().get("message").asString()).contains("1bad");
  }

  @Test
  void unsupportedContentTypeIs415() {
    RestClient.Answer answer =
        signed(
            HttpMethod.POST, "/api/hubs/h/:send?api-version=2024-12-01", "application/xml", "<a/>");
    assertThat(answer.status()).isEqualTo(415);
    assertThat(answer.json().get("message").asString()).contains("application/xml");
  }

  @Test
  void invalidJsonBodyIs400() {
    RestClient.Answer answer =
        signed(
            HttpMethod.POST,
            "/api/hubs/h/:send?api-version=2024-12-01",
            "application/json",
            "{nope");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("target").asString()).isEqualTo("body");
  }

  @Test
  void messageOverOneMebibyteIs413AndExactlyOneMebibyteIs202() {
    String path = "/api/hubs/h/:send?api-version=2024-12-01";
    byte[] limit = new byte[1024 * 1024];
    assertThat(
            call(
                    HttpMethod.POST,
                    path,
                    token(key(), base() + path, 60),
                    "application/octet-stream",
                    limit)
                .status())
        .isEqualTo(202);
    byte[] over = new byte[1024 * 1024 + 1];
    RestClient.Answer answer =
        call(
            HttpMethod.POST,
            path,
            token(key(), base() + path, 60),
            "application/octet-stream",
            over);
    assertThat(answer.status()).isEqualTo(413);
  }

  @Test
  void invalidFilterIs400NamingTheFilter() {
    RestClient.Answer answer =
        signed(
            HttpMethod.POST,
            "/api/hubs/h/:send?api-version=2024-12-01&filter=userId%20eq",
            "text/plain",
            "x");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("target").asString()).isEqualTo("filter");
    assertThat(answer.json().get("message").asString()).startsWith("Invalid syntax for filter");
  }

  @Test
  void filterNestedFarBeyondTheLimitIs400NamingTheRule() {
    // In a bulk group body a filter can be long: 10,000 levels overflowed the parser's stack.
    String deep = "(".repeat(10_000) + "true" + ")".repeat(10_000);
    RestClient.Answer answer =
        signed(
            HttpMethod.POST,
            "/api/hubs/h/:addToGroups?api-version=2024-12-01",
            "application/json",
            "{\"groups\":[\"g1\"],\"filter\":\"" + deep + "\"}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("target").asString()).isEqualTo("filter");
    assertThat(answer.json().get("message").asString())
        .startsWith("Invalid syntax for filter '(((")
        .endsWith("': nested more than 64 levels deep");
  }

  @Test
  void messageTtlOutOfRangeIs400() {
    RestClient.Answer answer =
        signed(
            HttpMethod.POST,
            "/api/hubs/h/groups/g/:send?api-version=2024-12-01&messageTtlSeconds=301",
            "text/plain",
            "x");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("target").asString()).isEqualTo("messageTtlSeconds");
  }

  @Test
  void whitespaceGroupNameIs400() {
    RestClient.Answer answer =
        signed(
            HttpMethod.POST,
            "/api/hubs/h/groups/%20%20/:send?api-version=2024-12-01",
            "text/plain",
            "x");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("target").asString()).isEqualTo("group");
  }

  @Test
  void addingAnUnknownConnectionToAGroupIs404() {
    RestClient.Answer answer =
        signed(
            HttpMethod.PUT,
            "/api/hubs/h/groups/g/connections/nope?api-version=2024-12-01",
            null,
            null);
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.json().get("target").asString()).isEqualTo("connectionId");
  }

  @Test
  void unknownPermissionIs400() {
    RestClient.Answer answer =
        signed(
            HttpMethod.PUT,
            "/api/hubs/h/permissions/admin/connections/c?api-version=2024-12-01",
            null,
            null);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("target").asString()).isEqualTo("permission");
  }

  @Test
  void existenceChecksAnswer404WithoutBody() {
    RestClient.Answer answer =
        signed(HttpMethod.HEAD, "/api/hubs/h/users/ghost?api-version=2024-12-01", null, null);
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body()).isEmpty();
  }

  @Test
  void addToGroupsAndRemoveFromGroupsSelectConnectionsByFilter() {
    TestClient listener = client("bulk", "listener-1", true);
    TestClient other = client("bulk", "other", true);
    RestClient.Answer add =
        signed(
            HttpMethod.POST,
            "/api/hubs/bulk/:addToGroups?api-version=2024-12-01",
            "application/json",
            "{\"groups\":[\"g1\",\"g2\"],\"filter\":\"startswith(userId, 'listener-')\"}");
    assertThat(add.status()).isEqualTo(200);
    assertThat(
            signed(HttpMethod.HEAD, "/api/hubs/bulk/groups/g2?api-version=2024-12-01", null, null)
                .status())
        .isEqualTo(200);
    signed(
        HttpMethod.POST,
        "/api/hubs/bulk/groups/g1/:send?api-version=2024-12-01",
        "text/plain",
        "g1");
    RestClient.Answer remove =
        signed(
            HttpMethod.POST,
            "/api/hubs/bulk/:removeFromGroups?api-version=2024-12-01",
            "application/json",
            "{\"groups\":[\"g1\",\"g2\"]}");
    assertThat(remove.status()).isEqualTo(200);
    assertThat(
            signed(HttpMethod.HEAD, "/api/hubs/bulk/groups/g2?api-version=2024-12-01", null, null)
                .status())
        .isEqualTo(404);
    signed(HttpMethod.POST, "/api/hubs/bulk/:send?api-version=2024-12-01", "text/plain", "end");
    await().untilAsserted(() -> assertThat(listener.frames()).hasSize(3));
    await().untilAsserted(() -> assertThat(other.frames()).hasSize(2));
    assertThat(listener.json().get(1).get("data").asString()).isEqualTo("g1");
  }

  @Test
  void bulkGroupOperationsRefuseBadBodies() {
    assertThat(
            signed(
                    HttpMethod.POST,
                    "/api/hubs/h/:addToGroups?api-version=2024-12-01",
                    "text/plain",
                    "x")
                .status())
        .isEqualTo(415);
    RestClient.Answer empty =
        signed(
            HttpMethod.POST,
            "/api/hubs/h/:addToGroups?api-version=2024-12-01",
            "application/json",
            "{\"groups\":[]}");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json().get("target").asString()).isEqualTo("groups");
  }

  @Test
  void listConnectionsInGroupPagesWithAbsoluteNextLinkAndTop() {
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      TestClient c = client("paged", "user" + i, true);
      String id = c.json().get(0).get("connectionId").asString();
      expected.add(id);
      signed(
          HttpMethod.PUT,
          "/api/hubs/paged/groups/room/connections/" + id + "?api-version=2024-12-01",
          null,
          null);
    }
    RestClient.Answer first =
        signed(
            HttpMethod.GET,
            "/api/hubs/paged/groups/room/connections?api-version=2024-12-01&maxpagesize=2",
            null,
            null);
    assertThat(first.status()).isEqualTo(200);
    List<String> seen = new ArrayList<>();
    JsonNode page = first.json();
    int pages = 0;
    while (true) {
      pages++;
      page.get("value")
          .forEach(
              (m) -> {
                seen.add(m.get("connectionId").asString());
                assertThat(m.get("userId").asString()).startsWith("user");
              });
      JsonNode next = page.get("nextLink");
      if (next == null) {
        break;
      }
      assertThat(next.asString()).startsWith(base() + "/api/hubs/paged/groups/room/connections?");
      page = signed(HttpMethod.GET, next.asString().substring(base().length()), null, null).json();
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(5).containsExactlyInAnyOrderElementsOf(expected);
    JsonNode limited =
        signed(
                HttpMethod.GET,
                "/api/hubs/paged/groups/room/connections?api-version=2024-12-01&maxpagesize=2&top=3",
                null,
                null)
            .json();
    JsonNode second =
        signed(
                HttpMethod.GET,
                limited.get("nextLink").asString().substring(base().length()),
                null,
                null)
            .json();
    assertThat(limited.get("value")).hasSize(2);
    assertThat(second.get("value")).hasSize(1);
    assertThat(second.has("nextLink")).isFalse();
    RestClient.Answer badSize =
        signed(
            HttpMethod.GET, "/api/hubs/paged/groups/room/connections?maxpagesize=201", null, null);
    assertThat(badSize.status()).isEqualTo(400);
  }

  @Test
  void generateTokenReturnsAClientTokenThatConnects() {
    RestClient.Answer answer =
        signed(
            HttpMethod.POST,
            "/api/hubs/gen/:generateToken?api-version=2024-12-01&userId=zoe&role=webpubsub.joinLeaveGroup&group=g1&minutesToExpire=5",
            null,
            null);
    assertThat(answer.status()).isEqualTo(200);
    String token = answer.json().get("token").asString();
    TestClient client =
        TestClient.connect(
            URI.create(
                "ws://localhost:"
                    + emulator.getEmulator().getPort()
                    + "/client/hubs/gen?access_token="
                    + token),
            TestClient.JSON_PROTOCOL);
    this.clients.add(client);
    await().until(() -> !client.frames().isEmpty());
    assertThat(client.json().get(0).get("userId").asString()).isEqualTo("zoe");
    assertThat(
            signed(HttpMethod.HEAD, "/api/hubs/gen/groups/g1?api-version=2024-12-01", null, null)
                .status())
        .isEqualTo(200);
    assertThat(
            signed(
                    HttpMethod.POST,
                    "/api/hubs/gen/:generateToken?api-version=2024-12-01&minutesToExpire=0",
                    null,
                    null)
                .status())
        .isEqualTo(400);
  }
}
