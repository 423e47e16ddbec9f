package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * User events of clients with no socket against a real local event handler: the CloudEvents request
 * it gets (headers, body), what the client receives back (the answer, the ack, a close), and the
 * abuse-protection handshake that comes first.
 */
class ClientEventsTests {

  /** What the handler answers to every POST. */
  record Reply(
      int status, @Nullable String contentType, byte[] body, @Nullable String connectionState) {

    static Reply text(String body) {
      return new Reply(200, "text/plain", body.getBytes(StandardCharsets.UTF_8), null);
    }
  }

  /** A request the handler got. */
  record Request(HttpMethod method, String uri, HttpHeaders headers, byte[] body) {

    String text() {
      return new String(this.body, StandardCharsets.UTF_8);
    }
  }

  static DisposableServer server;

  static final List<Request> requests = new CopyOnWriteArrayList<>();

  static volatile Reply reply = Reply.text("");

  static volatile List<Map.Entry<String, String>> replyHeaders = List.of();

  final Jwt jwt = new Jwt(JwtTests.KEY);

  final Upstream upstream = new Upstream(this.jwt, "localhost");

  final ClientFrames frames = new ClientFrames(this.upstream);

  @BeforeAll
  static void startEventHandler() {
    server =
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
                              requests.add(
                                  new Request(
                                      request.method(),
                                      request.uri(),
                                      request.requestHeaders().copy(),
                                      body));
                              if (request.method().equals(HttpMethod.OPTIONS)) {
                                return handshake(request.uri(), response);
                              }
                              Reply answer = reply;
                              response.status(answer.status());
                              if (answer.contentType() != null) {
                                response.header("Content-Type", answer.contentType());
                              }
                              if (answer.connectionState() != null) {
                                response.header("ce-connectionState", answer.connectionState());
                              }
                              replyHeaders.forEach(
                                  (h) -> response.header(h.getKey(), h.getValue()));
                              return response.sendByteArray(Mono.just(answer.body())).then();
                            }))
            .bindNow();
  }

  /** The abuse-protection answer, chosen by the hub in the path. */
  static Mono<Void> handshake(String uri, reactor.netty.http.server.HttpServerResponse response) {
    if (uri.startsWith("/refusing/")) {
      return response.status(HttpResponseStatus.FORBIDDEN).send();
    }
    if (uri.startsWith("/elsewhere/")) {
      return response.header("WebHook-Allowed-Origin", "https://elsewhere.example").send();
    }
    if (uri.startsWith("/listed/")) {
      return response
          .header("WebHook-Allowed-Origin", "https://elsewhere.example, LOCALHOST")
          .send();
    }
    return response.header("WebHook-Allowed-Origin", "*").send();
  }

  @AfterAll
  static void stopEventHandler() {
    server.disposeNow();
  }

  @BeforeEach
  void reset() {
    requests.clear();
    reply = Reply.text("");
    replyHeaders = List.of();
  }

  String template() {
    return "http://127.0.0.1:" + server.port() + "/{hub}/{event}";
  }

  ClientConnection connect(String hub, @Nullable String protocol, List<String> received) {
    this.upstream.add(hub, template());
    ClientConnection connection =
        new ClientConnection("c1", new Hub(hub), "user-1", protocol, Set.of(), 64, 1024 * 1024);
    connection.hub().add(connection, List.of());
    connection
        .messages(
            (message, payload) -> {
              payload.release();
              return message;
            })
        .subscribe(
            (message) ->
                received.add(
                    (protocol == null)
                        ? new String(message.rawBytes(), StandardCharsets.UTF_8)
                        : new String(message.jsonBytes(), StandardCharsets.UTF_8)));
    return connection;
  }

  void send(ClientConnection connection, boolean text, String frame) {
    this.frames
        .onFrame(
            connection, new ClientFrames.Frame(text, true, frame.getBytes(StandardCharsets.UTF_8)))
        .block(Duration.ofSeconds(10));
  }

  static List<Request> posts() {
    return requests.stream().filter((r) -> r.method().equals(HttpMethod.POST)).toList();
  }

  static JsonNode json(String text) {
    return Json.MAPPER.readTree(text);
  }

  // ---- a JSON client's events ----

  @Test
  void anEventGoesUpstreamAsACloudEventAndItsAnswerComesBackBeforeTheAck() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("chat", ClientConnection.JSON_PROTOCOL, received);
    reply = new Reply(200, "text/plain", "hello back".getBytes(StandardCharsets.UTF_8), "s1");
    Instant before = Instant.now().minusSeconds(1);

    send(
        client,
        true,
        "{\"type\":\"event\",\"event\":\"Chat\",\"dataType\":\"text\",\"data\":\"hi\",\"ackId\":1}");

    assertThat(requests.get(0).method()).isEqualTo(HttpMethod.OPTIONS);
    assertThat(requests.get(0).uri()).isEqualTo("/chat/validate");
    assertThat(requests.get(0).headers().get("WebHook-Request-Origin")).isEqualTo("localhost");
    Request event = posts().get(0);
    assertThat(event.uri()).isEqualTo("/chat/chat");
    assertThat(event.text()).isEqualTo("hi");
    HttpHeaders headers = event.headers();
    assertThat(headers.get("Content-Type")).isEqualTo("text/plain");
    assertThat(headers.get("WebHook-Request-Origin")).isEqualTo("localhost");
    assertThat(headers.get("ce-specversion")).isEqualTo("1.0");
    assertThat(headers.get("ce-awpsversion")).isEqualTo("1.0");
    assertThat(headers.get("ce-type")).isEqualTo("azure.webpubsub.user.chat");
    assertThat(headers.get("ce-source")).isEqualTo("/hubs/chat/client/c1");
    assertThat(headers.get("ce-id")).matches("[0-9]+");
    assertThat(Instant.parse(headers.get("ce-time"))).isBetween(before, Instant.now());
    assertThat(headers.get("ce-signature"))
        .isEqualTo("sha256=" + HexFormat.of().formatHex(this.jwt.hmac("c1")));
    assertThat(headers.get("ce-connectionId")).isEqualTo("c1");
    assertThat(headers.get("ce-hub")).isEqualTo("chat");
    assertThat(headers.get("ce-eventName")).isEqualTo("chat");
    assertThat(headers.get("ce-userId")).isEqualTo("user-1");
    assertThat(headers.get("ce-subprotocol")).isEqualTo("json.webpubsub.azure.v1");
    assertThat(headers.contains("ce-connectionState")).isFalse();
    assertThat(headers.contains("ce-physicalConnectionId")).isFalse();
    assertThat(received)
        .containsExactly(
            "{\"type\":\"message\",\"from\":\"server\",\"dataType\":\"text\",\"data\":\"hello back\"}",
            "{\"type\":\"ack\",\"ackId\":1,\"success\":true}");
    assertThat(client.connectionState()).isEqualTo("s1");

    send(client, true, "{\"type\":\"event\",\"event\":\"chat\",\"data\":{\"n\":1}}");

    Request second = posts().get(1);
    assertThat(second.headers().get("ce-connectionState")).isEqualTo("s1");
    assertThat(second.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(second.text()).isEqualTo("{\"n\":1}");
    assertThat(Long.parseLong(second.headers().get("ce-id")))
        .isEqualTo(Long.parseLong(headers.get("ce-id")) + 1);
    assertThat(requests.stream().filter((r) -> r.method().equals(HttpMethod.OPTIONS)))
        .as("the handshake is made once")
        .hasSize(1);
  }

  @Test
  void anAnswerThatIsNotASuccessIsAckedInternalServerErrorButItsStateIsKept() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("chat", ClientConnection.JSON_PROTOCOL, received);
    reply = new Reply(500, "text/plain", "boom".getBytes(StandardCharsets.UTF_8), "s2");

    send(client, true, "{\"type\":\"event\",\"event\":\"chat\",\"data\":\"x\",\"ackId\":3}");

    assertThat(received).hasSize(1);
    ClientFramesTests.assertAck(
        received.get(0), 3, "InternalServerError", "The event handler answered 500");
    assertThat(client.connectionState()).isEqualTo("s2");
  }

  @Test
  void aSuccessOtherThan200OrAnEmptyBodyIsOnlyAcked() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("chat", ClientConnection.JSON_PROTOCOL, received);

    reply = new Reply(204, null, new byte[0], null);
    send(client, true, "{\"type\":\"event\",\"event\":\"chat\",\"data\":\"x\",\"ackId\":1}");
    reply = new Reply(202, "text/plain", "accepted".getBytes(StandardCharsets.UTF_8), null);
    send(client, true, "{\"type\":\"event\",\"event\":\"chat\",\"data\":\"x\",\"ackId\":2}");
    reply = new Reply(200, "text/plain", new byte[0], null);
    send(client, true, "{\"type\":\"event\",\"event\":\"chat\",\"data\":\"x\",\"ackId\":3}");

    assertThat(received)
        .containsExactly(
            "{\"type\":\"ack\",\"ackId\":1,\"success\":true}",
            "{\"type\":\"ack\",\"ackId\":2,\"success\":true}",
            "{\"type\":\"ack\",\"ackId\":3,\"success\":true}");
  }

  @Test
  void anAnswerIsSentInTheDataTypeOfItsContentTypeOrAsBinary() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("chat", ClientConnection.JSON_PROTOCOL, received);
    byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28};
    byte[] any =
        com.google.protobuf.Any.pack(com.google.protobuf.StringValue.of("p")).toByteArray();
    List<Reply> replies =
        List.of(
            new Reply(200, "application/json; charset=utf-8", "{\"a\":1}".getBytes(), null),
            new Reply(200, "text/plain; charset=utf-8", "é".getBytes(StandardCharsets.UTF_8), null),
            new Reply(200, "text/plain", notUtf8, null),
            new Reply(200, "image/png", new byte[] {1, 2}, null),
            new Reply(200, null, new byte[] {1, 2}, null),
            new Reply(200, "application/octet-stream", new byte[] {3}, null),
            new Reply(200, "application/x-protobuf", new byte[] {(byte) 0xFF}, null),
            new Reply(200, "application/x-protobuf", any, null));
    for (Reply answer : replies) {
      reply = answer;
      send(client, true, "{\"type\":\"event\",\"event\":\"chat\",\"data\":\"x\"}");
    }

    List<String> types = received.stream().map((m) -> json(m).path("dataType").asString()).toList();
    assertThat(types)
        .containsExactly(
            "json", "text", "binary", "binary", "binary", "binary", "binary", "protobuf");
    assertThat(json(received.get(0)).path("data").path("a").asInt()).isEqualTo(1);
    assertThat(json(received.get(1)).path("data").asString()).isEqualTo("é");
    assertThat(json(received.get(2)).path("data").asString())
        .isEqualTo(Base64.getEncoder().encodeToString(notUtf8));
    assertThat(json(received.get(6)).path("data").asString()).isEqualTo("/w==");
  }

  @Test
  void anEventOfAHubWithoutHandlerIsAckedNotFoundAndABadNameBadRequest() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("chat", ClientConnection.JSON_PROTOCOL, received);
    ClientConnection other =
        new ClientConnection(
            "c2", new Hub("nohandler"), null, ClientConnection.JSON_PROTOCOL, Set.of(), 64, 1024);
    List<String> otherReceived = new ArrayList<>();
    other
        .messages(
            (message, payload) -> {
              payload.release();
              return message;
            })
        .subscribe((m) -> otherReceived.add(new String(m.jsonBytes(), StandardCharsets.UTF_8)));

    send(other, true, "{\"type\":\"event\",\"event\":\"chat\",\"data\":\"x\",\"ackId\":1}");
    send(client, true, "{\"type\":\"event\",\"data\":\"x\",\"ackId\":2}");

    ClientFramesTests.assertAck(
        otherReceived.get(0), 1, "NotFound", "No event handler is configured for hub nohandler");
    ClientFramesTests.assertAck(received.get(0), 2, "BadRequest", "Invalid event name ''");
    assertThat(posts()).isEmpty();
  }

  // ---- the abuse-protection handshake ----

  @Test
  void aRefusedHandshakeAcksEveryEventInternalServerErrorWithTheReason() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("refusing", ClientConnection.JSON_PROTOCOL, received);

    send(client, true, "{\"type\":\"event\",\"event\":\"chat\",\"data\":\"x\",\"ackId\":1}");

    ClientFramesTests.assertAck(
        received.get(0),
        1,
        "InternalServerError",
        "Event handler http://127.0.0.1:"
            + server.port()
            + "/refusing/validate refused the abuse-protection handshake (status 403,"
            + " WebHook-Allowed-Origin null)");
    assertThat(posts()).isEmpty();
  }

  @Test
  void theHandshakeNeedsThisOriginOrAStarAmongTheAllowedOnes() {
    List<String> elsewhere = new ArrayList<>();
    send(
        connect("elsewhere", ClientConnection.JSON_PROTOCOL, elsewhere),
        true,
        "{\"type\":\"event\",\"event\":\"chat\",\"data\":\"x\",\"ackId\":1}");
    List<String> listed = new ArrayList<>();
    send(
        connect("listed", ClientConnection.JSON_PROTOCOL, listed),
        true,
        "{\"type\":\"event\",\"event\":\"chat\",\"data\":\"x\",\"ackId\":2}");

    ClientFramesTests.assertAck(
        elsewhere.get(0),
        1,
        "InternalServerError",
        "Event handler http://127.0.0.1:"
            + server.port()
            + "/elsewhere/validate refused the abuse-protection handshake (status 200,"
            + " WebHook-Allowed-Origin https://elsewhere.example)");
    assertThat(listed).containsExactly("{\"type\":\"ack\",\"ackId\":2,\"success\":true}");
    assertThat(posts()).extracting(Request::uri).containsExactly("/listed/chat");
  }

  // ---- a plain client's frames ----

  @Test
  void aPlainClientsFramesAreMessageEventsWhoseAnswerGoesBackAsIs() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("chat", null, received);
    reply = new Reply(200, "text/plain", "echo".getBytes(StandardCharsets.UTF_8), "p1");

    send(client, true, "hello");
    send(client, false, "bytes");

    Request text = posts().get(0);
    assertThat(text.uri()).isEqualTo("/chat/message");
    assertThat(text.text()).isEqualTo("hello");
    assertThat(text.headers().get("Content-Type")).isEqualTo("text/plain");
    assertThat(text.headers().get("ce-type")).isEqualTo("azure.webpubsub.user.message");
    assertThat(text.headers().contains("ce-subprotocol")).isFalse();
    Request binary = posts().get(1);
    assertThat(binary.text()).isEqualTo("bytes");
    assertThat(binary.headers().get("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(binary.headers().get("ce-connectionState")).isEqualTo("p1");
    assertThat(received).containsExactly("echo", "echo");
    assertThat(client.connectionState()).isEqualTo("p1");
    assertThat(client.currentTransport().closed).isFalse();
  }

  @Test
  void aPlainClientIsClosedWith1011WhenTheHandlerFailsOrRefuses() {
    List<String> answered = new ArrayList<>();
    ClientConnection client = connect("chat", null, answered);
    reply = new Reply(400, "text/plain", "no".getBytes(StandardCharsets.UTF_8), null);
    send(client, true, "hello");
    assertThat(client.currentTransport().closeStatus()).isEqualTo(1011);
    assertThat(client.currentTransport().closeReason()).isEqualTo("The event handler answered 400");
    assertThat(answered).isEmpty();

    ClientConnection refused = connect("refusing", null, new ArrayList<>());
    send(refused, true, "hello");
    assertThat(refused.currentTransport().closeStatus()).isEqualTo(1011);
    assertThat(refused.currentTransport().closeReason())
        .startsWith("The event handler failed: Event handler http://127.0.0.1:")
        .endsWith(
            "/refusing/validate refused the abuse-protection handshake (status 403,"
                + " WebHook-Allowed-Origin null)");
  }

  // ---- MQTT ids ----

  @Test
  void anMqttEventNamesThePhysicalConnectionAndSessionAndReadsTheMqttAnswerHeaders() {
    ClientConnection client = connect("chat", "mqtt", new ArrayList<>());
    replyHeaders = List.of(Map.entry("MQTT-Reason", "ok"), Map.entry("mqtt-", "empty name"));
    reply = Reply.text("r");

    Upstream.Answer answer =
        this.upstream
            .mqttUserEvent(
                client,
                new Upstream.MqttIds("phys-1", "sess-1"),
                "chat",
                "text/plain",
                "m".getBytes(StandardCharsets.UTF_8),
                List.of(Map.entry("mqtt-color", "blue")))
            .block(Duration.ofSeconds(10));
    this.upstream
        .mqttUserEvent(
            client,
            new Upstream.MqttIds("phys-2", null),
            "chat",
            "text/plain",
            new byte[0],
            List.of())
        .block(Duration.ofSeconds(10));

    HttpHeaders first = posts().get(0).headers();
    assertThat(first.get("ce-source")).isEqualTo("/hubs/chat/client/c1/phys-1");
    assertThat(first.get("ce-physicalConnectionId")).isEqualTo("phys-1");
    assertThat(first.get("ce-sessionId")).isEqualTo("sess-1");
    assertThat(first.get("mqtt-color")).isEqualTo("blue");
    assertThat(first.get("ce-subprotocol")).isEqualTo("mqtt");
    HttpHeaders second = posts().get(1).headers();
    assertThat(second.get("ce-source")).isEqualTo("/hubs/chat/client/c1/phys-2");
    assertThat(second.contains("ce-sessionId")).isFalse();
    assertThat(answer.mqttHeaders()).containsExactly(Map.entry("mqtt-reason", "ok"));
    assertThat(answer.body()).asString(StandardCharsets.UTF_8).isEqualTo("r");
  }

  @Test
  void aHandlerForEveryHubIsValidatedOnceForAllAndCalledWithEachHubsName() {
    this.upstream.add("*", template());
    ClientConnection anonymous =
        new ClientConnection(
            "c9", new Hub("anyhub"), null, ClientConnection.JSON_PROTOCOL, Set.of(), 64, 1024);
    List<String> received = new ArrayList<>();
    anonymous
        .messages(
            (message, payload) -> {
              payload.release();
              return message;
            })
        .subscribe((m) -> received.add(new String(m.jsonBytes(), StandardCharsets.UTF_8)));

    send(anonymous, true, "{\"type\":\"event\",\"event\":\"chat\",\"data\":\"x\",\"ackId\":1}");

    assertThat(requests.get(0).method()).isEqualTo(HttpMethod.OPTIONS);
    assertThat(requests.get(0).uri()).isEqualTo("/validate/validate");
    Request event = posts().get(0);
    assertThat(event.uri()).isEqualTo("/anyhub/chat");
    assertThat(event.headers().get("ce-hub")).isEqualTo("anyhub");
    assertThat(event.headers().contains("ce-userId")).as("no user, no ce-userId").isFalse();
    assertThat(received).containsExactly("{\"type\":\"ack\",\"ackId\":1,\"success\":true}");
  }
}
