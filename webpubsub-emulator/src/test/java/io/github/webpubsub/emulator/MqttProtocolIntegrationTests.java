package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MQTT endpoint at the byte level: packets across and within WebSocket frames, what the service
 * refuses and how (SUBACK and DISCONNECT reason codes, CONNACK return codes), QoS 2, keep-alive,
 * client ID take-over, and hostile input.
 */
class MqttProtocolIntegrationTests {

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator = new WebPubSubEmulatorExtension();

  private static final List<String> ROLES =
      List.of("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup");

  private final List<RawMqttClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    this.clients.forEach(RawMqttClient::close);
  }

  private static String url(String hub) {
    return "http://localhost:" + emulator.getEmulator().getPort() + "/clients/mqtt/hubs/" + hub;
  }

  private RawMqttClient socket(String hub, MqttVersion version) {
    String token =
        new TestJwt(emulator.getEmulator().getAccessKey())
            .clientToken(url(hub), "u1", ROLES, List.of(), 60);
    RawMqttClient client =
        RawMqttClient.connect(
            URI.create(url(hub).replace("http", "ws") + "?access_token=" + token), version);
    this.clients.add(client);
    return client;
  }

  private static MqttMessage connect(MqttVersion version, String clientId, int keepAlive) {
    return MqttMessageBuilders.connect()
        .protocolVersion(version)
        .clientId(clientId)
        .cleanSession(true)
        .keepAlive(keepAlive)
        .build();
  }

  private RawMqttClient connected(String hub, MqttVersion version, String clientId) {
    RawMqttClient client = socket(hub, version);
    client.send(connect(version, clientId, 60));
    await().until(() -> !client.received().isEmpty());
    assertThat(connAckCode(client.received().get(0))).isZero();
    return client;
  }

  private static int connAckCode(MqttMessage message) {
    return ((MqttConnAckMessage) message).variableHeader().connectReturnCode().byteValue() & 0xFF;
  }

  private static int disconnectCode(MqttMessage message) {
    assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
    return ((MqttReasonCodeAndPropertiesVariableHeader) message.variableHeader()).reasonCode()
        & 0xFF;
  }

  private static MqttMessage last(RawMqttClient client) {
    return client.received().get(client.received().size() - 1);
  }

  @Test
  void packetsSplitAcrossFramesAndSeveralInOneFrameAreDecoded() {
    RawMqttClient client = socket("split", MqttVersion.MQTT_5);
    byte[] connect = client.encode(connect(MqttVersion.MQTT_5, "split1", 60));
    client.sendFrames(
        Arrays.copyOfRange(connect, 0, 1),
        Arrays.copyOfRange(connect, 1, 5),
        Arrays.copyOfRange(connect, 5, connect.length));
    await().until(() -> client.received().size() == 1);
    byte[] subscribe =
        client.encode(
            MqttMessageBuilders.subscribe()
                .messageId(7)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "t")
                .build());
    byte[] ping =
        client.encode(
            new MqttMessage(
                new MqttFixedHeader(
                    MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
    byte[] both = new byte[subscribe.length + ping.length];
    System.arraycopy(subscribe, 0, both, 0, subscribe.length);
    System.arraycopy(ping, 0, both, subscribe.length, ping.length);
    client.sendFrames(both);
    await().until(() -> client.received().size() == 3);
    MqttSubAckMessage subAck = (MqttSubAckMessage) client.received().get(1);
    assertThat(subAck.variableHeader().messageId()).isEqualTo(7);
    assertThat(subAck.payload().reasonCodes()).containsExactly(1);
    assertThat(client.received().get(2).fixedHeader().messageType())
        .isEqualTo(MqttMessageType.PINGRESP);
  }

  @Test
  void mqtt5SharedAndWildcardSubscriptionsAreRefusedInTheSuback() {
    RawMqttClient client = connected("refuse", MqttVersion.MQTT_5, "ref1");
    client.send(
        MqttMessageBuilders.subscribe()
            .messageId(1)
            .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g/t")
            .addSubscription(MqttQoS.AT_LEAST_ONCE, "a/#")
            .addSubscription(MqttQoS.AT_LEAST_ONCE, "a/+/b")
            .addSubscription(MqttQoS.EXACTLY_ONCE, "plain")
            .build());
    await().until(() -> client.received().size() == 2);
    assertThat(((MqttSubAckMessage) client.received().get(1)).payload().reasonCodes())
        .containsExactly(0x9E, 0xA2, 0xA2, 1);
  }

  @Test
  void mqtt5TopicAliasAndRetainedPublishesEndTheConnectionWithTheirReasonCodes() {
    RawMqttClient alias = connected("alias", MqttVersion.MQTT_5, "alias1");
    MqttProperties properties = new MqttProperties();
    properties.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, 1));
    alias.send(
        MqttMessageBuilders.publish()
            .topicName("t")
            .qos(MqttQoS.AT_MOST_ONCE)
            .properties(properties)
            .payload(Unpooled.wrappedBuffer(new byte[] {1}))
            .build());
    await().until(() -> alias.received().size() == 2);
    assertThat(disconnectCode(last(alias))).isEqualTo(0x94);
    await().until(alias::isClosed);

    RawMqttClient retain = connected("alias", MqttVersion.MQTT_5, "retain1");
    retain.send(
        MqttMessageBuilders.publish()
            .topicName("t")
            .qos(MqttQoS.AT_MOST_ONCE)
            .retained(true)
            .payload(Unpooled.wrappedBuffer(new byte[] {1}))
            .build());
    await().until(() -> retain.received().size() == 2);
    assertThat(disconnectCode(last(retain))).isEqualTo(0x9A);
  }

  @Test
  void qos2PublishIsDeliveredOnceWithPubrecAndPubcomp() {
    RawMqttClient subscriber = connected("qos2", MqttVersion.MQTT_3_1_1, "sub1");
    subscriber.send(
        MqttMessageBuilders.subscribe()
            .messageId(1)
            .addSubscription(MqttQoS.EXACTLY_ONCE, "t")
            .build());
    await().until(() -> subscriber.received().size() == 2);
    RawMqttClient publisher = connected("qos2", MqttVersion.MQTT_3_1_1, "pub1");
    MqttPublishMessage publish =
        MqttMessageBuilders.publish()
            .topicName("t")
            .qos(MqttQoS.EXACTLY_ONCE)
            .messageId(5)
            .payload(Unpooled.wrappedBuffer("x".getBytes(StandardCharsets.UTF_8)))
            .build();
    byte[] bytes = publisher.encode(publish);
    publisher.sendFrames(bytes, bytes); // a resend before PUBREL: delivered once
    await().until(() -> publisher.received().size() == 3);
    assertThat(publisher.received().get(1).fixedHeader().messageType())
        .isEqualTo(MqttMessageType.PUBREC);
    publisher.send(
        new MqttMessage(
            new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 0),
            MqttMessageIdVariableHeader.from(5)));
    await().until(() -> publisher.received().size() == 4);
    assertThat(last(publisher).fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBCOMP);
    await().until(() -> subscriber.received().size() == 3);
    MqttPublishMessage delivered = (MqttPublishMessage) subscriber.received().get(2);
    // Granted QoS 1 (the emulator never publishes at QoS 2).
    assertThat(delivered.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
    assertThat(delivered.payload().toString(StandardCharsets.UTF_8)).isEqualTo("x");
    // PUBACK of the delivery, then nothing more arrives: the resend was not delivered again.
    subscriber.send(
        new MqttMessage(
            new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
            MqttMessageIdVariableHeader.from(delivered.variableHeader().packetId())));
    subscriber.send(
        new MqttMessage(
            new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
    await().until(() -> subscriber.received().size() == 4);
    assertThat(last(subscriber).fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
  }

  @Test
  void keepAliveTimeoutIsOneAndAHalfTimesTheKeepAlive() {
    RawMqttClient client = socket("keepalive", MqttVersion.MQTT_5);
    long start = System.nanoTime();
    client.send(connect(MqttVersion.MQTT_5, "ka1", 1));
    await().until(() -> client.received().size() == 2);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(disconnectCode(last(client))).isEqualTo(0x8D);
    assertThat(millis).isBetween(1400L, 5000L);
  }

  @Test
  void connectRefusalsUseTheReturnCodesOfTheClientsVersion() {
    RawMqttClient zeroKeepAlive = socket("refusals", MqttVersion.MQTT_3_1_1);
    zeroKeepAlive.send(connect(MqttVersion.MQTT_3_1_1, "k0", 0));
    await().until(() -> zeroKeepAlive.received().size() == 1);
    assertThat(connAckCode(zeroKeepAlive.received().get(0))).isEqualTo(3);
    await().until(zeroKeepAlive::isClosed);

    RawMqttClient mqtt31 = socket("refusals", MqttVersion.MQTT_3_1);
    mqtt31.send(connect(MqttVersion.MQTT_3_1, "old", 60));
    await().until(() -> mqtt31.received().size() == 1);
    assertThat(connAckCode(mqtt31.received().get(0))).isEqualTo(1);

    RawMqttClient badId = socket("refusals", MqttVersion.MQTT_5);
    badId.send(connect(MqttVersion.MQTT_5, "not-valid", 60));
    await().until(() -> badId.received().size() == 1);
    assertThat(connAckCode(badId.received().get(0))).isEqualTo(0x85);
  }

  @Test
  void aSecondConnectWithTheSameClientIdTakesTheSessionOver() {
    RawMqttClient first = connected("takeover", MqttVersion.MQTT_5, "same");
    RawMqttClient second = connected("takeover", MqttVersion.MQTT_5, "same");
    await().until(() -> first.received().size() == 2);
    assertThat(disconnectCode(last(first))).isEqualTo(0x8E);
    second.send(
        new MqttMessage(
            new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
    await().until(() -> second.received().size() == 2);
    assertThat(emulator.getEmulator().getConnectionCount()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void hostileInputClosesTheConnectionWithoutAnAnswer() {
    RawMqttClient text = socket("hostile", MqttVersion.MQTT_5);
    text.sendText("CONNECT");
    await().until(text::isClosed);
    assertThat(text.received()).isEmpty();

    RawMqttClient notConnect = socket("hostile", MqttVersion.MQTT_5);
    notConnect.send(
        new MqttMessage(
            new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
    await().until(notConnect::isClosed);
    assertThat(notConnect.received()).isEmpty();

    RawMqttClient garbage = socket("hostile", MqttVersion.MQTT_5);
    garbage.sendFrames(
        new byte[] {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    await().until(garbage::isClosed);
    assertThat(garbage.received()).isEmpty();
  }

  @Test
  void aPacketAboveOneMegabyteIsRefusedWithPacketTooLarge() {
    RawMqttClient client = connected("large", MqttVersion.MQTT_5, "big1");
    byte[] packet =
        client.encode(
            MqttMessageBuilders.publish()
                .topicName("t")
                .qos(MqttQoS.AT_MOST_ONCE)
                .payload(Unpooled.wrappedBuffer(new byte[1024 * 1024 + 1]))
                .build());
    // Two frames, each within the WebSocket limit: the MQTT packet is what is too large.
    client.sendFrames(
        Arrays.copyOfRange(packet, 0, 600_000), Arrays.copyOfRange(packet, 600_000, packet.length));
    await().until(() -> client.received().size() == 2);
    assertThat(disconnectCode(last(client))).isEqualTo(0x95);
  }

  /**
   * The MQTT endpoint ends its WebSocket as the client endpoint does: a frame above 1 MiB that the
   * client is still sending gets its 1009 and a FIN, not a reset that loses the close frame.
   */
  @Test
  void aFrameAboveOneMebibyteStillBeingSentGetsItsCloseStatus() throws IOException {
    String token =
        new TestJwt(emulator.getEmulator().getAccessKey())
            .clientToken(url("inflight"), "u1", ROLES, List.of(), 60);
    URI uri = URI.create(url("inflight").replace("http", "ws") + "?access_token=" + token);
    try (LogCapture log = new LogCapture();
        RawWebSocket client = RawWebSocket.connect(uri, "mqtt")) {
      assertThat(client.sendAll(RawWebSocket.frame(0x82, new byte[1024 * 1024 + 1]))).isNull();
      assertThat(client.readCloseStatus()).isEqualTo(1009);
      assertThat(client.endsInOrder()).as("a FIN after the close frame").isTrue();
      // The client's fault, not the emulator's: one quiet line, no warning blaming the emulator.
      await()
          .untilAsserted(() -> assertThat(log.lines()).anyMatch((line) -> line.contains("1 MiB")));
      assertThat(log.lines())
          .noneMatch(
              (line) -> line.contains("MQTT client failed") || line.contains("[stack trace]"));
    }
  }

  @Test
  void aPublishWithoutPermissionGetsPubackNotAuthorized() {
    String token =
        new TestJwt(emulator.getEmulator().getAccessKey())
            .clientToken(url("perm"), "u2", List.of(), List.of(), 60);
    RawMqttClient client =
        RawMqttClient.connect(
            URI.create(url("perm").replace("http", "ws") + "?access_token=" + token),
            MqttVersion.MQTT_5);
    this.clients.add(client);
    client.send(connect(MqttVersion.MQTT_5, "noperm", 60));
    await().until(() -> client.received().size() == 1);
    client.send(
        MqttMessageBuilders.publish()
            .topicName("t")
            .qos(MqttQoS.AT_LEAST_ONCE)
            .messageId(3)
            .payload(Unpooled.wrappedBuffer(new byte[] {1}))
            .build());
    await().until(() -> client.received().size() == 2);
    MqttMessage puback = last(client);
    assertThat(puback.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
    assertThat(((MqttPubReplyMessageVariableHeader) puback.variableHeader()).reasonCode() & 0xFF)
        .isEqualTo(0x87);
  }

  @Test
  void anUpgradeWithoutATokenIsRefusedBeforeAnythingExists() {
    assertThat(TestClient.upgradeStatus(URI.create(url("notoken").replace("http", "ws")), "mqtt"))
        .isEqualTo(401);
  }
}
