package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.github.webpubsub.emulator.protobuf.DownstreamMessage;
import io.github.webpubsub.emulator.protobuf.UpstreamMessage;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a JSON client's messages do and what it receives back (acks, pongs, group messages), on
 * connections with no socket: the frames queued for each client are read as the JSON it would get.
 */
class ClientFramesTests {

  static final Upstream UPSTREAM = new Upstream(new Jwt(JwtTests.KEY), "localhost");

  static final ClientFrames FRAMES = new ClientFrames(UPSTREAM);

  static final Set<String> ALL_ROLES = Set.of("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup");

  final Hub hub = new Hub("chat");

  ClientConnection connect(String id, String protocol, Set<String> roles, List<String> received) {
    ClientConnection connection =
        new ClientConnection(id, this.hub, "user-" + id, protocol, roles, 64, 1024 * 1024);
    this.hub.add(connection, List.of());
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

  static void send(ClientConnection connection, String json) {
    FRAMES
        .onFrame(
            connection, new ClientFrames.Frame(true, true, json.getBytes(StandardCharsets.UTF_8)))
        .block(Duration.ofSeconds(10));
  }

  static JsonNode json(String text) {
    return Json.MAPPER.readTree(text);
  }

  static void assertAck(String received, long ackId, String errorName, String message) {
    JsonNode ack = json(received);
    assertThat(ack.path("type").asString()).isEqualTo("ack");
    assertThat(ack.path("ackId").asLong()).isEqualTo(ackId);
    assertThat(ack.path("success").asBoolean()).isFalse();
    assertThat(ack.path("error").path("name").asString()).isEqualTo(errorName);
    assertThat(ack.path("error").path("message").asString()).isEqualTo(message);
  }

  // ---- groups ----

  @Test
  void joinAndLeaveAreAckedAndChangeMembership() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);

    send(client, "{\"type\":\"joinGroup\",\"group\":\"room1\",\"ackId\":1}");
    assertThat(client.groups()).containsExactly("room1");
    send(client, "{\"type\":\"leaveGroup\",\"group\":\"room1\",\"ackId\":2}");
    assertThat(client.groups()).isEmpty();

