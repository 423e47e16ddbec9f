package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

/** Upstream CloudEvents calls, received by a real HTTP server standing in for the application. */
class EventHandlerIntegrationTests {

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator = new WebPubSubEmulatorExtension();

  /** The running emulator's key: each embedded emulator gets its own random one. */
  private static TestJwt key() {
    return new TestJwt(emulator.getEmulator().getAccessKey());
  }

  private static int hubs;

  record Received(String method, String uri, HttpHeaders headers, byte[] body) {

    String text() {
      return new String(this.body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      return TestClient.JSON.readTree(this.body);
    }
  }

  record Reply(int status, Map<String, String> headers, byte[] content) {

    Reply(int status, Map<String, String> headers, String body) {
      this(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();

  private final Map<String, Reply> replies = new ConcurrentHashMap<>();

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
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(
                            (body) -> {
                              this.received.add(
                                  new Received(
                                      request.method().name(),
                                      request.uri(),
                                      request.requestHeaders().copy(),
                                      body));
                              if (request.method().equals(HttpMethod.OPTIONS)) {
                                Reply reply = this.replies.get("validate");
                                if (reply != null) {
                                  return response.status(reply.status()).send().then();
                                }
                                return response
                                    .status(200)
                                    .header(
                                        "WebHook-Allowed-Origin",
                                        request.requestHeaders().get("WebHook-Request-Origin"))
                                    .send()
                                    .then();
                              }
                              String event =
                                  request.uri().substring(request.uri().lastIndexOf('/') + 1);
                              Reply reply =
                                  this.replies.getOrDefault(event, new Reply(204, Map.of(), ""));
                              reply.headers().forEach(response::header);
                              return response
                                  .status(reply.status())
                                  .sendByteArray(Mono.just(reply.content()))
                                  .then();
                            }))
            .bindNow();
    this.hub = "events" + (++hubs);
    emulator
        .getEmulator()
        .addEventHandler(
            this.hub, "http://localhost:" + this.receiver.port() + "/upstream/{hub}/{event}");
  }

  @AfterEach
  void stopReceiver() {
    this.clients.forEach(TestClient::close);
    this.receiver.disposeNow();
  }

  private String clientUrl() {
    return "http://localhost:" + emulator.getEmulator().getPort() + "/client/hubs/" + this.hub;
  }

  private TestClient connect(String userId, String protocol) {
    String token = key().clientToken(clientUrl(), userId, List.of("r1"), List.of(), 60);
    TestClient client =
        TestClient.connect(
            URI.create(clientUrl().replace("http", "ws") + "?access_token=" + token + "&foo=bar"),
            protocol);
    this.clients.add(client);
    return client;
  }

  private List<Received> events(String name) {
    return this.received.stream().filter((r) -> r.uri().endsWith("/" + name)).toList();
  }

