package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.github.webpubsub.emulator.protobuf.DownstreamMessage;
import io.github.webpubsub.emulator.protobuf.MessageData;
import io.github.webpubsub.emulator.protobuf.UpstreamMessage;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * Client invocations ({@code invoke} answered by a real upstream HTTP handler) and group streams,
 * with JSON and protobuf clients.
 */
class InvocationAndStreamIntegrationTests {

  private static final List<String> ALL_ROLES =
      List.of("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup");

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator =
      new WebPubSubEmulatorExtension(
          WebPubSubEmulator.builder().invocationTimeout(Duration.ofSeconds(2)));

  private static int hubs;

  record Received(String uri, HttpHeaders headers, byte[] body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();

  private final AtomicInteger cancelled = new AtomicInteger();

  private final List<TestClient> clients = new ArrayList<>();

  /** {@code connected} and {@code disconnected} events the application received. */
  private final java.util.concurrent.atomic.AtomicInteger connectedEvents =
      new java.util.concurrent.atomic.AtomicInteger();

  private final java.util.concurrent.atomic.AtomicInteger disconnectedEvents =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Sessions opened on the hub with the handler: each ends with one disconnected event. */
  private int sessions;

  private DisposableServer receiver;

  private String hub;

  @BeforeEach
  void startReceiver() {
    // The application: each event name picks an answer.
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
                  String event = request.uri().substring(request.uri().lastIndexOf('/') + 1);
                  if (event.equals("connected")) {
                    this.connectedEvents.incrementAndGet();
                  } else if (event.equals("disconnected")) {
                    this.disconnectedEvents.incrementAndGet();
                  }
                  return request
                      .receive()
                      .aggregate()
                      .asByteArray()
                      .defaultIfEmpty(new byte[0])
                      .flatMap(
                          (body) -> {
                            if (!List.of("connect", "connected", "disconnected").contains(event)) {
                              this.received.add(
                                  new Received(
                                      request.uri(), request.requestHeaders().copy(), body));
                            }
                            return switch (event) {
                              case "add" ->
                                  response
                                      .status(200)
                                      .header("Content-Type", "application/json")
                                      .sendString(Mono.just("{\"sum\":3}"))
                                      .then();
                              case "nothing", "connect", "connected", "disconnected" ->
                                  response.status(204).send().then();
                              case "refuse" ->
                                  response
                                      .status(400)
                                      .header("Content-Type", "text/plain; charset=utf-8")
                                      .sendString(Mono.just("bad input"))
                                      .then();
                              case "slow" ->
                                  Mono.delay(Duration.ofSeconds(20))
                                      .then(response.status(204).send().then())
                                      .doOnCancel(this.cancelled::incrementAndGet);
                              default -> response.status(500).send().then();
                            };
                          });
                })
            .bindNow();
    this.hub = "inv" + (++hubs);
    emulator
        .getEmulator()
        .addEventHandler(this.hub, "http://localhost:" + this.receiver.port() + "/{event}");
  }

  @AfterEach
  void stop() {
    this.clients.forEach(TestClient::close);
    // The application stays up (until the JVM exits) after the test: the emulator's connected
    // and disconnected notifications are fire-and-forget and may come late under load; refused,
    // they would log into another test class's log capture.
  }

  private TestClient connect(String hub, String protocol, String userId, List<String> roles) {
    String url = "http://localhost:" + emulator.getEmulator().getPort() + "/client/hubs/" + hub;
    String token =
        new TestJwt(emulator.getEmulator().getAccessKey())
            .clientToken(url, userId, roles, List.of(), 60);
    TestClient client =
        TestClient.connect(
            URI.create(url.replace("http", "ws") + "?access_token=" + token), protocol);
    this.clients.add(client);
    if (hub.equals(this.hub)) {
      this.sessions++;
    }
    await().until(() -> !client.frames().isEmpty());
    return client;
  }

  private TestClient json(String userId, List<String> roles) {
    return connect(this.hub, TestClient.JSON_PROTOCOL, userId, roles);
  }

  private static JsonNode awaitType(TestClient client, String type, int index) {
    await()
        .until(
            () ->
                client.json().stream()
                        .filter((m) -> type.equals(m.path("type").asString("")))
                        .count()
                    > index);
    return client.json().stream()
        .filter((m) -> type.equals(m.path("type").asString("")))
        .skip(index)
        .findFirst()
        .orElseThrow();
  }

  private static List<JsonNode> ofType(TestClient client, String type) {
    return client.json().stream().filter((m) -> type.equals(m.path("type").asString(""))).toList();
  }

  @Test
  void invokeBecomesAUserEventAndTheAnswerTheInvokeResponse() {
    TestClient client = json("alice", List.of());
    client.send(
        "{\"type\":\"invoke\",\"invocationId\":\"1\",\"target\":\"event\",\"event\":\"add\","
            + "\"dataType\":\"json\",\"data\":{\"a\":1,\"b\":2}}");
    JsonNode response = awaitType(client, "invokeResponse", 0);
    assertThat(response.get("invocationId").asString()).isEqualTo("1");
    assertThat(response.get("success").asBoolean()).isTrue();
    assertThat(response.get("dataType").asString()).isEqualTo("json");
    assertThat(response.get("data").get("sum").asInt()).isEqualTo(3);
    Received call = this.received.get(0);
    assertThat(call.uri()).isEqualTo("/add");
    assertThat(call.headers().get("ce-type")).isEqualTo("azure.webpubsub.user.add");
    assertThat(call.headers().get("ce-eventName")).isEqualTo("add");
    assertThat(call.headers().get("ce-userId")).isEqualTo("alice");
    assertThat(call.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(new String(call.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1,\"b\":2}");
    // The answer is not also pushed as a server message, and no ack is sent.
    assertThat(client.json()).hasSize(2);
  }

  @Test
  void a204IsSuccessWithoutDataAndAnInvokeWithoutDataSendsAnEmptyBody() {
    TestClient client = json("alice", List.of());
    client.send(
        "{\"type\":\"invoke\",\"invocationId\":\"n\",\"target\":\"event\",\"event\":\"nothing\"}");
    JsonNode response = awaitType(client, "invokeResponse", 0);
    assertThat(response.get("success").asBoolean()).isTrue();
    assertThat(response.has("dataType")).isFalse();
    assertThat(response.has("data")).isFalse();
    assertThat(this.received.get(0).body()).isEmpty();
    assertThat(this.received.get(0).headers().get("Content-Type"))
        .isEqualTo("application/octet-stream");
  }

  @Test
  void handlerErrorsBecomeErrorResponsesNamedByStatusWithTheirTextMessage() {
    TestClient client = json("alice", List.of());
    client.send(
        "{\"type\":\"invoke\",\"invocationId\":\"r\",\"target\":\"event\",\"event\":\"refuse\","
            + "\"dataType\":\"text\",\"data\":\"x\"}");
    client.send(
        "{\"type\":\"invoke\",\"invocationId\":\"f\",\"target\":\"event\",\"event\":\"fail\"}");
    JsonNode refused = awaitType(client, "invokeResponse", 0);
    JsonNode failed = awaitType(client, "invokeResponse", 1);
    if (refused.get("invocationId").asString().equals("f")) {
      JsonNode swap = refused;
      refused = failed;
      failed = swap;
    }
    assertThat(refused.get("success").asBoolean()).isFalse();
    assertThat(refused.get("error").get("name").asString()).isEqualTo("BadRequest");
    assertThat(refused.get("error").get("message").asString()).isEqualTo("bad input");
    assertThat(failed.get("error").get("name").asString()).isEqualTo("InternalServerError");
    assertThat(failed.get("error").get("message").asString())
        .isEqualTo("The event handler answered 500");
  }

  @Test
  void aHubWithoutHandlerAnswersNotFound() {
    TestClient client = connect("nohandler" + this.hub, TestClient.JSON_PROTOCOL, "a", List.of());
    client.send(
        "{\"type\":\"invoke\",\"invocationId\":\"1\",\"target\":\"event\",\"event\":\"add\"}");
    JsonNode response = awaitType(client, "invokeResponse", 0);
    assertThat(response.get("success").asBoolean()).isFalse();
    assertThat(response.get("error").get("name").asString()).isEqualTo("NotFound");
  }

  @Test
  void aSlowHandlerTimesOutAndIsCancelledUpstream() {
    TestClient client = json("alice", List.of());
    client.send(
        "{\"type\":\"invoke\",\"invocationId\":\"s\",\"target\":\"event\",\"event\":\"slow\"}");
    // Other messages do not wait for the invocation.
    client.send("{\"type\":\"ping\"}");
    awaitType(client, "pong", 0);
    assertThat(ofType(client, "invokeResponse")).isEmpty();
    JsonNode response = awaitType(client, "invokeResponse", 0);
    assertThat(response.get("error").get("name").asString()).isEqualTo("Timeout");
    assertThat(response.get("error").get("message").asString()).contains("2000 ms");
  }

  @Test
  void cancelInvocationGivesUpTheCallAndAnswersCancelledOnce() {
    TestClient client = json("alice", List.of());
    client.send(
        "{\"type\":\"invoke\",\"invocationId\":\"c\",\"target\":\"event\",\"event\":\"slow\"}");
    await().until(() -> !this.received.isEmpty());
    client.send("{\"type\":\"cancelInvocation\",\"invocationId\":\"c\"}");
    JsonNode response = awaitType(client, "invokeResponse", 0);
    assertThat(response.get("invocationId").asString()).isEqualTo("c");
    assertThat(response.get("error").get("name").asString()).isEqualTo("Cancelled");
    await().until(() -> this.cancelled.get() == 1);
    // The timeout does not answer a second time; an unknown id is ignored.
    client.send("{\"type\":\"cancelInvocation\",\"invocationId\":\"zzz\"}");
    await().pollDelay(Duration.ofMillis(2500)).until(() -> true);
    assertThat(ofType(client, "invokeResponse")).hasSize(1);
  }

  @Test
  void invalidInvocationsAreAnsweredBadRequestOrClosed() {
    TestClient client = json("alice", List.of());
    client.send(
        "{\"type\":\"invoke\",\"invocationId\":\"t\",\"target\":\"user\",\"event\":\"add\"}");
    client.send(
        "{\"type\":\"invoke\",\"invocationId\":\"e\",\"target\":\"event\",\"event\":\"1bad\"}");
    awaitType(client, "invokeResponse", 1);
    assertThat(ofType(client, "invokeResponse"))
        .allSatisfy(
            (r) -> assertThat(r.get("error").get("name").asString()).isEqualTo("BadRequest"));
    client.send("{\"type\":\"invoke\",\"target\":\"event\",\"event\":\"add\"}");
    await().until(client::isClosed);
    assertThat(client.closeStatus().code()).isEqualTo(1003);
    assertThat(this.received).isEmpty();
  }

  // Group streams

  private TestClient member(String userId) {
    TestClient member = json(userId, ALL_ROLES);
    member.send("{\"type\":\"joinGroup\",\"group\":\"live\",\"ackId\":1}");
    awaitType(member, "ack", 0);
    return member;
  }

  private static List<JsonNode> fragments(TestClient client) {
    return client.json().stream()
        .filter((m) -> "message".equals(m.path("type").asString("")) && m.has("stream"))
        .toList();
  }

  @Test
  void aStreamDeliversFragmentsInOrderOnceAndEndsWithATerminalFragment() {
    TestClient publisher = json("pub", ALL_ROLES);
    TestClient member = member("sub");
    publisher.send(
        "{\"type\":\"sendToGroup\",\"group\":\"live\",\"stream\":{\"streamId\":\"s1\"}}");
    JsonNode started = awaitType(publisher, "streamAck", 0);
    assertThat(started.get("streamId").asString()).isEqualTo("s1");
    assertThat(started.get("expectedSequenceId").asLong()).isEqualTo(1);
    publisher.send(
        "{\"type\":\"streamData\",\"streamId\":\"s1\",\"streamSequenceId\":1,\"dataType\":\"text\",\"data\":\"a\"}");
    publisher.send(
        "{\"type\":\"streamData\",\"streamId\":\"s1\",\"streamSequenceId\":2,\"dataType\":\"json\",\"data\":{\"b\":2}}");
    // A resend is acked, not published again; a gap is nacked; a keep-alive is neither.
    publisher.send(
        "{\"type\":\"streamData\",\"streamId\":\"s1\",\"streamSequenceId\":1,\"dataType\":\"text\",\"data\":\"a\"}");
    publisher.send(
        "{\"type\":\"streamData\",\"streamId\":\"s1\",\"streamSequenceId\":5,\"dataType\":\"text\",\"data\":\"e\"}");
    publisher.send("{\"type\":\"streamData\",\"streamId\":\"s1\"}");
    JsonNode nack = awaitType(publisher, "streamNack", 0);
    assertThat(nack.get("name").asString()).isEqualTo("InvalidSequenceId");
    assertThat(nack.get("expectedSequenceId").asLong()).isEqualTo(3);
    assertThat(ofType(publisher, "streamAck"))
        .extracting((a) -> a.get("expectedSequenceId").asLong())
        .containsExactly(1L, 2L, 3L, 3L);
    publisher.send("{\"type\":\"streamEnd\",\"streamId\":\"s1\"}");
    JsonNode closed = awaitType(publisher, "streamClosed", 0);
    assertThat(closed.get("streamId").asString()).isEqualTo("s1");
    assertThat(closed.has("error")).isFalse();

    await().until(() -> fragments(member).size() == 3);
    List<JsonNode> got = fragments(member);
    assertThat(got.get(0).get("group").asString()).isEqualTo("live");
    assertThat(got.get(0).get("fromUserId").asString()).isEqualTo("pub");
    assertThat(got.get(0).get("data").asString()).isEqualTo("a");
    assertThat(got.get(0).get("stream").get("streamSequenceId").asLong()).isEqualTo(1);
    assertThat(got.get(1).get("data").get("b").asInt()).isEqualTo(2);
    assertThat(got.get(1).get("stream").get("streamSequenceId").asLong()).isEqualTo(2);
    JsonNode end = got.get(2);
    assertThat(end.get("stream").get("endOfStream").asBoolean()).isTrue();
    assertThat(end.get("stream").get("streamSequenceId").asLong()).isEqualTo(3);
    assertThat(end.get("stream").has("error")).isFalse();
    // After the end the stream is gone.
    publisher.send(
        "{\"type\":\"streamData\",\"streamId\":\"s1\",\"streamSequenceId\":3,\"dataType\":\"text\",\"data\":\"c\"}");
    JsonNode notFound = awaitType(publisher, "streamClosed", 1);
    assertThat(notFound.get("error").get("name").asString()).isEqualTo("StreamNotFound");
    // Streams send no user events upstream; the publisher, not a member, got no fragments.
    assertThat(this.received).isEmpty();
    assertThat(fragments(publisher)).isEmpty();
  }

  @Test
  void anEndWithErrorReachesMembersAsUserError() {
    TestClient publisher = member("pub");
    TestClient member = member("sub");
    publisher.send(
        "{\"type\":\"sendToGroup\",\"group\":\"live\",\"noEcho\":true,\"stream\":{\"streamId\":\"e\"}}");
    awaitType(publisher, "streamAck", 0);
    publisher.send(
        "{\"type\":\"streamEnd\",\"streamId\":\"e\",\"error\":{\"message\":\"boom\",\"userErrorCode\":\"E42\"}}");
    awaitType(publisher, "streamClosed", 0);
    await().until(() -> fragments(member).size() == 1);
    JsonNode error = fragments(member).get(0).get("stream").get("error");
    assertThat(error.get("name").asString()).isEqualTo("UserError");
    assertThat(error.get("message").asString()).isEqualTo("boom");
    assertThat(error.get("userErrorCode").asString()).isEqualTo("E42");
    assertThat(fragments(member)).hasSize(1);
    assertThat(fragments(publisher)).as("noEcho: the publishing member gets nothing").isEmpty();
  }

  @Test
  void anIdleStreamIsClosedWithIdleTimeout() {
    TestClient publisher = json("pub", ALL_ROLES);
    TestClient member = member("sub");
    publisher.send(
        "{\"type\":\"sendToGroup\",\"group\":\"live\",\"stream\":{\"streamId\":\"i\",\"idleTimeoutMs\":300}}");
    awaitType(publisher, "streamAck", 0);
    JsonNode closed = awaitType(publisher, "streamClosed", 0);
    assertThat(closed.get("error").get("name").asString()).isEqualTo("IdleTimeout");
    await().until(() -> fragments(member).size() == 1);
    assertThat(fragments(member).get(0).get("stream").get("error").get("name").asString())
        .isEqualTo("IdleTimeout");
  }

  @Test
  void badForbiddenAndDuplicateStartsAreClosedWithAnError() {
    TestClient publisher = json("pub", List.of());
    TestClient allowed = json("ok", ALL_ROLES);
    publisher.send("{\"type\":\"sendToGroup\",\"group\":\"live\",\"stream\":{\"streamId\":\"f\"}}");
    assertThat(awaitType(publisher, "streamClosed", 0).get("error").get("name").asString())
        .isEqualTo("Forbidden");
    allowed.send("{\"type\":\"sendToGroup\",\"group\":\"live\",\"stream\":{\"streamId\":\"d\"}}");
    allowed.send("{\"type\":\"sendToGroup\",\"group\":\"live\",\"stream\":{\"streamId\":\"d\"}}");
    allowed.send("{\"type\":\"sendToGroup\",\"group\":\"live\",\"stream\":{\"streamId\":\"\"}}");
    allowed.send(
        "{\"type\":\"sendToGroup\",\"group\":\"live\",\"stream\":{\"streamId\":\"x\",\"idleTimeoutMs\":0}}");
    awaitType(allowed, "streamClosed", 2);
    assertThat(ofType(allowed, "streamClosed"))
        .extracting((c) -> c.get("error").get("name").asString())
        .containsExactly("BadRequest", "BadRequest", "BadRequest");
    assertThat(ofType(allowed, "streamAck")).hasSize(1);
  }

  private static List<DownstreamMessage> downstream(TestClient client) {
    List<DownstreamMessage> messages = new ArrayList<>();
    for (TestClient.Frame frame : client.frames()) {
      try {
        messages.add(DownstreamMessage.parseFrom(frame.bytes()));
      } catch (InvalidProtocolBufferException ex) {
        throw new AssertionError(ex);
      }
    }
    return messages;
  }

  @Test
  void aProtobufPublisherStreamsToJsonAndProtobufMembers() {
    TestClient publisher =
        connect(this.hub, ProtobufProtocolIntegrationTests.PROTOBUF, "pub", ALL_ROLES);
    TestClient member = member("sub");
    TestClient pbMember =
        connect(this.hub, ProtobufProtocolIntegrationTests.PROTOBUF_RELIABLE, "pb", ALL_ROLES);
    pbMember.send(
        UpstreamMessage.newBuilder()
            .setJoinGroupMessage(
                UpstreamMessage.JoinGroupMessage.newBuilder().setGroup("live").setAckId(1))
            .build()
            .toByteArray());
    await().until(() -> downstream(pbMember).size() == 2);
    publisher.send(
        UpstreamMessage.newBuilder()
            .setSendToGroupMessage(
                UpstreamMessage.SendToGroupMessage.newBuilder()
                    .setGroup("live")
                    .setNoEcho(true)
                    .setStream(
                        UpstreamMessage.StreamStartInfo.newBuilder()
                            .setStreamId("p")
                            .setIdleTimeoutMs(60000)))
            .build()
            .toByteArray());
    await().until(() -> downstream(publisher).size() == 2);
    DownstreamMessage.StreamAckMessage started = downstream(publisher).get(1).getStreamAckMessage();
    assertThat(started.getStreamId()).isEqualTo("p");
    assertThat(started.getExpectedSequenceId()).isEqualTo(1);
    publisher.send(
        UpstreamMessage.newBuilder()
            .setStreamDataMessage(
                UpstreamMessage.StreamDataMessage.newBuilder()
                    .setStreamId("p")
                    .setStreamSequenceId(1)
                    .setData(MessageData.newBuilder().setTextData("chunk")))
            .build()
            .toByteArray());
    publisher.send(
        UpstreamMessage.newBuilder()
            .setStreamEndMessage(UpstreamMessage.StreamEndMessage.newBuilder().setStreamId("p"))
            .build()
            .toByteArray());
    await().until(() -> downstream(publisher).size() == 4);
    assertThat(downstream(publisher).get(2).getStreamAckMessage().getExpectedSequenceId())
        .isEqualTo(2);
    DownstreamMessage.StreamClosedMessage closed =
        downstream(publisher).get(3).getStreamClosedMessage();
    assertThat(closed.getStreamId()).isEqualTo("p");
    assertThat(closed.hasError()).isFalse();

    await().until(() -> fragments(member).size() == 2);
    assertThat(fragments(member).get(0).get("data").asString()).isEqualTo("chunk");
    assertThat(fragments(member).get(1).get("stream").get("endOfStream").asBoolean()).isTrue();

    await().until(() -> downstream(pbMember).size() == 4);
    DownstreamMessage.DataMessage first = downstream(pbMember).get(2).getDataMessage();
    assertThat(first.getData().getTextData()).isEqualTo("chunk");
    assertThat(first.getStream().getStreamId()).isEqualTo("p");
    assertThat(first.getStream().getStreamSequenceId()).isEqualTo(1);
    assertThat(first.getSequenceId()).as("reliable sequence id, separate").isEqualTo(1);
    DownstreamMessage.DataMessage last = downstream(pbMember).get(3).getDataMessage();
    assertThat(last.getStream().getEndOfStream()).isTrue();
    assertThat(last.getStream().getStreamSequenceId()).isEqualTo(2);
    assertThat(last.hasData()).isFalse();
    assertThat(last.getSequenceId()).isEqualTo(2);
  }
}