    assertThat(received)
        .containsExactly(
            "{\"type\":\"ack\",\"ackId\":1,\"success\":true}",
            "{\"type\":\"ack\",\"ackId\":2,\"success\":true}");
  }

  @Test
  void joinWithoutPermissionIsAckedForbidden() {
    List<String> received = new ArrayList<>();
    ClientConnection client =
        connect(
            "c1",
            ClientConnection.JSON_PROTOCOL,
            Set.of("webpubsub.joinLeaveGroup.other"),
            received);

    send(client, "{\"type\":\"joinGroup\",\"group\":\"room1\",\"ackId\":1}");
    send(client, "{\"type\":\"leaveGroup\",\"group\":\"room1\",\"ackId\":2}");
    send(client, "{\"type\":\"joinGroup\",\"group\":\"other\",\"ackId\":3}");

    assertThat(client.groups()).containsExactly("other");
    assertAck(received.get(0), 1, "Forbidden", "No permission to join or leave group room1");
    assertAck(received.get(1), 2, "Forbidden", "No permission to join or leave group room1");
  }

  @Test
  void groupNamesOf1To1024CharactersAreAccepted() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);
    String longest = "g".repeat(1024);

    send(client, "{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":1}");
    send(client, "{\"type\":\"joinGroup\",\"group\":\"" + longest + "\",\"ackId\":2}");
    send(client, "{\"type\":\"joinGroup\",\"group\":\"" + longest + "g\",\"ackId\":3}");
    send(client, "{\"type\":\"joinGroup\",\"group\":\"\",\"ackId\":4}");
    send(client, "{\"type\":\"joinGroup\",\"group\":\"  \",\"ackId\":5}");
    send(client, "{\"type\":\"joinGroup\",\"ackId\":6}");

    assertThat(client.groups()).containsExactlyInAnyOrder("g", longest);
    for (int i = 2; i < 6; i++) {
      assertAck(
          received.get(i), i + 1, "BadRequest", "Invalid group name: it must be 1-1024 characters");
    }
  }

  @Test
  void sendToGroupReachesMembersWithTheSendersUserIdAndEchoesUnlessNoEcho() {
    List<String> sender = new ArrayList<>();
    List<String> member = new ArrayList<>();
    ClientConnection alice = connect("a", ClientConnection.JSON_PROTOCOL, ALL_ROLES, sender);
    ClientConnection bob = connect("b", ClientConnection.JSON_PROTOCOL, ALL_ROLES, member);
    this.hub.join(alice, "room");
    this.hub.join(bob, "room");

    send(
        alice,
        "{\"type\":\"sendToGroup\",\"group\":\"room\",\"dataType\":\"text\",\"data\":\"hi\"}");
    send(
        alice,
        "{\"type\":\"sendToGroup\",\"group\":\"room\",\"dataType\":\"text\",\"data\":\"quiet\","
            + "\"noEcho\":true,\"ackId\":9}");

    String hi =
        "{\"type\":\"message\",\"from\":\"group\",\"group\":\"room\",\"fromUserId\":\"user-a\","
            + "\"dataType\":\"text\",\"data\":\"hi\"}";
    assertThat(member).containsExactly(hi, hi.replace("\"hi\"", "\"quiet\""));
    assertThat(sender).containsExactly(hi, "{\"type\":\"ack\",\"ackId\":9,\"success\":true}");
  }

  @Test
  void sendToGroupWithoutPermissionIsAckedForbidden() {
    List<String> received = new ArrayList<>();
    ClientConnection client =
        connect("c1", ClientConnection.JSON_PROTOCOL, Set.of("webpubsub.joinLeaveGroup"), received);

    send(client, "{\"type\":\"sendToGroup\",\"group\":\"room\",\"data\":1,\"ackId\":1}");

    assertAck(received.get(0), 1, "Forbidden", "No permission to send to group room");
  }

  // ---- data types ----

  @Test
  void dataIsReadInItsDataTypeJsonWhenAbsent() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);
    this.hub.join(client, "room");

    send(client, "{\"type\":\"sendToGroup\",\"group\":\"room\",\"data\":{\"n\":1}}");
    send(client, "{\"type\":\"sendToGroup\",\"group\":\"room\",\"dataType\":null,\"data\":[1]}");
    send(
        client,
        "{\"type\":\"sendToGroup\",\"group\":\"room\",\"dataType\":\"binary\",\"data\":\"AQID\"}");

    assertThat(json(received.get(0)).path("dataType").asString()).isEqualTo("json");
    assertThat(json(received.get(0)).path("data").path("n").asInt()).isEqualTo(1);
    assertThat(json(received.get(1)).path("data").isArray()).isTrue();
    assertThat(json(received.get(2)).path("dataType").asString()).isEqualTo("binary");
    assertThat(json(received.get(2)).path("data").asString()).isEqualTo("AQID");
  }

  @Test
  void dataThatDoesNotFitItsDataTypeIsAckedBadRequest() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);

    send(
        client,
        "{\"type\":\"sendToGroup\",\"group\":\"g\",\"dataType\":\"xml\",\"data\":1,\"ackId\":1}");
    send(
        client,
        "{\"type\":\"sendToGroup\",\"group\":\"g\",\"dataType\":\"text\",\"data\":1,\"ackId\":2}");
    send(
        client,
        "{\"type\":\"sendToGroup\",\"group\":\"g\",\"dataType\":\"binary\",\"data\":\"*\",\"ackId\":3}");
    send(client, "{\"type\":\"sendToGroup\",\"group\":\"g\",\"dataType\":\"text\",\"ackId\":4}");

    assertAck(
        received.get(0), 1, "BadRequest", "Invalid dataType: use text, json, binary or protobuf");
    assertAck(received.get(1), 2, "BadRequest", "dataType text needs a string data");
    assertAck(received.get(2), 3, "BadRequest", "dataType binary needs base64 data");
    assertAck(received.get(3), 4, "BadRequest", "The message has no data");
  }

  // ---- acks ----

  @Test
  void ackIdsAreUnsigned64BitIntegers() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);

    send(client, "{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":0}");
    send(client, "{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":18446744073709551615}");
    for (String bad : List.of("-1", "18446744073709551616", "1.5", "\"1\"")) {
      send(client, "{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":" + bad + "}");
    }

    assertThat(received.get(0)).isEqualTo("{\"type\":\"ack\",\"ackId\":0,\"success\":true}");
    assertThat(received.get(1))
        .isEqualTo("{\"type\":\"ack\",\"ackId\":18446744073709551615,\"success\":true}");
    assertThat(received).hasSize(6);
    for (String ack : received.subList(2, 6)) {
      assertThat(json(ack).path("error").path("message").asString())
          .isEqualTo("Invalid ackId: it must be an integer from 0 to 18446744073709551615");
    }
  }

  @Test
  void aReliableClientsRepeatedAckIdIsAckedDuplicateAndNotProcessedAgain() {
    List<String> received = new ArrayList<>();
    ClientConnection client =
        connect("c1", ClientConnection.RELIABLE_PROTOCOL, ALL_ROLES, received);

    send(client, "{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":5}");
    send(client, "{\"type\":\"leaveGroup\",\"group\":\"g\",\"ackId\":5}");

    assertThat(client.groups()).containsExactly("g");
    assertAck(received.get(1), 5, "Duplicate", "Message with ack-id: 5 has been processed");
  }

  @Test
  void aPlainJsonClientMayRepeatAnAckId() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);

    send(client, "{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":5}");
    send(client, "{\"type\":\"leaveGroup\",\"group\":\"g\",\"ackId\":5}");

    assertThat(client.groups()).isEmpty();
    assertThat(received.get(1)).isEqualTo("{\"type\":\"ack\",\"ackId\":5,\"success\":true}");
  }

  @Test
  void unknownTypesAreAckedBadRequestAndIgnoredWithoutAnAckId() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);

    send(client, "{\"type\":\"teleport\",\"ackId\":1}");
    send(client, "{\"type\":\"teleport\"}");
    send(client, "{\"type\":\"teleport\",\"ackId\":null}");
    send(client, "{\"ackId\":2}");

    assertThat(received).hasSize(2);
    assertAck(received.get(0), 1, "BadRequest", "Unknown message type 'teleport'");
    assertAck(received.get(1), 2, "BadRequest", "Unknown message type ''");
  }

  @Test
  void pingIsAnsweredWithPongAndNeverAcked() {
    List<String> received = new ArrayList<>();
    ClientConnection client =
        connect("c1", ClientConnection.RELIABLE_PROTOCOL, ALL_ROLES, received);

    send(client, "{\"type\":\"ping\",\"ackId\":1}");
    send(client, "{\"type\":\"ping\",\"ackId\":1}");

    assertThat(received).containsExactly("{\"type\":\"pong\"}", "{\"type\":\"pong\"}");
  }

  @Test
  void sequenceAckReleasesTheMessagesAReliableClientReceived() {
    List<String> received = new ArrayList<>();
    ClientConnection client =
        connect("c1", ClientConnection.RELIABLE_PROTOCOL, ALL_ROLES, received);
    this.hub.join(client, "g");
    for (int i = 0; i < 3; i++) {
      send(
          client,
          "{\"type\":\"sendToGroup\",\"group\":\"g\",\"dataType\":\"text\",\"data\":\"m\"}");
    }
    assertThat(client.retainedCount()).isEqualTo(3);
    assertThat(json(received.get(2)).path("sequenceId").asLong()).isEqualTo(3);

    send(client, "{\"type\":\"sequenceAck\",\"sequenceId\":2}");
    assertThat(client.retainedCount()).isEqualTo(1);
    send(client, "{\"type\":\"sequenceAck\",\"sequenceId\":-1}");
    assertThat(client.retainedCount()).isEqualTo(1);
    send(client, "{\"type\":\"sequenceAck\",\"sequenceId\":18446744073709551615}");
    assertThat(client.retainedCount()).isZero();
  }

  // ---- user events ----

  @Test
  void eventsAreAckedNotFoundWhenTheHubHasNoEventHandler() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);

    send(
        client,
        "{\"type\":\"event\",\"event\":\"chat\",\"dataType\":\"text\",\"data\":\"x\",\"ackId\":1}");
    send(client, "{\"type\":\"event\",\"event\":\"bad name!\",\"data\":\"x\",\"ackId\":2}");

    assertAck(received.get(0), 1, "NotFound", "No event handler is configured for hub chat");
    assertAck(received.get(1), 2, "BadRequest", "Invalid event name 'bad name!'");
  }

  // ---- frames that are not messages ----

  @Test
  void framesThatAreNotJsonObjectsCloseAJsonClientWith1003() {
    for (String frame : List.of("not json", "[1]", "")) {
      List<String> received = new ArrayList<>();
      ClientConnection client =
          connect("c-" + frame.length(), ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);
      send(client, frame);
      assertThat(client.currentTransport().closed).as(frame).isTrue();
      assertThat(client.currentTransport().closeStatus()).isEqualTo(1003);
      assertThat(client.currentTransport().closeReason())
          .isEqualTo("Invalid message: json.webpubsub.azure.v1 expects JSON text frames");
    }
  }

  @Test
  void binaryFramesCloseAJsonClientWith1003() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);

    FRAMES
        .onFrame(client, new ClientFrames.Frame(false, true, "{\"type\":\"ping\"}".getBytes()))
        .block(Duration.ofSeconds(10));

    assertThat(client.currentTransport().closeStatus()).isEqualTo(1003);
    assertThat(received).isEmpty();
  }

  @Test
  void controlFramesAreNotMessages() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);

    FRAMES
        .onFrame(client, new ClientFrames.Frame(false, false, "{\"type\":\"ping\"}".getBytes()))
        .block(Duration.ofSeconds(10));

    assertThat(received).isEmpty();
    assertThat(client.currentTransport().closed).isFalse();
  }

  @Test
  void aPlainClientsFramesNeedAnEventHandlerOrTheClientIsClosedWith1011() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", null, Set.of(), received);

    send(client, "hello");

    assertThat(client.currentTransport().closeStatus()).isEqualTo(1011);
    assertThat(client.currentTransport().closeReason())
        .isEqualTo("No event handler is configured for hub chat");
  }

  // ---- messages that take no ackId ----

  @Test
  void pingAndSequenceAckIgnoreTheirAckIdEvenAnInvalidOne() {
    List<String> received = new ArrayList<>();
    ClientConnection client = connect("c1", ClientConnection.JSON_PROTOCOL, ALL_ROLES, received);

    send(client, "{\"type\":\"ping\",\"ackId\":\"not a number\"}");
    send(client, "{\"type\":\"sequenceAck\",\"sequenceId\":1,\"ackId\":-1}");

    assertThat(received).containsExactly("{\"type\":\"pong\"}");
  }

  @Test
  void aSequenceAckWithoutSequenceIdIsIgnored() {
    List<String> received = new ArrayList<>();
    ClientConnection client =
        connect("c1", ClientConnection.RELIABLE_PROTOCOL, ALL_ROLES, received);
    this.hub.join(client, "g");
    send(client, "{\"type\":\"sendToGroup\",\"group\":\"g\",\"dataType\":\"text\",\"data\":\"m\"}");

    send(client, "{\"type\":\"sequenceAck\"}");
    send(client, "{\"type\":\"sequenceAck\",\"sequenceId\":\"1\"}");

    assertThat(client.retainedCount()).isEqualTo(1);
    assertThat(received).hasSize(1);
  }

  @Test
  void aNullAckIdAsksForNoAckButTheMessageIsProcessed() {
    List<String> received = new ArrayList<>();
    ClientConnection client =
        connect("c1", ClientConnection.RELIABLE_PROTOCOL, ALL_ROLES, received);

    send(client, "{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":null}");

    assertThat(client.groups()).containsExactly("g");
    assertThat(received).isEmpty();
  }

  @Test
  void aSendToGroupWithStreamStartsAStreamInsteadOfSendingAMessage() {
    List<String> sender = new ArrayList<>();
    List<String> member = new ArrayList<>();
    ClientConnection alice = connect("a", ClientConnection.JSON_PROTOCOL, ALL_ROLES, sender);
    ClientConnection bob = connect("b", ClientConnection.JSON_PROTOCOL, ALL_ROLES, member);
    this.hub.join(bob, "room");

    send(alice, "{\"type\":\"sendToGroup\",\"group\":\"room\",\"stream\":{\"streamId\":\"s1\"}}");

    assertThat(member).isEmpty();
    assertThat(sender).hasSize(1);
    JsonNode ack = json(sender.get(0));
    assertThat(ack.path("type").asString()).isEqualTo("streamAck");
    assertThat(ack.path("streamId").asString()).isEqualTo("s1");
    assertThat(ack.path("expectedSequenceId").asLong()).isEqualTo(1);
  }

  // ---- protobuf clients ----

  static void sendBytes(ClientConnection connection, boolean text, byte[] bytes) {
    FRAMES
        .onFrame(connection, new ClientFrames.Frame(text, true, bytes))
        .block(Duration.ofSeconds(10));
  }

  ClientConnection connectProtobuf(List<DownstreamMessage> received) {
    ClientConnection connection =
        new ClientConnection(
            "p1", this.hub, "user-p1", ClientConnection.PROTOBUF_PROTOCOL, ALL_ROLES, 64, 1 << 20);
    this.hub.add(connection, List.of());
    connection
        .messages(
            (message, payload) -> {
              payload.release();
              return message;
            })
        .subscribe(
            (message) -> {
              try {
                received.add(DownstreamMessage.parseFrom(message.protobufBytes()));
              } catch (InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
              }
            });
    return connection;
  }

  @Test
  void aProtobufClientsMessagesAreHandledAsTheirJsonForm() {
    List<DownstreamMessage> received = new ArrayList<>();
    ClientConnection client = connectProtobuf(received);

    sendBytes(
        client,
        false,
        UpstreamMessage.newBuilder()
            .setPingMessage(UpstreamMessage.PingMessage.getDefaultInstance())
            .build()
            .toByteArray());
    sendBytes(
        client,
        false,
        UpstreamMessage.newBuilder()
            .setJoinGroupMessage(
                UpstreamMessage.JoinGroupMessage.newBuilder().setGroup("g").setAckId(7))
            .build()
            .toByteArray());
    // Unknown to the emulator (no message set): ignored.
    sendBytes(client, false, new byte[0]);

    assertThat(received).hasSize(2);
    assertThat(received.get(0).hasPongMessage()).isTrue();
    assertThat(received.get(1).getAckMessage().getAckId()).isEqualTo(7);
    assertThat(received.get(1).getAckMessage().getSuccess()).isTrue();
    assertThat(client.groups()).containsExactly("g");
    assertThat(client.currentTransport().closed).isFalse();
  }

  @Test
  void aTextFrameOrBytesThatAreNotAnUpstreamMessageDeclineAProtobufClientWith1003() {
    String reason =
        "Invalid message: protobuf.webpubsub.azure.v1 expects binary frames, each one serialized"
            + " UpstreamMessage";
    for (boolean text : List.of(true, false)) {
      List<DownstreamMessage> received = new ArrayList<>();
      ClientConnection client = connectProtobuf(received);
      byte[] frame =
          text
              ? UpstreamMessage.newBuilder()
                  .setPingMessage(UpstreamMessage.PingMessage.getDefaultInstance())
                  .build()
                  .toByteArray()
              : new byte[] {(byte) 0xFF, (byte) 0xFF};

      sendBytes(client, text, frame);
      // Once declined, its messages are not handled any more.
      sendBytes(
          client,
          false,
          UpstreamMessage.newBuilder()
              .setJoinGroupMessage(UpstreamMessage.JoinGroupMessage.newBuilder().setGroup("g"))
              .build()
              .toByteArray());

      assertThat(client.currentTransport().closeStatus()).as("text %s", text).isEqualTo(1003);
      assertThat(client.currentTransport().closeReason()).isEqualTo(reason);
      assertThat(client.groups()).isEmpty();
      assertThat(received).hasSize(1);
      assertThat(received.get(0).getSystemMessage().getDisconnectedMessage().getReason())
          .isEqualTo(reason);
    }
  }

  // ---- frames ----

  @Test
  void textAndBinaryWebSocketFramesAreDataOthersAreNot() {
    ClientFrames.Frame text = ClientFrames.Frame.copy(new TextWebSocketFrame("hi"));
    ClientFrames.Frame binary =
        ClientFrames.Frame.copy(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})));
    ClientFrames.Frame ping =
        ClientFrames.Frame.copy(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {2})));

    assertThat(text.text()).isTrue();
    assertThat(text.data()).isTrue();
    assertThat(text.bytes()).containsExactly('h', 'i');
    assertThat(binary.text()).isFalse();
    assertThat(binary.data()).isTrue();
    assertThat(binary.bytes()).containsExactly(1);
    assertThat(ping.text()).isFalse();
    assertThat(ping.data()).isFalse();
  }

  @Test
  void contentTypesMapToDataTypesIgnoringParametersAndCase() {
    assertThat(DataType.ofContentType("text/plain; charset=utf-8")).isEqualTo(DataType.TEXT);
    assertThat(DataType.ofContentType(" Application/JSON ")).isEqualTo(DataType.JSON);
    assertThat(DataType.ofContentType("text/json")).isEqualTo(DataType.JSON);
    assertThat(DataType.ofContentType("application/octet-stream")).isEqualTo(DataType.BINARY);
    assertThat(DataType.ofContentType("application/x-protobuf")).isEqualTo(DataType.PROTOBUF);
    assertThat(DataType.ofContentType(";text/plain")).isNull();
    assertThat(DataType.ofContentType("image/png")).isNull();
    assertThat(DataType.ofContentType(null)).isNull();
    assertThat(DataType.TEXT.contentType()).isEqualTo("text/plain");
    assertThat(DataType.PROTOBUF.contentType()).isEqualTo("application/x-protobuf");
  }
}