  private static String signature(String key, String connectionId) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256="
        + HexFormat.of().formatHex(mac.doFinal(connectionId.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void abuseProtectionHandshakeRunsOnceBeforeTheFirstEvent() {
    TestClient first = connect("u1", TestClient.JSON_PROTOCOL);
    TestClient second = connect("u2", TestClient.JSON_PROTOCOL);
    await().until(() -> events("connected").size() == 2);
    Received options = this.received.get(0);
    assertThat(options.method()).isEqualTo("OPTIONS");
    assertThat(options.uri()).isEqualTo("/upstream/" + this.hub + "/validate");
    assertThat(options.headers().get("WebHook-Request-Origin")).isEqualTo("localhost");
    assertThat(options.headers().get("ce-awpsversion")).isEqualTo("1.0");
    assertThat(this.received.stream().filter((r) -> r.method().equals("OPTIONS"))).hasSize(1);
    assertThat(first.isClosed()).isFalse();
    assertThat(second.isClosed()).isFalse();
  }

  @Test
  void connectCarriesCloudEventsHeadersSignatureAndRequestDetails() throws Exception {
    TestClient client = connect("alice", TestClient.JSON_PROTOCOL);
    await().until(() -> !client.frames().isEmpty());
    String connectionId = client.json().get(0).get("connectionId").asString();
    Received connect = events("connect").get(0);
    HttpHeaders h = connect.headers();
    assertThat(connect.method()).isEqualTo("POST");
    assertThat(h.get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(h.get("ce-specversion")).isEqualTo("1.0");
    assertThat(h.get("ce-awpsversion")).isEqualTo("1.0");
    assertThat(h.get("ce-type")).isEqualTo("azure.webpubsub.sys.connect");
    assertThat(h.get("ce-source")).isEqualTo("/hubs/" + this.hub + "/client/" + connectionId);
    assertThat(h.get("ce-id")).isEqualTo("0");
    assertThat(Instant.parse(h.get("ce-time"))).isBefore(Instant.now().plusSeconds(1));
    assertThat(h.get("ce-signature"))
        .isEqualTo(signature(emulator.getEmulator().getAccessKey(), connectionId));
    assertThat(h.get("ce-userId")).isEqualTo("alice");
    assertThat(h.get("ce-connectionId")).isEqualTo(connectionId);
    assertThat(h.get("ce-hub")).isEqualTo(this.hub);
    assertThat(h.get("ce-eventName")).isEqualTo("connect");
    assertThat(h.get("WebHook-Request-Origin")).isEqualTo("localhost");
    JsonNode body = connect.json();
    assertThat(body.get("claims").get("sub").get(0).asString()).isEqualTo("alice");
    assertThat(body.get("claims").get("role").get(0).asString()).isEqualTo("r1");
    assertThat(body.get("query").get("foo").get(0).asString()).isEqualTo("bar");
    assertThat(body.get("query").has("access_token")).isFalse();
    assertThat(body.get("subprotocols").get(0).asString()).isEqualTo(TestClient.JSON_PROTOCOL);
    assertThat(body.get("clientCertificates").isArray()).isTrue();
  }

  @Test
  void userIdsArePercentEncodedUtf8SoNoneIsMangledOrAddsAHeader() {
    connect("李雷", TestClient.JSON_PROTOCOL);
    connect("韩梅", TestClient.JSON_PROTOCOL);
    connect("eve\r\nce-connectionState: ZXZl", TestClient.JSON_PROTOCOL);
    connect("100% \"sure\"", TestClient.JSON_PROTOCOL);
    connect("ascii.id-1_~", TestClient.JSON_PROTOCOL);
    await().until(() -> events("connected").size() == 5);
    List<Received> connects = events("connect");
    assertThat(connects).hasSize(5);
    assertThat(connects.get(0).headers().getAll("ce-userId")).containsExactly("%E6%9D%8E%E9%9B%B7");
    assertThat(connects.get(1).headers().getAll("ce-userId")).containsExactly("%E9%9F%A9%E6%A2%85");
    assertThat(connects.get(2).headers().getAll("ce-userId"))
        .containsExactly("eve%0D%0Ace-connectionState:%20ZXZl");
    assertThat(connects.get(3).headers().getAll("ce-userId"))
        .containsExactly("100%25%20%22sure%22");
    assertThat(connects.get(4).headers().getAll("ce-userId")).containsExactly("ascii.id-1_~");
    for (Received event : this.received) {
      assertThat(event.headers().getAll("ce-connectionState")).isEmpty();
      assertThat(event.headers().names())
          .filteredOn((name) -> name.regionMatches(true, 0, "ce-", 0, 3))
          .allSatisfy((name) -> assertThat(event.headers().getAll(name)).hasSize(1));
    }
    // The connect body is JSON, where the id travels as it is.
    assertThat(connects.get(0).json().get("claims").get("sub").get(0).asString()).isEqualTo("李雷");
  }

  @Test
  void connectAnswerSetsUserIdGroupsRolesAndConnectionState() {
    this.replies.put(
        "connect",
        new Reply(
            200,
            Map.of("Content-Type", "application/json", "ce-connectionState", "eyJrZXkiOiJhIn0="),
            "{\"userId\":\"renamed\",\"groups\":[\"room1\"],\"roles\":[\"webpubsub.sendToGroup.room1\"]}"));
    TestClient client = connect("original", TestClient.JSON_PROTOCOL);
    await().until(() -> !client.frames().isEmpty());
    assertThat(client.json().get(0).get("userId").asString()).isEqualTo("renamed");
    client.send(
        "{\"type\":\"sendToGroup\",\"group\":\"room1\",\"dataType\":\"text\",\"data\":\"hey\",\"ackId\":1}");
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(3));
    assertThat(client.json().get(1).get("fromUserId").asString()).isEqualTo("renamed");
    assertThat(client.json().get(2).get("success").asBoolean()).isTrue();
    await().until(() -> events("connected").size() == 1);
    Received connected = events("connected").get(0);
    assertThat(connected.headers().get("ce-type")).isEqualTo("azure.webpubsub.sys.connected");
    assertThat(connected.headers().get("ce-userId")).isEqualTo("renamed");
    assertThat(connected.headers().get("ce-connectionState")).isEqualTo("eyJrZXkiOiJhIn0=");
    assertThat(connected.headers().get("ce-subprotocol")).isEqualTo(TestClient.JSON_PROTOCOL);
    assertThat(connected.text()).isEqualTo("{}");
    client.close();
    await().until(() -> events("disconnected").size() == 1);
    Received disconnected = events("disconnected").get(0);
    assertThat(disconnected.headers().get("ce-connectionState")).isEqualTo("eyJrZXkiOiJhIn0=");
    assertThat(disconnected.json().get("reason").asString()).isEqualTo("Client closed");
    assertThat(Long.parseLong(disconnected.headers().get("ce-id")))
        .isGreaterThan(Long.parseLong(connected.headers().get("ce-id")));
  }

  @Test
  void connectAnswered401Or403RefusesTheUpgradeWithThatStatus() {
    String token = key().clientToken(clientUrl(), "u", List.of(), List.of(), 60);
    URI uri = URI.create(clientUrl().replace("http", "ws") + "?access_token=" + token);
    this.replies.put("connect", new Reply(401, Map.of(), "no"));
    assertThat(TestClient.upgradeStatus(uri, null)).isEqualTo(401);
    this.replies.put("connect", new Reply(403, Map.of(), "no"));
    assertThat(TestClient.upgradeStatus(uri, null)).isEqualTo(403);
    assertThat(events("connected")).isEmpty();
    assertThat(emulator.getEmulator().getConnectionCount()).isZero();
  }

  @Test
  void refusedHandshakeRefusesClients() {
    this.replies.put("validate", new Reply(403, Map.of(), ""));
    String token = key().clientToken(clientUrl(), "u", List.of(), List.of(), 60);
    URI uri = URI.create(clientUrl().replace("http", "ws") + "?access_token=" + token);
    assertThat(TestClient.upgradeStatus(uri, null)).isEqualTo(500);
    assertThat(events("connect")).isEmpty();
  }

  @Test
  void jsonClientEventGoesUpstreamDecodedAndTheAnswerComesBackBeforeTheAck() {
    this.replies.put("chat", new Reply(200, Map.of("Content-Type", "text/plain"), "ok"));
    TestClient client = connect("e", TestClient.JSON_PROTOCOL);
    client.send(
        "{\"type\":\"event\",\"event\":\"chat\",\"ackId\":7,\"dataType\":\"json\",\"data\":{\"t\":\"hi\"}}");
    client.send(
        "{\"type\":\"event\",\"event\":\"chat\",\"dataType\":\"binary\",\"data\":\"AQI=\"}");
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(4));
    assertThat(client.texts().subList(1, 4))
        .containsExactly(
            "{\"type\":\"message\",\"from\":\"server\",\"dataType\":\"text\",\"data\":\"ok\"}",
            "{\"type\":\"ack\",\"ackId\":7,\"success\":true}",
            "{\"type\":\"message\",\"from\":\"server\",\"dataType\":\"text\",\"data\":\"ok\"}");
    List<Received> chats = events("chat");
    assertThat(chats).hasSize(2);
    assertThat(chats.get(0).headers().get("ce-type")).isEqualTo("azure.webpubsub.user.chat");
    assertThat(chats.get(0).headers().get("ce-eventName")).isEqualTo("chat");
    assertThat(chats.get(0).headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(chats.get(0).text()).isEqualTo("{\"t\":\"hi\"}");
    assertThat(chats.get(1).headers().get("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(chats.get(1).body()).containsExactly(1, 2);
  }

  @Test
  void textAnswerThatIsNotUtf8ReachesClientsAsBinaryWithItsBytes() {
    byte[] invalid = {'o', 'k', (byte) 0xC3, '('};
    this.replies.put("message", new Reply(200, Map.of("Content-Type", "text/plain"), invalid));
    this.replies.put("chat", new Reply(200, Map.of("Content-Type", "text/plain"), invalid));
    TestClient plain = connect("p", null);
    plain.send("hello");
    await().untilAsserted(() -> assertThat(plain.frames()).hasSize(1));
    assertThat(plain.frames().get(0).text()).isFalse();
    assertThat(plain.frames().get(0).bytes()).containsExactly(invalid);
    TestClient json = connect("j", TestClient.JSON_PROTOCOL);
    json.send("{\"type\":\"event\",\"event\":\"chat\",\"dataType\":\"text\",\"data\":\"x\"}");
    await().untilAsserted(() -> assertThat(json.frames()).hasSize(2));
    assertThat(json.json().get(1).get("dataType").asString()).isEqualTo("binary");
    assertThat(java.util.Base64.getDecoder().decode(json.json().get(1).get("data").asString()))
        .containsExactly(invalid);
  }

  @Test
  void failingUserEventIsAckedInternalServerError() {
    this.replies.put("chat", new Reply(500, Map.of(), "boom"));
    TestClient client = connect("e", TestClient.JSON_PROTOCOL);
    client.send(
        "{\"type\":\"event\",\"event\":\"chat\",\"ackId\":1,\"dataType\":\"text\",\"data\":\"x\"}");
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(2));
    assertThat(client.json().get(1).get("error").get("name").asString())
        .isEqualTo("InternalServerError");
  }

  @Test
  void plainClientFramesBecomeMessageEventsAndTheAnswerIsFramedByContentType() {
    this.replies.put(
        "message", new Reply(200, Map.of("Content-Type", "application/octet-stream"), "AB"));
    TestClient client = connect("p", null);
    client.send("hello");
    await().untilAsserted(() -> assertThat(client.frames()).hasSize(1));
    assertThat(client.frames().get(0).text()).isFalse();
    assertThat(client.frames().get(0).asText()).isEqualTo("AB");
    Received message = events("message").get(0);
    assertThat(message.headers().get("ce-type")).isEqualTo("azure.webpubsub.user.message");
    assertThat(message.headers().get("Content-Type")).isEqualTo("text/plain");
    assertThat(message.headers().get("ce-subprotocol")).isNull();
    assertThat(message.text()).isEqualTo("hello");
  }

  @Test
  void plainClientIsClosedWith1011WhenTheHandlerFails() {
    this.replies.put("message", new Reply(500, Map.of(), ""));
    TestClient client = connect("p", null);
    client.send("hello");
    await().until(client::isClosed);
    assertThat(client.closeStatus().code()).isEqualTo(1011);
  }

  @Test
  void restCloseSendsDisconnectedWithTheReason() {
    TestClient client = connect("c", TestClient.JSON_PROTOCOL);
    await().until(() -> !client.frames().isEmpty());
    String id = client.json().get(0).get("connectionId").asString();
    new RestClient(emulator.getEmulator())
        .signed(
            HttpMethod.DELETE,
            "/api/hubs/" + this.hub + "/connections/" + id + "?reason=kicked",
            null,
            null);
    await().until(() -> events("disconnected").size() == 1);
    assertThat(events("disconnected").get(0).json().get("reason").asString()).isEqualTo("kicked");
  }
}
