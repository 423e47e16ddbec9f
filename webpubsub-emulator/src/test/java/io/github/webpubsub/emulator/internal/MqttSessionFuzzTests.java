package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes what an MQTT client's bytes mean: Netty's decoder (as in the channel pipeline) and then
 * {@link MqttSession}, after a valid CONNECT of the version the input's first byte picks, on a hub
 * with no event handler. Whatever follows, the session ends once the input does (no hang, no
 * exception), every packet it wrote encodes, and its connection is gone from the hub afterwards.
 */
class MqttSessionFuzzTests {

  private static final EmulatorServer SERVER =
      EmulatorServer.start("127.0.0.1", 0, "fuzz-test-access-key-of-at-least-32-bytes", 64);

  private static final MqttEndpoint ENDPOINT = new MqttEndpoint(SERVER);

  private static final AttributeKey<MqttVersion> VERSION =
      AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

  @FuzzTest(maxDuration = "5s")
  @Timeout(20)
  void everyInputEndsTheSessionCleanly(FuzzedDataProvider data) {
    MqttVersion version = data.consumeBoolean() ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
    byte[] bytes = data.consumeRemainingAsBytes();
    EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    encoder.attr(VERSION).set(version);
    encoder.writeOutbound(
        MqttMessageBuilders.connect()
            .protocolVersion(version)
            .clientId("fuzz1")
            .cleanSession(true)
            .keepAlive(60)
            .build());
    EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(MqttEndpoint.MAX_PACKET, 128));
    decoder.writeInbound((Object) encoder.readOutbound());
    decoder.writeInbound(Unpooled.wrappedBuffer(bytes));
    List<Object> packets = new ArrayList<>();
    Object packet;
    while ((packet = decoder.readInbound()) != null) {
      packets.add(packet);
    }
    MqttSession session =
        new MqttSession(
            ENDPOINT,
            new MqttSession.Upgrade(
                "fuzz",
                "physical1",
                "user1",
                List.of("webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"),
                List.of(),
                Map.of(),
                Map.of(),
                Map.of()));
    List<Object> written = new ArrayList<>();
    reactor.core.publisher.Mono<List<Object>> outbound =
        session.outbound().doOnNext(written::add).collectList().cache();
    outbound.subscribe();
    try {
      session
          .inbound(reactor.core.publisher.Flux.fromIterable(packets))
          .block(Duration.ofSeconds(10));
      outbound.block(Duration.ofSeconds(10));
      MqttMessage disconnect = session.finalDisconnect();
      if (disconnect != null) {
        written.add(disconnect);
      }
      session.finish();
    } finally {
      packets.forEach(ReferenceCountUtil::release);
      decoder.finishAndReleaseAll();
    }
    // The CONNECT was valid: the first packet written is its CONNACK, and every packet encodes.
    assertThat(written).isNotEmpty();
    assertThat(((MqttMessage) written.get(0)).fixedHeader().messageType())
        .isEqualTo(io.netty.handler.codec.mqtt.MqttMessageType.CONNACK);
    for (Object message : written) {
      encoder.writeOutbound(message);
    }
    encoder.finishAndReleaseAll();
    Hub hub = SERVER.existingHub("fuzz");
    assertThat((hub != null) ? hub.connection("fuzz1") : null).isNull();
  }
}
