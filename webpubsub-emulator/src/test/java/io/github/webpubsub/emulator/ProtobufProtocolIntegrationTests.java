package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
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
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * {@code protobuf.webpubsub.azure.v1} and {@code protobuf.reliable.webpubsub.azure.v1}, driven by a
 * real WebSocket client that sends messages generated from the project's {@code .proto}, beside
 * JSON and plain clients in the same groups.
 */
class ProtobufProtocolIntegrationTests {

  static final String PROTOBUF = "protobuf.webpubsub.azure.v1";

  static final String PROTOBUF_RELIABLE = "protobuf.reliable.webpubsub.azure.v1";

  private static final List<String> ALL_ROLES =
      List.of("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup");

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator =
      new WebPubSubEmulatorExtension(
          WebPubSubEmulator.builder().reconnectionWindow(Duration.ofSeconds(10)));

  private static int hubs;

  record Received(HttpHeaders headers, byte[] body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();

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
    // The application: answers user event "echo" with its body as text/plain, others with 204.
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
                  if (request.uri().endsWith("/connected")) {
                    this.connectedEvents.incrementAndGet();
                  } else if (request.uri().endsWith("/disconnected")) {
                    this.disconnectedEvents.incrementAndGet();
                  }
                  return request
                      .receive()
                      .aggregate()
                      .asByteArray()
                      .defaultIfEmpty(new byte[0])
                      .flatMap(
                          (body) -> {
                            this.received.add(new Received(request.requestHeaders().copy(), body));
                            if (request.uri().endsWith("/echo")) {
                              return response
                                  .status(200)
                                  .header("Content-Type", "text/plain")
                                  .sendByteArray(Mono.just("echo".getBytes(StandardCharsets.UTF_8)))
                                  .then();
                            }
                            return response.status(204).send().then();
                          });
                })
            .bindNow();
    this.hub = "pb" + (++hubs);
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

  private String httpUrl() {
    return "http://localhost:" + emulator.getEmulator().getPort() + "/client/hubs/" + this.hub;
  }

  private TestClient connect(String protocol, String userId, List<String> roles) {
    return connect(protocol, userId, roles, List.of());
  }

  private TestClient connect(
      String protocol, String userId, List<String> roles, List<String> groups) {
    String token =
        new TestJwt(emulator.getEmulator().getAccessKey())
            .clientToken(httpUrl(), userId, roles, groups, 60);
    TestClient client =
        TestClient.connect(
            URI.create(httpUrl().replace("http", "ws") + "?access_token=" + token), protocol);
    this.clients.add(client);
    this.sessions++;
    if (protocol != null) {
      await().until(() -> !client.frames().isEmpty());
    }
    return client;
  }

  private static List<DownstreamMessage> downstream(TestClient client) {
    List<DownstreamMessage> messages = new ArrayList<>();
    for (TestClient.Frame frame : client.frames()) {
      assertThat(frame.text()).as("protobuf clients get binary frames only").isFalse();
      try {
        messages.add(DownstreamMessage.parseFrom(frame.bytes()));
      } catch (InvalidProtocolBufferException ex) {
        throw new AssertionError(ex);
      }
    }
    return messages;
  }

  private static DownstreamMessage last(TestClient client) {
    List<DownstreamMessage> messages = downstream(client);
    return messages.get(messages.size() - 1);
  }

  private static void send(TestClient client, UpstreamMessage message) {
    client.send(message.toByteArray());
  }

  private static UpstreamMessage join(String group, long ackId) {
    return UpstreamMessage.newBuilder()
        .setJoinGroupMessage(
            UpstreamMessage.JoinGroupMessage.newBuilder().setGroup(group).setAckId(ackId))
        .build();
  }

  private static UpstreamMessage sendToGroup(String group, long ackId, MessageData data) {
    return UpstreamMessage.newBuilder()
        .setSendToGroupMessage(
            UpstreamMessage.SendToGroupMessage.newBuilder()
                .setGroup(group)
                .setAckId(ackId)
                .setData(data))
        .build();
  }

  private static MessageData text(String text) {
    return MessageData.newBuilder().setTextData(text).build();
  }

  private static void awaitFrames(TestClient client, int count) {
    await().until(() -> client.frames().size() >= count);
  }

  @Test
  void connectedIsTheFirstFrameAndReliableOnlyGetsAReconnectionToken() {
    TestClient plain = connect(PROTOBUF, "alice", List.of());
    TestClient reliable = connect(PROTOBUF_RELIABLE, "bob", List.of());
    assertThat(plain.subprotocol()).isEqualTo(PROTOBUF);
    assertThat(reliable.subprotocol()).isEqualTo(PROTOBUF_RELIABLE);
    DownstreamMessage.SystemMessage.ConnectedMessage first =
        downstream(plain).get(0).getSystemMessage().getConnectedMessage();
    assertThat(first.getUserId()).isEqualTo("alice");
    assertThat(first.getConnectionId()).hasSize(32);
    assertThat(first.getReconnectionToken()).isEmpty();
    DownstreamMessage.SystemMessage.ConnectedMessage second =
        downstream(reliable).get(0).getSystemMessage().getConnectedMessage();
    assertThat(second.getUserId()).isEqualTo("bob");
    assertThat(second.getReconnectionToken()).isNotEmpty();
  }

  @Test
  void joinAckAndPingPongAreTheBytesOfTheServiceSchema() {
    TestClient client = connect(PROTOBUF, "alice", ALL_ROLES);
    // joinGroup "g1" with ack_id 1, and ping, as the reference computes them.
    client.send(HexFormat.of().parseHex("32060a0267311001"));
    awaitFrames(client, 2);
    assertThat(HexFormat.of().formatHex(client.frames().get(1).bytes())).isEqualTo("0a0408011001");
    client.send(HexFormat.of().parseHex("4a00"));
    awaitFrames(client, 3);
    assertThat(HexFormat.of().formatHex(client.frames().get(2).bytes())).isEqualTo("2200");
  }

  @Test
  void acksFollowPresenceOfAckIdIncludingZeroAndTheLargestUint64() {
    TestClient client = connect(PROTOBUF, "alice", List.of());
    send(client, join("g", 0));
    awaitFrames(client, 2);
    DownstreamMessage.AckMessage ack = last(client).getAckMessage();
    assertThat(ack.getAckId()).isZero();
    assertThat(ack.getSuccess()).isFalse();
    assertThat(ack.getError().getName()).isEqualTo("Forbidden");
    send(client, join("g", -1L)); // 2^64-1
    awaitFrames(client, 3);
    assertThat(Long.toUnsignedString(last(client).getAckMessage().getAckId()))
        .isEqualTo("18446744073709551615");
    // No ack_id: no ack.
    send(
        client,
        UpstreamMessage.newBuilder()
            .setJoinGroupMessage(UpstreamMessage.JoinGroupMessage.newBuilder().setGroup("g"))
            .build());
    send(
        client,
        UpstreamMessage.newBuilder()
            .setPingMessage(UpstreamMessage.PingMessage.newBuilder())
            .build());
    awaitFrames(client, 4);
    assertThat(last(client).hasPongMessage()).isTrue();
    assertThat(client.frames()).hasSize(4);
  }

  @Test
  void jsonProtobufAndPlainMembersOfOneGroupReceiveWhatTheOthersSend() throws Exception {
    TestClient pb = connect(PROTOBUF, "pb", ALL_ROLES);
    TestClient json = connect(TestClient.JSON_PROTOCOL, "js", ALL_ROLES);
    TestClient raw = connect(null, "raw", List.of(), List.of("room"));
    send(pb, join("room", 1));
    json.send("{\"type\":\"joinGroup\",\"group\":\"room\",\"ackId\":1}");
    awaitFrames(pb, 2);
    awaitFrames(json, 2);

    // protobuf text_data -> JSON text, raw text frame
    send(pb, sendToGroup("room", 2, text("hi")));
    awaitFrames(json, 3);
    JsonNode fromPb = json.json().get(2);
    assertThat(fromPb.get("from").asString()).isEqualTo("group");
    assertThat(fromPb.get("group").asString()).isEqualTo("room");
    assertThat(fromPb.get("fromUserId").asString()).isEqualTo("pb");
    assertThat(fromPb.get("dataType").asString()).isEqualTo("text");
    assertThat(fromPb.get("data").asString()).isEqualTo("hi");
    await().until(() -> raw.frames().size() == 1);
    assertThat(raw.frames().get(0).text()).isTrue();
    assertThat(raw.frames().get(0).asText()).isEqualTo("hi");

    // JSON json -> protobuf json_data (as Microsoft's SDKs read it), raw text frame
    json.send(
        "{\"type\":\"sendToGroup\",\"group\":\"room\",\"dataType\":\"json\",\"data\":{\"a\":1}}");
    // pb's first data message is its own "hi" (no no_echo); the second is the JSON client's.
    await()
        .until(
            () -> downstream(pb).stream().filter(DownstreamMessage::hasDataMessage).count() == 2);
    DownstreamMessage.DataMessage fromJson =
        downstream(pb).stream()
            .filter(DownstreamMessage::hasDataMessage)
            .skip(1)
            .findFirst()
            .orElseThrow()
            .getDataMessage();
    assertThat(fromJson.getFrom()).isEqualTo("group");
    assertThat(fromJson.getGroup()).isEqualTo("room");
    assertThat(fromJson.getData().getDataCase()).isEqualTo(MessageData.DataCase.JSON_DATA);
    assertThat(fromJson.getData().getJsonData()).isEqualTo("{\"a\":1}");
    assertThat(fromJson.hasSequenceId()).as("not reliable").isFalse();
    await().until(() -> raw.frames().size() == 2);
    assertThat(raw.frames().get(1).asText()).isEqualTo("{\"a\":1}");

    // protobuf binary_data -> JSON binary base64, raw binary frame
    send(
        pb,
        sendToGroup(
            "room",
            3,
            MessageData.newBuilder()
                .setBinaryData(ByteString.copyFrom(new byte[] {1, 2, 3}))
                .build()));
    awaitFrames(json, 5);
    JsonNode binary = json.json().get(4);
    assertThat(binary.get("dataType").asString()).isEqualTo("binary");
    assertThat(binary.get("data").asString()).isEqualTo("AQID");
    await().until(() -> raw.frames().size() == 3);
    assertThat(raw.frames().get(2).text()).isFalse();
    assertThat(raw.frames().get(2).bytes()).containsExactly(1, 2, 3);

    // protobuf protobuf_data (Any) -> JSON dataType protobuf (base64 of the Any), raw binary Any
    Any any =
        Any.newBuilder()
            .setTypeUrl("type.googleapis.com/google.protobuf.StringValue")
            .setValue(ByteString.copyFromUtf8("\n\u0002hi"))
            .build();
    send(pb, sendToGroup("room", 4, MessageData.newBuilder().setProtobufData(any).build()));
    awaitFrames(json, 6);
    JsonNode protobuf = json.json().get(5);
    assertThat(protobuf.get("dataType").asString()).isEqualTo("protobuf");
    assertThat(Base64.getDecoder().decode(protobuf.get("data").asString()))
        .isEqualTo(any.toByteArray());
    await().until(() -> raw.frames().size() == 4);
    assertThat(raw.frames().get(3).text()).isFalse();
    assertThat(Any.parseFrom(raw.frames().get(3).bytes())).isEqualTo(any);

    // The sender got its own messages too (no no_echo) and its acks: the Any arrives intact.
    await()
        .until(
            () ->
                downstream(pb).stream()
                    .filter(DownstreamMessage::hasDataMessage)
                    .anyMatch((m) -> m.getDataMessage().getData().hasProtobufData()));
    assertThat(
            downstream(pb).stream()
                .filter(DownstreamMessage::hasDataMessage)
                .filter((m) -> m.getDataMessage().getData().hasProtobufData())
                .findFirst()
                .orElseThrow()
                .getDataMessage()
                .getData()
                .getProtobufData())
        .isEqualTo(any);

    // A JSON client may send dataType protobuf (Microsoft's JSON protocol does): the Any reaches
    // pb.
    json.send(
        "{\"type\":\"sendToGroup\",\"group\":\"room\",\"dataType\":\"protobuf\",\"data\":\""
            + Base64.getEncoder().encodeToString(any.toByteArray())
            + "\"}");
    await()
        .until(
            () ->
                downstream(pb).stream()
                        .filter(DownstreamMessage::hasDataMessage)
                        .filter((m) -> m.getDataMessage().getData().hasProtobufData())
                        .count()
                    == 2);
  }

  @Test
  void restSendsArriveAsTheirContentType() {
    TestClient pb = connect(PROTOBUF, "pb", List.of(), List.of("news"));
    RestClient rest = new RestClient(emulator.getEmulator());
    String base = "/api/hubs/" + this.hub;
    assertThat(
            rest.signed(HttpMethod.POST, base + "/groups/news/:send", "text/plain", "t").status())
        .isEqualTo(202);
    assertThat(
            rest.signed(
                    HttpMethod.POST,
                    base + "/groups/news/:send",
                    "application/json",
                    "{\"k\":\"v\"}")
                .status())
        .isEqualTo(202);
    rest.call(
        HttpMethod.POST,
        base + "/:send",
        RestClient.token(
            new TestJwt(emulator.getEmulator().getAccessKey()), rest.base() + base + "/:send", 60),
        "application/octet-stream",
        new byte[] {9, 8});
    awaitFrames(pb, 4);
    List<DownstreamMessage> messages = downstream(pb);
    DownstreamMessage.DataMessage text = messages.get(1).getDataMessage();
    assertThat(text.getFrom()).isEqualTo("group");
    assertThat(text.getGroup()).isEqualTo("news");
    assertThat(text.getData().getTextData()).isEqualTo("t");
    DownstreamMessage.DataMessage json = messages.get(2).getDataMessage();
    assertThat(json.getData().getJsonData()).isEqualTo("{\"k\":\"v\"}");
    DownstreamMessage.DataMessage binary = messages.get(3).getDataMessage();
    assertThat(binary.getFrom()).isEqualTo("server");
    assertThat(binary.hasGroup()).isFalse();
    assertThat(binary.getData().getBinaryData().toByteArray()).containsExactly(9, 8);
  }

  @Test
  void eventsGoUpstreamByDataTypeAndTheAnswerComesBackBeforeTheAck() {
    TestClient pb = connect(PROTOBUF, "pb", List.of());
    Any any = Any.newBuilder().setTypeUrl("type.googleapis.com/x.Y").build();
    send(
        pb,
        UpstreamMessage.newBuilder()
            .setEventMessage(
                UpstreamMessage.EventMessage.newBuilder()
                    .setEvent("echo")
                    .setAckId(7)
                    .setData(MessageData.newBuilder().setProtobufData(any)))
            .build());
    awaitFrames(pb, 3);
    Received event =
        this.received.stream()
            .filter((r) -> "echo".equals(r.headers().get("ce-eventName")))
            .findFirst()
            .orElseThrow();
    assertThat(event.headers().get("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(event.headers().get("ce-type")).isEqualTo("azure.webpubsub.user.echo");
    assertThat(event.headers().get("ce-subprotocol")).isEqualTo(PROTOBUF);
    assertThat(event.body()).isEqualTo(any.toByteArray());
    List<DownstreamMessage> messages = downstream(pb);
    assertThat(messages.get(1).getDataMessage().getFrom()).isEqualTo("server");
    assertThat(messages.get(1).getDataMessage().getData().getTextData()).isEqualTo("echo");
    assertThat(messages.get(2).getAckMessage().getAckId()).isEqualTo(7);
    assertThat(messages.get(2).getAckMessage().getSuccess()).isTrue();

    // json_data goes up as application/json with the JSON text.
    send(
        pb,
        UpstreamMessage.newBuilder()
            .setEventMessage(
                UpstreamMessage.EventMessage.newBuilder()
                    .setEvent("other")
                    .setData(MessageData.newBuilder().setJsonData("[1,2]")))
            .build());
    await()
        .until(
            () ->
                this.received.stream()
                    .anyMatch((r) -> "other".equals(r.headers().get("ce-eventName"))));
    Received json =
        this.received.stream()
            .filter((r) -> "other".equals(r.headers().get("ce-eventName")))
            .findFirst()
            .orElseThrow();
    assertThat(json.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("[1,2]");
  }

  @Test
  void reliableClientsGetSequenceIdsAckThemAndRecoverTheRest() {
    TestClient pb = connect(PROTOBUF_RELIABLE, "pb", List.of(), List.of("g1"));
    DownstreamMessage.SystemMessage.ConnectedMessage connected =
        downstream(pb).get(0).getSystemMessage().getConnectedMessage();
    RestClient rest = new RestClient(emulator.getEmulator());
    String path = "/api/hubs/" + this.hub + "/groups/g1/:send";
    rest.signed(HttpMethod.POST, path, "text/plain", "hi");
    rest.signed(HttpMethod.POST, path, "text/plain", "two");
    awaitFrames(pb, 3);
    // The reference's bytes: group text "hi" from g1 with sequence id 1 (it computes seq 3 = 20
    // 03).
    assertThat(HexFormat.of().formatHex(pb.frames().get(1).bytes()))
        .isEqualTo("12130a0567726f7570120267311a040a0268692001");
    assertThat(downstream(pb).get(2).getDataMessage().getSequenceId()).isEqualTo(2);
    // Ack the first only, drop the connection, send one more while away.
    pb.send(HexFormat.of().parseHex("42020801"));
    await().pollDelay(Duration.ofMillis(200)).until(() -> true);
    pb.drop();
    rest.signed(HttpMethod.POST, path, "text/plain", "three");

    String recoverUrl =
        httpUrl().replace("http", "ws")
            + "?awps_connection_id="
            + connected.getConnectionId()
            + "&awps_reconnection_token="
            + connected.getReconnectionToken();
    TestClient back = TestClient.connect(URI.create(recoverUrl), PROTOBUF_RELIABLE);
    this.clients.add(back);
    awaitFrames(back, 3);
    List<DownstreamMessage> messages = downstream(back);
    assertThat(messages.get(0).getSystemMessage().getConnectedMessage().getConnectionId())
        .isEqualTo(connected.getConnectionId());
    assertThat(messages.subList(1, 3))
        .extracting(
            (m) ->
                m.getDataMessage().getSequenceId()
                    + ":"
                    + m.getDataMessage().getData().getTextData())
        .containsExactly("2:two", "3:three");

    // A repeated ack_id of a successful request is acked Duplicate.
    send(back, join("g2", 5));
    send(back, join("g2", 5));
    awaitFrames(back, 5);
    assertThat(downstream(back).get(3).getAckMessage().getSuccess()).isFalse(); // no role
    send(
        back,
        UpstreamMessage.newBuilder()
            .setSequenceAckMessage(UpstreamMessage.SequenceAckMessage.newBuilder().setSequenceId(3))
            .build());
  }

  @Test
  void duplicateAckIdOfAReliableProtobufClientIsAckedDuplicate() {
    TestClient pb = connect(PROTOBUF_RELIABLE, "pb", ALL_ROLES);
    send(pb, join("g", 5));
    send(pb, join("g", 5));
    awaitFrames(pb, 3);
    List<DownstreamMessage> messages = downstream(pb);
    assertThat(messages.get(1).getAckMessage().getSuccess()).isTrue();
    assertThat(messages.get(2).getAckMessage().getSuccess()).isFalse();
    assertThat(messages.get(2).getAckMessage().getError().getName()).isEqualTo("Duplicate");
  }

  @Test
  void recoveryOfAProtobufSessionMustOfferItsSubprotocol() {
    TestClient pb = connect(PROTOBUF_RELIABLE, "pb", List.of());
    DownstreamMessage.SystemMessage.ConnectedMessage connected =
        downstream(pb).get(0).getSystemMessage().getConnectedMessage();
    pb.drop();
    String recoverUrl =
        httpUrl().replace("http", "ws")
            + "?awps_connection_id="
            + connected.getConnectionId()
            + "&awps_reconnection_token="
            + connected.getReconnectionToken();
    TestClient wrong = TestClient.connect(URI.create(recoverUrl), TestClient.RELIABLE_PROTOCOL);
    this.clients.add(wrong);
    await().until(wrong::isClosed);
    assertThat(wrong.closeStatus().code()).isEqualTo(1008);
    assertThat(wrong.closeStatus().reasonText()).contains(PROTOBUF_RELIABLE);
  }

  @Test
  void invalidJsonDataIsAckedBadRequestAndForbiddenSendsAreAckedForbidden() {
    TestClient pb = connect(PROTOBUF, "pb", List.of("webpubsub.joinLeaveGroup"));
    send(pb, sendToGroup("g", 1, MessageData.newBuilder().setJsonData("{nope").build()));
    awaitFrames(pb, 2);
    assertThat(last(pb).getAckMessage().getError().getName()).isEqualTo("BadRequest");
    send(pb, sendToGroup("g", 2, text("x")));
    awaitFrames(pb, 3);
    assertThat(last(pb).getAckMessage().getAckId()).isEqualTo(2);
    assertThat(last(pb).getAckMessage().getError().getName()).isEqualTo("Forbidden");
    // No data at all: BadRequest, as a JSON message without data.
    send(
        pb,
        UpstreamMessage.newBuilder()
            .setEventMessage(UpstreamMessage.EventMessage.newBuilder().setEvent("e").setAckId(3))
            .build());
    awaitFrames(pb, 4);
    assertThat(last(pb).getAckMessage().getError().getName()).isEqualTo("BadRequest");
  }

  @Test
  void aTextFrameDeclinesTheClientWithDisconnectedAnd1003() {
    TestClient pb = connect(PROTOBUF, "pb", List.of());
    pb.send("{\"type\":\"ping\"}");
    await().until(pb::isClosed);
    assertThat(pb.closeStatus().code()).isEqualTo(1003);
    DownstreamMessage disconnected = last(pb);
    assertThat(disconnected.getSystemMessage().getDisconnectedMessage().getReason())
        .contains("expects binary frames");
  }

  @Test
  void bytesThatAreNoUpstreamMessageDeclineTheClient() {
    TestClient pb = connect(PROTOBUF_RELIABLE, "pb", List.of());
    pb.send(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    await().until(pb::isClosed);
    assertThat(pb.closeStatus().code()).isEqualTo(1003);
    assertThat(last(pb).getSystemMessage().hasDisconnectedMessage()).isTrue();
  }

  @Test
  void anUnknownMessageIsSkippedAsProtobufSkipsUnknownFields() {
    TestClient pb = connect(PROTOBUF, "pb", List.of());
    // Field 20 (length-delimited, empty): a message this schema does not know.
    pb.send(new byte[] {(byte) 0xA2, 0x01, 0x00});
    send(
        pb,
        UpstreamMessage.newBuilder()
            .setPingMessage(UpstreamMessage.PingMessage.newBuilder())
            .build());
    awaitFrames(pb, 2);
    assertThat(last(pb).hasPongMessage()).isTrue();
    assertThat(pb.isClosed()).isFalse();
  }
}
