package io.github.webpubsub.emulator.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One MQTT client's WebSocket: Netty's MQTT codec in the channel pipeline (WebSocket binary frames
 * carry a byte stream of packets), the CONNECT with its {@code connect} event, and then topics as
 * groups. The session lives as long as the WebSocket (no persistent sessions): every CONNACK says
 * Session Present 0 and, to 5.0 clients, Session Expiry Interval 0.
 */
final class MqttSession {

  private static final System.Logger LOG = System.getLogger(MqttSession.class.getName());

  /** How long a client has to send CONNECT after the upgrade. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Where messages to a connection, a user or the whole hub arrive. */
  static final String SERVER_MESSAGES = "$webpubsub/server/messages";

  /** Publishing to {@code $webpubsub/server/events/{event}} raises a user event. */
  static final String EVENTS = "$webpubsub/server/events/";

  private static final String RESERVED = "$webpubsub/";

  /** Acknowledgements and other control packets waiting to be written. */
  static final int MAX_CONTROL_PACKETS = 1024;

  static final int MAX_WILL_TOPIC = 1024;

  static final int MAX_WILL_PAYLOAD = 2000;

  private static final Pattern CLIENT_ID = Pattern.compile("[0-9a-zA-Z]{1,128}");

  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*;.*)?");

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** What the upgrade established: hub, WebSocket id, token identity, the connect event's input. */
  record Upgrade(
      String hub,
      String physicalConnectionId,
      @Nullable String userId,
      List<String> roles,
      List<String> groups,
      Map<String, List<String>> claims,
      Map<String, List<String>> query,
      Map<String, List<String>> headers) {}

  /** A subscription's options: granted QoS, No Local, the 5.0 subscription identifier. */
  private record Subscription(int qos, boolean noLocal, @Nullable Integer identifier) {}

  /** A will message, published when the session ends without a normal DISCONNECT. */
  private record Will(String topic, byte[] payload, int qos, DataType type) {}

  /** An inbound PUBLISH, copied out of Netty's buffer. */
  private record Publish(
      String topic,
      int qos,
      boolean retain,
      int packetId,
      MqttProperties properties,
      byte[] payload) {

    static Publish copy(MqttPublishMessage message) {
      return new Publish(
          message.variableHeader().topicName(),
          message.fixedHeader().qosLevel().value(),
          message.fixedHeader().isRetain(),
          message.variableHeader().packetId(),
          message.variableHeader().properties(),
          ByteBufUtil.getBytes(message.payload()));
    }
  }

  /** A PUBLISH on its way out: a hub message (origin set) or a user event's reply. */
  private record Pending(
      @Nullable String topic,
      int qos,
      OutboundMessage.@Nullable Origin origin,
      ByteBuf payload,
      MqttProperties properties) {}

  /** The marker the frame handler sends up for a text frame (MQTT needs binary frames). */
  private enum TextFrame {
    INSTANCE
  }

  private final MqttEndpoint endpoint;

  private final Upgrade upgrade;

  private final Upstream.MqttIds ids;

  private final Sinks.One<MqttMessage> connack = Sinks.one();

  private final Sinks.Many<MqttMessage> control =
      Sinks.many()
          .unicast()
          .onBackpressureBuffer(Queues.<MqttMessage>get(MAX_CONTROL_PACKETS).get());

  private final Sinks.Many<Pending> replies =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<Pending>get(16).get());

  private final Sinks.Empty<Void> hubDone = Sinks.empty();

  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

  /** Packet ids of QoS 2 publishes received and not yet released (PUBREL). */
  private final Set<Integer> qos2 = ConcurrentHashMap.newKeySet();

  private volatile boolean v5;

  private volatile boolean connectSeen;

  private volatile @Nullable ClientConnection connection;

  private volatile @Nullable Duration keepAliveTimeout;

  private final Disposable.Swap timer = Disposables.swap();

  private volatile long clientMaxPacket = Long.MAX_VALUE;

  private volatile PacketIds packetIds = new PacketIds(65535);

  private volatile @Nullable Will will;

  private volatile boolean clientGone;

  private volatile int closeStatus = 1000;

  /** The DISCONNECT reason code the server sends (5.0) and its reason, once decided. */
  private volatile @Nullable Integer serverCode;

  private volatile @Nullable String serverReason;

  /** The client's DISCONNECT, if it sent one. */
  private volatile @Nullable MqttReasonCodeAndPropertiesVariableHeader clientDisconnect;

  private volatile boolean clientSentDisconnect;

  private volatile String clientReason = "Client closed the connection";

  MqttSession(MqttEndpoint endpoint, Upgrade upgrade) {
    this.endpoint = endpoint;
    this.upgrade = upgrade;
    this.ids =
        new Upstream.MqttIds(
            upgrade.physicalConnectionId(), UUID.randomUUID().toString().replace("-", ""));
  }

  Mono<Void> run(WebsocketInbound in, WebsocketOutbound out) {
    in.withConnection(ClosingHandshake::install);
    in.withConnection(
        (c) ->
            c.addHandlerLast("webpubsub.mqtt.frames", new FrameBytes())
                .addHandlerLast(
                    "webpubsub.mqtt.decoder", new MqttDecoder(MqttEndpoint.MAX_PACKET, 128))
                .addHandlerLast("webpubsub.mqtt.encoder", MqttEncoder.INSTANCE));
    in.receiveCloseStatus()
        .subscribe(
            (status) -> {
              if (status.reasonText() != null && !status.reasonText().isEmpty()) {
                this.clientReason = status.reasonText();
              }
            });
    Mono<Void> inbound = inbound(in.receiveObject());
    Mono<Void> outbound =
        out.sendObject(outbound())
            .then()
            .then(Mono.defer(() -> finalDisconnect(out)))
            .then(Mono.defer(() -> out.sendClose(this.closeStatus, closeReason())))
            .onErrorResume((error) -> Mono.empty());
    return Mono.when(inbound, outbound).doFinally((signal) -> finish());
  }

  /**
   * Processes the decoded packets (and frame markers) one after the other, with the CONNECT timeout
   * and then 1.5 times the keep-alive between two packets; completes when the client is gone.
   */
  Mono<Void> inbound(Flux<?> packets) {
    return packets
        .doOnSubscribe((subscription) -> arm(CONNECT_TIMEOUT))
        .doOnNext(this::activity)
        .map((msg) -> (msg instanceof MqttPublishMessage p) ? Publish.copy(p) : msg)
        .concatMap(this::onPacket)
        .then()
        .onErrorResume(
            (error) -> {
              if (error instanceof CorruptedWebSocketFrameException refused) {
                // The client's fault: Netty's decoder refused a frame and already closed the
                // WebSocket (1009 or 1002); one line, nothing that blames the emulator.
                boolean tooLarge = refused.closeStatus() == WebSocketCloseStatus.MESSAGE_TOO_BIG;
                String reason =
                    tooLarge
                        ? "The client sent a WebSocket frame above 1 MiB"
                        : "The client sent a malformed WebSocket frame";
                LOG.log(System.Logger.Level.INFO, "MQTT connection closed: " + reason);
                violation(
                    tooLarge ? MqttCodes.PACKET_TOO_LARGE : MqttCodes.MALFORMED_PACKET, reason);
                return Mono.empty();
              }
              LOG.log(System.Logger.Level.WARNING, "MQTT client failed: " + error);
              violation(MqttCodes.UNSPECIFIED, "The emulator failed: " + error);
              return Mono.empty();
            })
        .doFinally(
            (signal) -> {
              this.timer.dispose();
              clientEnded();
            });
  }

  /**
   * Restarts the deadline of the next packet: after CONNECT 1.5 times its keep-alive (none for 0).
   * A timer rather than a timeout operator: cancelling Reactor Netty's inbound would close the
   * socket before the DISCONNECT is written.
   */
  private void activity(Object packet) {
    if (packet instanceof MqttConnectMessage connect) {
      int seconds = connect.variableHeader().keepAliveTimeSeconds();
      this.keepAliveTimeout = (seconds > 0) ? Duration.ofMillis(seconds * 1500L) : null;
    } else if (!this.connectSeen) {
      return; // the CONNECT deadline stands
    }
    Duration timeout = this.keepAliveTimeout;
    if (timeout != null) {
      arm(timeout);
    } else {
      this.timer.update(null);
    }
  }

  private void arm(Duration timeout) {
    this.timer.update(Mono.delay(timeout).subscribe((tick) -> timedOut()));
  }

  private void timedOut() {
    if (this.connection == null) {
      fail("No CONNECT within " + CONNECT_TIMEOUT.toSeconds() + " s", 1000);
    } else {
      violation(
          MqttCodes.KEEP_ALIVE_TIMEOUT,
          "Keep alive timeout: no packet within 1.5 times the keep alive");
    }
  }

  // ---- Outbound ----

  /** The packets to write: CONNACK first, then acknowledgements and publishes; ends on close. */
  Flux<Object> outbound() {
    return this.connack
        .asMono()
        .flatMapMany(
            (ack) -> {
              ClientConnection current = this.connection;
              if (current == null
                  || ack.variableHeader() instanceof MqttConnAckVariableHeader h
                      && h.connectReturnCode() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                return Flux.just(ack);
              }
              return Flux.concat(
                  Mono.just(ack),
                  Flux.merge(
                      this.control.asFlux().takeUntilOther(this.hubDone.asMono()),
                      publishes(current)));
            });
  }

  private Flux<MqttPublishMessage> publishes(ClientConnection current) {
    Flux<Pending> fromHub =
        current
            .messages(
                (message, payload) ->
                    new Pending(null, 0, message.origin(), payload, MqttProperties.NO_PROPERTIES))
            .doOnTerminate(this.hubDone::tryEmitEmpty)
            .doOnCancel(this.hubDone::tryEmitEmpty);
    return Flux.merge(fromHub, this.replies.asFlux().takeUntilOther(this.hubDone.asMono()))
        .concatMap(this::toPublish);
  }

  /** A pending message as this client gets it: topic, QoS, 5.0 properties and a packet id. */
  private Mono<MqttPublishMessage> toPublish(Pending pending) {
    String topic = pending.topic();
    int qos = pending.qos();
    MqttProperties properties = pending.properties();
    OutboundMessage.Origin origin = pending.origin();
    if (origin != null) {
      String group = origin.group();
      topic = (group != null) ? group : SERVER_MESSAGES;
      Subscription subscription = this.subscriptions.get(topic);
      // Groups joined by token, connect answer or REST have the default options: QoS 1.
      int granted = (subscription != null) ? subscription.qos() : 1;
      qos = Math.min(Math.min(origin.qos(), granted), 1);
      if (this.v5) {
        properties = new MqttProperties();
        properties.add(
            new MqttProperties.StringProperty(
                MqttProperties.CONTENT_TYPE, origin.type().contentType()));
        if (origin.type() != DataType.BINARY) {
          properties.add(
              new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
        }
        if (subscription != null && subscription.identifier() != null) {
          properties.add(
              new MqttProperties.IntegerProperty(
                  MqttProperties.SUBSCRIPTION_IDENTIFIER, subscription.identifier()));
        }
      }
    }
    if (topic == null) {
      pending.payload().release();
      return Mono.empty();
    }
    // MQTT 5: a packet larger than the client's Maximum Packet Size is dropped, not sent.
    long size = 16L + 3L * topic.length() + pending.payload().readableBytes() + 512;
    if (size > this.clientMaxPacket) {
      pending.payload().release();
      return Mono.empty();
    }
    String finalTopic = topic;
    MqttProperties finalProperties = properties;
    if (qos == 0) {
      return Mono.just(publish(finalTopic, 0, 0, finalProperties, pending.payload()));
    }
    return this.packetIds
        .acquire()
        .map((id) -> publish(finalTopic, 1, id, finalProperties, pending.payload()));
  }

  private static MqttPublishMessage publish(
      String topic, int qos, int packetId, MqttProperties properties, ByteBuf payload) {
    return new MqttPublishMessage(
        new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), false, 0),
        new MqttPublishVariableHeader(topic, packetId, properties),
        payload);
  }

  private void send(MqttMessage message) {
    if (this.control.tryEmitNext(message).isFailure()) {
      io.netty.util.ReferenceCountUtil.release(message);
      violation(
          MqttCodes.QUOTA_EXCEEDED,
          "Connection closed: the client did not read its acknowledgements ("
              + MAX_CONTROL_PACKETS
              + " queued)");
    }
  }

  private Mono<Void> finalDisconnect(WebsocketOutbound out) {
    MqttMessage disconnect = finalDisconnect();
    return (disconnect != null) ? out.sendObject(disconnect).then() : Mono.empty();
  }

  /** The DISCONNECT a 5.0 client gets when the server ends its session, else {@code null}. */
  @Nullable MqttMessage finalDisconnect() {
    Integer code = this.serverCode;
    ClientConnection current = this.connection;
    if (!this.v5 || this.clientGone || current == null) {
      return null;
    }
    if (code == null) {
      code = MqttCodes.ofCloseStatus(current.currentTransport().closeStatus());
      this.serverCode = code;
    }
    MqttProperties properties = new MqttProperties();
    String reason = closeReason();
    if (!reason.isEmpty()) {
      properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
    }
    return new MqttMessage(
        new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttReasonCodeAndPropertiesVariableHeader((byte) (int) code, properties));
  }

  private String closeReason() {
    String reason = this.serverReason;
    ClientConnection current = this.connection;
    if (reason == null && current != null) {
      reason = current.currentTransport().closeReason();
    }
    return ClientConnection.closeReason((reason != null) ? reason : "");
  }

  // ---- Inbound ----

  private Mono<Void> onPacket(Object packet) {
    if (this.clientGone || this.serverCode != null) {
      return Mono.empty();
    }
    if (packet == TextFrame.INSTANCE) {
      violation(MqttCodes.PROTOCOL_ERROR, "MQTT packets must be sent in binary WebSocket frames");
      return Mono.empty();
    }
    if (packet instanceof Publish publish) {
      return (this.connection != null) ? onPublish(publish) : ignoreBeforeConnect();
    }
    if (!(packet instanceof MqttMessage message)) {
      return Mono.empty();
    }
    if (message.decoderResult().isFailure()) {
      onInvalid(message);
      return Mono.empty();
    }
    MqttMessageType type = message.fixedHeader().messageType();
    if (type == MqttMessageType.CONNECT) {
      if (this.connectSeen) {
        violation(MqttCodes.PROTOCOL_ERROR, "A second CONNECT on one connection");
        return Mono.empty();
      }
      this.connectSeen = true;
      return onConnect((MqttConnectMessage) message);
    }
    ClientConnection current = this.connection;
    if (current == null) {
      return ignoreBeforeConnect();
    }
    switch (type) {
      case SUBSCRIBE -> onSubscribe(current, (MqttSubscribeMessage) message);
      case UNSUBSCRIBE -> onUnsubscribe(current, (MqttUnsubscribeMessage) message);
      case PUBACK -> this.packetIds.release(messageId(message));
      case PUBREL -> {
        int id = messageId(message);
        boolean known = this.qos2.remove(id);
        send(reply(MqttMessageType.PUBCOMP, id, known ? 0 : MqttCodes.PACKET_ID_NOT_FOUND));
      }
      case PUBREC, PUBCOMP -> {
        // This server never publishes at QoS 2.
      }
      case PINGREQ ->
          send(
              new MqttMessage(
                  new MqttFixedHeader(
                      MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
      case DISCONNECT -> {
        this.clientSentDisconnect = true;
        if (message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
          this.clientDisconnect = header;
          if (header.reasonCode() != MqttCodes.WITH_WILL) {
            this.will = null;
          }
          String reason = stringProperty(header.properties(), MqttProperties.REASON_STRING);
          this.clientReason = (reason != null) ? reason : "";
        } else {
          this.will = null;
          this.clientReason = "";
        }
        clientEnded();
      }
      default ->
          violation(
              MqttCodes.PROTOCOL_ERROR,
              "Unexpected "
                  + type
                  + " packet from a client"
                  + ((type == MqttMessageType.AUTH) ? " (no enhanced authentication)" : ""));
    }
    return Mono.empty();
  }

  private Mono<Void> ignoreBeforeConnect() {
    fail("The first packet must be CONNECT", 1002);
    return Mono.empty();
  }

  private void onInvalid(MqttMessage message) {
    Throwable cause = message.decoderResult().cause();
    if (this.connection == null && !this.connectSeen) {
      this.connectSeen = true;
      if (cause instanceof MqttUnacceptableProtocolVersionException) {
        reject(0x01, "Only MQTT 3.1.1 and 5.0 are supported", List.of());
        return;
      }
      if (cause instanceof MqttIdentifierRejectedException) {
        boolean five =
            message.variableHeader() instanceof MqttConnectVariableHeader h && h.version() == 5;
        this.v5 = five;
        reject(five ? 0x85 : 0x02, "Invalid client identifier", List.of());
        return;
      }
      fail("Malformed packet: " + cause.getMessage(), 1002);
      return;
    }
    if (cause instanceof TooLongFrameException) {
      violation(
          MqttCodes.PACKET_TOO_LARGE,
          "Packet too large: more than " + MqttEndpoint.MAX_PACKET + " bytes");
    } else {
      violation(MqttCodes.MALFORMED_PACKET, "Malformed packet: " + cause.getMessage());
    }
  }

  // ---- CONNECT ----

  private Mono<Void> onConnect(MqttConnectMessage connect) {
    MqttConnectVariableHeader header = connect.variableHeader();
    MqttVersion version;
    try {
      version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
    } catch (RuntimeException ex) {
      reject(0x01, "Only MQTT 3.1.1 and 5.0 are supported", List.of());
      return Mono.empty();
    }
    if (version == MqttVersion.MQTT_3_1) {
      reject(0x01, "Only MQTT 3.1.1 and 5.0 are supported", List.of());
      return Mono.empty();
    }
    boolean five = version == MqttVersion.MQTT_5;
    this.v5 = five;
    MqttProperties properties = header.properties();
    String clientId = connect.payload().clientIdentifier();
    boolean assigned = false;
    if (clientId == null || clientId.isEmpty()) {
      if (!five && !header.isCleanSession()) {
        reject(0x02, "An empty client identifier needs CleanSession", List.of());
        return Mono.empty();
      }
      clientId = UUID.randomUUID().toString().replace("-", "");
      assigned = true;
    } else if (!CLIENT_ID.matcher(clientId).matches()) {
      reject(five ? 0x85 : 0x02, "The client identifier must match [0-9a-zA-Z]{1,128}", List.of());
      return Mono.empty();
    }
    int keepAlive = header.keepAliveTimeSeconds();
    if (!five && (keepAlive < 1 || keepAlive > 180)) {
      reject(3, "Keep alive must be 1-180 s", List.of());
      return Mono.empty();
    }
    if (five && properties.getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
      reject(0x8C, "Enhanced authentication is not supported", List.of());
      return Mono.empty();
    }
    if (header.isWillFlag()) {
      String willTopic = connect.payload().willTopic();
      byte[] willPayload = connect.payload().willMessageInBytes();
      if (willTopic == null
          || willTopic.isBlank()
          || willTopic.length() > MAX_WILL_TOPIC
          || willTopic.contains("+")
          || willTopic.contains("#")) {
        reject(five ? MqttCodes.TOPIC_NAME_INVALID : 3, "Invalid will topic", List.of());
        return Mono.empty();
      }
      if (willPayload != null && willPayload.length > MAX_WILL_PAYLOAD) {
        reject(
            five ? MqttCodes.PACKET_TOO_LARGE : 3,
            "The will payload is larger than " + MAX_WILL_PAYLOAD + " bytes",
            List.of());
        return Mono.empty();
      }
      if (five && header.isWillRetain()) {
        reject(MqttCodes.RETAIN_NOT_SUPPORTED, "Retained messages are not supported", List.of());
        return Mono.empty();
      }
      this.will =
          new Will(
              willTopic,
              (willPayload != null) ? willPayload : new byte[0],
              header.willQos(),
              dataType(connect.payload().willProperties()));
    }
    if (five) {
      Object max = value(properties, MqttProperties.MAXIMUM_PACKET_SIZE);
      if (max instanceof Integer size && size > 0) {
        this.clientMaxPacket = size & 0xFFFFFFFFL;
      }
      Object receive = value(properties, MqttProperties.RECEIVE_MAXIMUM);
      if (receive instanceof Integer window && window > 0) {
        this.packetIds = new PacketIds(Math.min(window, 65535));
      }
    }
    ObjectNode mqtt = Json.MAPPER.createObjectNode();
    mqtt.put("protocolVersion", five ? 5 : 4);
    if (header.hasUserName() && connect.payload().userName() != null) {
      mqtt.put("username", connect.payload().userName());
    }
    byte[] password = connect.payload().passwordInBytes();
    if (header.hasPassword() && password != null) {
      mqtt.put("password", Base64.getEncoder().encodeToString(password));
    }
    if (five) {
      ArrayNode userProperties = userProperties(properties);
      if (!userProperties.isEmpty()) {
        mqtt.set("userProperties", userProperties);
      }
    }
    boolean wantsSession =
        five
            ? (value(properties, MqttProperties.SESSION_EXPIRY_INTERVAL) instanceof Integer expiry
                && expiry != 0)
            : !header.isCleanSession();
    String finalClientId = clientId;
    boolean finalAssigned = assigned;
    Upgrade up = this.upgrade;
    return this.endpoint
        .server()
        .upstream()
        .mqttConnect(
            up.hub(), clientId, this.ids, up.userId(), up.claims(), up.query(), up.headers(), mqtt)
        .map((answer) -> decide(answer, five))
        .defaultIfEmpty(new Decision(up.userId(), up.roles(), up.groups(), List.of(), null))
        .onErrorResume(
            (error) -> {
              LOG.log(
                  System.Logger.Level.WARNING, "MQTT connect event failed: " + error.getMessage());
              return Mono.just(
                  Decision.rejected(MqttCodes.connectRejection(five, 500, null), null, List.of()));
            })
        .doOnNext(
            (decision) -> {
              if (decision.code() != 0) {
                reject(decision.code(), decision.reason(), decision.userProperties());
              } else {
                accept(finalClientId, finalAssigned, wantsSession, decision);
              }
            })
        .then();
  }

  /** What the connect event decided: the identity to use, or a CONNACK refusal code. */
  private record Decision(
      @Nullable String userId,
      List<String> roles,
      List<String> groups,
      List<String[]> userProperties,
      @Nullable String connectionState,
      int code,
      @Nullable String reason) {

    Decision(
        @Nullable String userId,
        List<String> roles,
        List<String> groups,
        List<String[]> userProperties,
        @Nullable String connectionState) {
      this(userId, roles, groups, userProperties, connectionState, 0, null);
    }

    static Decision rejected(int code, @Nullable String reason, List<String[]> userProperties) {
      return new Decision(null, List.of(), List.of(), userProperties, null, code, reason);
    }
  }

  private Decision decide(Upstream.Answer answer, boolean five) {
    JsonNode body;
    try {
      body = answer.json();
    } catch (RuntimeException ex) {
      body = null;
    }
    JsonNode mqtt = (body != null && body.isObject()) ? body.get("mqtt") : null;
    List<String[]> userProperties = new ArrayList<>();
    if (mqtt != null && mqtt.isObject()) {
      for (JsonNode property : mqtt.path("userProperties")) {
        JsonNode name = property.get("name");
        JsonNode value = property.get("value");
        if (name != null && name.isString() && value != null && value.isString()) {
          userProperties.add(new String[] {name.asString(), value.asString()});
        }
      }
    }
    if (!answer.isSuccess()) {
      JsonNode code = (mqtt != null) ? mqtt.get("code") : null;
      JsonNode reason = (mqtt != null) ? mqtt.get("reason") : null;
      return Decision.rejected(
          MqttCodes.connectRejection(
              five, answer.status(), (code != null && code.isInt()) ? code.asInt() : null),
          (reason != null && reason.isString()) ? reason.asString() : null,
          userProperties);
    }
    Upgrade up = this.upgrade;
    String userId = up.userId();
    List<String> roles = up.roles();
    List<String> groups = up.groups();
    if (answer.status() == 200 && body != null && body.isObject()) {
      JsonNode user = body.get("userId");
      if (user != null && user.isString()) {
        userId = user.asString();
      }
      JsonNode roleNode = body.get("roles");
      if (roleNode != null && roleNode.isArray()) {
        roles = Upstream.strings(roleNode);
      }
      List<String> answered = Upstream.strings(body.get("groups"));
      if (!answered.isEmpty()) {
        groups = answered;
      }
    }
    return new Decision(userId, roles, groups, userProperties, answer.connectionState());
  }

  private void reject(int code, @Nullable String reason, List<String[]> userProperties) {
    MqttProperties properties = MqttProperties.NO_PROPERTIES;
    if (this.v5) {
      properties = new MqttProperties();
      if (reason != null) {
        properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
      }
      addUserProperties(properties, userProperties);
    }
    this.closeStatus = 1000;
    this.connack.tryEmitValue(connAck(code, properties));
  }

  private void accept(String clientId, boolean assigned, boolean wantsSession, Decision decision) {
    if (this.clientGone) {
      return;
    }
    Upgrade up = this.upgrade;
    EmulatorServer server = this.endpoint.server();
    List<String> groups = new ArrayList<>();
    for (String group : decision.groups()) {
      if (!group.isBlank() && group.length() <= 1024) {
        groups.add(group);
      }
    }
    ClientConnection current;
    while (true) {
      // The hub may have been freed (it became empty) since the upgrade: take the current one.
      current =
          new ClientConnection(
              clientId,
              server.hub(up.hub()),
              decision.userId(),
              MqttEndpoint.SUBPROTOCOL,
              new LinkedHashSet<>(decision.roles()),
              server.queueCapacity(),
              server.maxQueuedBytes());
      current.connectionState(decision.connectionState());
      this.connection = current;
      MqttEndpoint.Registration registration = this.endpoint.register(this, current, groups);
      if (registration == MqttEndpoint.Registration.ADDED) {
        break;
      }
      if (registration == MqttEndpoint.Registration.ID_IN_USE) {
        this.connection = null;
        reject(this.v5 ? 0x85 : 0x02, "The client identifier is in use", List.of());
        return;
      }
    }
    ClientConnection registered = current;
    registered.onFinished(
        (reason) ->
            server.upstream().mqttDisconnected(registered, this.ids, disconnectedBody(reason)));
    server.upstream().mqttConnected(registered, this.ids);
    MqttProperties properties = MqttProperties.NO_PROPERTIES;
    if (this.v5) {
      properties = new MqttProperties();
      if (assigned) {
        properties.add(
            new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, clientId));
      }
      if (wantsSession) {
        properties.add(
            new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 0));
      }
      properties.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 0));
      properties.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.MAXIMUM_PACKET_SIZE, MqttEndpoint.MAX_PACKET));
      properties.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, 0));
      properties.add(
          new MqttProperties.IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 0));
      properties.add(
          new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1));
      properties.add(
          new MqttProperties.IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 0));
      addUserProperties(properties, decision.userProperties());
    }
    this.connack.tryEmitValue(connAck(0, properties));
  }

  private static MqttConnAckMessage connAck(int code, MqttProperties properties) {
    return new MqttConnAckMessage(
        new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttConnAckVariableHeader(
            MqttConnectReturnCode.valueOf((byte) code), false, properties));
  }

  // ---- SUBSCRIBE, UNSUBSCRIBE ----

  private void onSubscribe(ClientConnection current, MqttSubscribeMessage subscribe) {
    Object identifier =
        this.v5
            ? value(
                subscribe.idAndPropertiesVariableHeader().properties(),
                MqttProperties.SUBSCRIPTION_IDENTIFIER)
            : null;
    List<Integer> codes = new ArrayList<>();
    for (MqttTopicSubscription subscription : subscribe.payload().topicSubscriptions()) {
      String filter = subscription.topicFilter();
      int requested = subscription.option().qos().value();
      int code;
      if (filter.contains("+") || filter.contains("#")) {
        code = this.v5 ? MqttCodes.WILDCARDS_NOT_SUPPORTED : 0x80;
      } else if (filter.startsWith("$share/")) {
        code = this.v5 ? MqttCodes.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED : 0x80;
      } else if (filter.isBlank() || filter.length() > 1024) {
        code = this.v5 ? MqttCodes.TOPIC_FILTER_INVALID : 0x80;
      } else if (filter.startsWith(RESERVED)) {
        // The service's own topics arrive without a group: subscribing only sets the options.
        code = Math.min(requested, 1);
        this.subscriptions.put(
            filter,
            new Subscription(code, subscription.option().isNoLocal(), (Integer) identifier));
      } else if (!current.canJoinOrLeave(filter)) {
        code = this.v5 ? MqttCodes.NOT_AUTHORIZED : 0x80;
      } else {
        code = Math.min(requested, 1);
        this.subscriptions.put(
            filter,
            new Subscription(code, subscription.option().isNoLocal(), (Integer) identifier));
        current.hub().join(current, filter);
      }
      codes.add(code);
    }
    send(
        new MqttSubAckMessage(
            new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
            new MqttMessageIdAndPropertiesVariableHeader(
                subscribe.variableHeader().messageId(), MqttProperties.NO_PROPERTIES),
            new MqttSubAckPayload(codes)));
  }

  private void onUnsubscribe(ClientConnection current, MqttUnsubscribeMessage unsubscribe) {
    List<Short> codes = new ArrayList<>();
    for (String topic : unsubscribe.payload().topics()) {
      boolean subscribed =
          this.subscriptions.containsKey(topic) || current.groups().contains(topic);
      int code;
      if (!subscribed) {
        code = MqttCodes.NO_SUBSCRIPTION_EXISTED;
      } else if (!topic.startsWith(RESERVED) && !current.canJoinOrLeave(topic)) {
        code = MqttCodes.NOT_AUTHORIZED;
      } else {
        this.subscriptions.remove(topic);
        current.hub().leave(current, topic);
        code = 0;
      }
      codes.add((short) code);
    }
    int id = unsubscribe.variableHeader().messageId();
    MqttFixedHeader fixed =
        new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
    send(
        this.v5
            ? new MqttUnsubAckMessage(
                fixed,
                new MqttMessageIdAndPropertiesVariableHeader(id, MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(codes))
            : new MqttUnsubAckMessage(fixed, MqttMessageIdVariableHeader.from(id)));
  }

  // ---- PUBLISH ----

  private Mono<Void> onPublish(Publish publish) {
    ClientConnection current = this.connection;
    if (current == null) {
      return Mono.empty();
    }
    if (this.v5 && publish.properties().getProperty(MqttProperties.TOPIC_ALIAS) != null) {
      violation(
          MqttCodes.TOPIC_ALIAS_INVALID, "Topic aliases are not supported (Topic Alias Maximum 0)");
      return Mono.empty();
    }
    if (this.v5 && publish.retain()) {
      violation(MqttCodes.RETAIN_NOT_SUPPORTED, "Retained messages are not supported");
      return Mono.empty();
    }
    if (publish.qos() == 2 && this.qos2.contains(publish.packetId())) {
      send(reply(MqttMessageType.PUBREC, publish.packetId(), 0)); // a duplicate: delivered already
      return Mono.empty();
    }
    String topic = publish.topic();
    if (topic.startsWith(EVENTS)) {
      return onUserEvent(current, publish, topic.substring(EVENTS.length()));
    }
    int code = 0;
    if (topic.startsWith(RESERVED) || topic.isBlank() || topic.length() > 1024) {
      code = MqttCodes.TOPIC_NAME_INVALID;
    } else if (!current.canSendTo(topic)) {
      code = MqttCodes.NOT_AUTHORIZED;
    } else {
      DataType type = this.v5 ? dataType(publish.properties()) : DataType.BINARY;
      OutboundMessage message;
      try {
        if (type == DataType.TEXT && !Http.isUtf8(publish.payload())) {
          throw new IllegalArgumentException("not UTF-8");
        }
        message =
            OutboundMessage.fromGroup(topic, current.userId(), true, type, publish.payload())
                .withQos(publish.qos());
      } catch (RuntimeException ex) {
        message = null;
        code = MqttCodes.PAYLOAD_FORMAT_INVALID;
      }
      if (message != null) {
        Subscription own = this.subscriptions.get(topic);
        boolean noLocal = own != null && own.noLocal();
        Hub.deliver(current.hub().group(topic), (c) -> !noLocal || c != current, message);
      }
    }
    acknowledge(publish, code);
    return Mono.empty();
  }

  /** PUBACK or PUBREC; a refusal code reaches 5.0 clients only (3.1.1 has none: acked anyway). */
  private void acknowledge(Publish publish, int code) {
    if (publish.qos() == 1) {
      send(reply(MqttMessageType.PUBACK, publish.packetId(), this.v5 ? code : 0));
    } else if (publish.qos() == 2) {
      if (code < 0x80 || !this.v5) {
        this.qos2.add(publish.packetId());
      }
      send(reply(MqttMessageType.PUBREC, publish.packetId(), this.v5 ? code : 0));
    }
  }

  private MqttMessage reply(MqttMessageType type, int packetId, int code) {
    MqttFixedHeader fixed =
        new MqttFixedHeader(
            type,
            false,
            (type == MqttMessageType.PUBREL) ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE,
            false,
            0);
    if (this.v5) {
      return new MqttMessage(
          fixed,
          new MqttPubReplyMessageVariableHeader(
              packetId, (byte) code, MqttProperties.NO_PROPERTIES));
    }
    return new MqttMessage(fixed, MqttMessageIdVariableHeader.from(packetId));
  }

  /**
   * A PUBLISH to {@code $webpubsub/server/events/{event}}: a blocking user event, answered on
   * {@code .../succeeded} or {@code .../failed} with the handler's body, content type, {@code
   * mqtt-*} headers as user properties and {@code azure-status-code}.
   */
  private Mono<Void> onUserEvent(ClientConnection current, Publish publish, String event) {
    if (event.contains("/") || !Names.isValidEvent(event)) {
      acknowledge(publish, MqttCodes.TOPIC_NAME_INVALID);
      return Mono.empty();
    }
    String contentType =
        this.v5 ? stringProperty(publish.properties(), MqttProperties.CONTENT_TYPE) : null;
    if (contentType != null && !MEDIA_TYPE.matcher(contentType).matches()) {
      acknowledge(publish, MqttCodes.PAYLOAD_FORMAT_INVALID);
      return Mono.empty();
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (this.v5) {
      for (MqttProperties.MqttProperty<?> property :
          publish.properties().getProperties(MqttProperties.USER_PROPERTY)) {
        if (property instanceof MqttProperties.UserProperty user) {
          String name = user.value().key;
          if (HEADER_NAME.matcher(name).matches()) {
            headers.add(Map.entry("mqtt-" + name, headerValue(user.value().value)));
          }
        }
      }
    }
    byte @Nullable [] correlation =
        this.v5
                && value(publish.properties(), MqttProperties.CORRELATION_DATA)
                    instanceof byte[] bytes
            ? bytes
            : null;
    String base = EVENTS + event;
    return this.endpoint
        .server()
        .upstream()
        .mqttUserEvent(
            current,
            this.ids,
            event.toLowerCase(Locale.ROOT),
            (contentType != null) ? contentType : DataType.BINARY.contentType(),
            publish.payload(),
            headers)
        .map(
            (answer) -> {
              current.connectionState(answer.connectionState());
              eventReply(
                  base + (answer.isSuccess() ? "/succeeded" : "/failed"),
                  publish.qos(),
                  answer.status(),
                  answer.contentType(),
                  answer.body(),
                  answer.mqttHeaders(),
                  correlation);
              return answer;
            })
        .switchIfEmpty(
            Mono.fromRunnable(
                () ->
                    eventReply(
                        base + "/failed",
                        publish.qos(),
                        404,
                        "text/plain",
                        ("No event handler is configured for hub " + current.hub().name())
                            .getBytes(StandardCharsets.UTF_8),
                        List.of(),
                        correlation)))
        .onErrorResume(
            (error) -> {
              eventReply(
                  base + "/failed",
                  publish.qos(),
                  500,
                  "text/plain",
                  ("The event handler failed: " + error.getMessage())
                      .getBytes(StandardCharsets.UTF_8),
                  List.of(),
                  correlation);
              return Mono.empty();
            })
        .then(Mono.fromRunnable(() -> acknowledge(publish, 0)));
  }

  private void eventReply(
      String topic,
      int qos,
      int status,
      @Nullable String contentType,
      byte[] body,
      List<Map.Entry<String, String>> mqttHeaders,
      byte @Nullable [] correlation) {
    MqttProperties properties = MqttProperties.NO_PROPERTIES;
    if (this.v5) {
      properties = new MqttProperties();
      if (contentType != null) {
        properties.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, contentType));
      }
      if (correlation != null) {
        properties.add(
            new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, correlation));
      }
      MqttProperties.UserProperties user = new MqttProperties.UserProperties();
      for (Map.Entry<String, String> header : mqttHeaders) {
        user.add(header.getKey().substring("mqtt-".length()), header.getValue());
      }
      user.add("azure-status-code", Integer.toString(status));
      properties.add(user);
    }
    Pending pending =
        new Pending(topic, Math.min(qos, 1), null, Unpooled.wrappedBuffer(body), properties);
    if (this.replies.tryEmitNext(pending).isFailure()) {
      violation(MqttCodes.QUOTA_EXCEEDED, "Connection closed: too many event replies queued");
    }
  }

  // ---- Ending ----

  /** Called by the endpoint when a new CONNECT takes this session's client ID. */
  void takenOver() {
    violation(MqttCodes.SESSION_TAKEN_OVER, "Session taken over by another connection");
  }

  /**
   * The server ends the session: 5.0 clients get a DISCONNECT with this code; 3.1.1 clients have no
   * such packet and see the WebSocket close.
   */
  private void violation(int code, String reason) {
    if (this.serverCode != null || this.clientGone) {
      return;
    }
    ClientConnection current = this.connection;
    if (current == null) {
      fail(reason, 1002);
      return;
    }
    this.serverCode = code;
    this.serverReason = reason;
    this.closeStatus =
        (code == MqttCodes.PROTOCOL_ERROR || code == MqttCodes.MALFORMED_PACKET) ? 1002 : 1000;
    current.abort(this.closeStatus, reason);
  }

  /** Ends a WebSocket that never had an accepted CONNECT. */
  private void fail(String reason, int status) {
    if (this.connection != null) {
      violation(MqttCodes.PROTOCOL_ERROR, reason);
      return;
    }
    this.serverReason = reason;
    this.closeStatus = status;
    this.connack.tryEmitEmpty();
  }

  private void clientEnded() {
    if (this.clientGone) {
      return;
    }
    ClientConnection current = this.connection;
    if (this.serverCode == null) {
      this.clientGone = true;
    }
    if (current != null) {
      current.abort(1000, this.clientReason);
    } else {
      this.connack.tryEmitEmpty();
    }
  }

  /** Ends the session once the WebSocket is gone: the will, the {@code disconnected} event. */
  void finish() {
    ClientConnection current = this.connection;
    if (current == null) {
      return;
    }
    current.hub().remove(current);
    this.endpoint.unregister(current);
    Will pending = this.will;
    if (pending != null && current.canSendTo(pending.topic()) && !pending.topic().startsWith("$")) {
      try {
        OutboundMessage message =
            OutboundMessage.fromGroup(
                    pending.topic(), current.userId(), true, pending.type(), pending.payload())
                .withQos(pending.qos());
        Hub.deliver(current.hub().group(pending.topic()), (c) -> true, message);
      } catch (RuntimeException ex) {
        LOG.log(System.Logger.Level.DEBUG, "Will message not sent: " + ex.getMessage());
      }
    }
    String serverSide = this.serverReason;
    String reason =
        this.clientGone
            ? this.clientReason
            : (serverSide != null ? serverSide : current.currentTransport().closeReason());
    current.finish(reason);
  }

  /**
   * The {@code disconnected} body: {@code reason} (null when empty) and {@code
   * mqtt{initiatedByClient, disconnectPacket}} with the DISCONNECT's code and user properties (null
   * when the server sent it); {@code disconnectPacket} is null when no DISCONNECT was exchanged.
   */
  private ObjectNode disconnectedBody(String reason) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    if (reason.isEmpty()) {
      body.putNull("reason");
    } else {
      body.put("reason", reason);
    }
    ObjectNode mqtt = body.putObject("mqtt");
    mqtt.put("initiatedByClient", this.clientGone);
    MqttReasonCodeAndPropertiesVariableHeader sent = this.clientDisconnect;
    Integer code = this.serverCode;
    if (this.clientGone && this.clientSentDisconnect) {
      ObjectNode packet = mqtt.putObject("disconnectPacket");
      packet.put("code", (sent != null) ? sent.reasonCode() & 0xFF : 0);
      ArrayNode properties =
          (sent != null) ? userProperties(sent.properties()) : Json.MAPPER.createArrayNode();
      if (properties.isEmpty()) {
        packet.putNull("userProperties");
      } else {
        packet.set("userProperties", properties);
      }
    } else if (!this.clientGone && this.v5 && code != null) {
      ObjectNode packet = mqtt.putObject("disconnectPacket");
      packet.put("code", code);
      packet.putNull("userProperties");
    } else {
      mqtt.putNull("disconnectPacket");
    }
    return body;
  }

  // ---- Helpers ----

  private static int messageId(MqttMessage message) {
    return (message.variableHeader() instanceof MqttMessageIdVariableHeader header)
        ? header.messageId()
        : -1;
  }

  private static @Nullable Object value(MqttProperties properties, int id) {
    MqttProperties.MqttProperty<?> property = properties.getProperty(id);
    return (property != null) ? property.value() : null;
  }

  private static @Nullable String stringProperty(MqttProperties properties, int id) {
    return (value(properties, id) instanceof String s) ? s : null;
  }

  /** The data type of a 5.0 content type; binary when absent or unknown. */
  private static DataType dataType(MqttProperties properties) {
    DataType type = DataType.ofContentType(stringProperty(properties, MqttProperties.CONTENT_TYPE));
    return (type != null) ? type : DataType.BINARY;
  }

  private static ArrayNode userProperties(MqttProperties properties) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (MqttProperties.MqttProperty<?> property :
        properties.getProperties(MqttProperties.USER_PROPERTY)) {
      if (property instanceof MqttProperties.UserProperty user) {
        array.addObject().put("name", user.value().key).put("value", user.value().value);
      } else if (property instanceof MqttProperties.UserProperties all) {
        for (MqttProperties.StringPair pair : all.value()) {
          array.addObject().put("name", pair.key).put("value", pair.value);
        }
      }
    }
    return array;
  }

  private static void addUserProperties(MqttProperties properties, List<String[]> pairs) {
    if (pairs.isEmpty()) {
      return;
    }
    MqttProperties.UserProperties user = new MqttProperties.UserProperties();
    for (String[] pair : pairs) {
      user.add(pair[0], pair[1]);
    }
    properties.add(user);
  }

  /** A header value: printable ASCII as is, anything else percent-encoded as ce-* values are. */
  private static String headerValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return Upstream.percentEncode(value);
      }
    }
    return value;
  }

  /**
   * Packet ids of this server's QoS 1 publishes awaiting PUBACK, at most the client's Receive
   * Maximum at once: the next publish waits for a free one (and the connection's queue fills while
   * it waits, which closes a client that never acknowledges).
   */
  static final class PacketIds {

    private final int capacity;

    private final BitSet used = new BitSet(65536);

    private int count;

    private int next = 1;

    private Sinks.@Nullable One<Integer> waiter;

    PacketIds(int capacity) {
      this.capacity = capacity;
    }

    Mono<Integer> acquire() {
      synchronized (this) {
        if (this.count < this.capacity) {
          return Mono.just(allocate());
        }
        Sinks.One<Integer> one = Sinks.one();
        this.waiter = one;
        return one.asMono();
      }
    }

    void release(int id) {
      Sinks.One<Integer> waiting;
      int allocated;
      synchronized (this) {
        if (id < 1 || id > 65535 || !this.used.get(id)) {
          return;
        }
        this.used.clear(id);
        this.count--;
        waiting = this.waiter;
        if (waiting == null) {
          return;
        }
        this.waiter = null;
        allocated = allocate();
      }
      waiting.tryEmitValue(allocated);
    }

    private int allocate() {
      while (this.used.get(this.next)) {
        this.next = (this.next % 65535) + 1;
      }
      int id = this.next;
      this.used.set(id);
      this.count++;
      this.next = (this.next % 65535) + 1;
      return id;
    }
  }

  /**
   * Between the WebSocket codec and the MQTT codec: binary (and continuation) frames go up as their
   * bytes, whatever packet boundaries they cut; a text frame goes up as a marker that ends the
   * connection; encoded packets go down as binary frames.
   */
  private static final class FrameBytes extends ChannelDuplexHandler {

    private boolean text;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof TextWebSocketFrame frame) {
        frame.release();
        if (!this.text) {
          this.text = true;
          ctx.fireChannelRead(TextFrame.INSTANCE);
        }
        return;
      }
      if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
        io.netty.handler.codec.http.websocketx.WebSocketFrame frame =
            (io.netty.handler.codec.http.websocketx.WebSocketFrame) msg;
        if (this.text) {
          frame.release();
          return;
        }
        ctx.fireChannelRead(frame.content());
        return;
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof ByteBuf bytes) {
        ctx.write(new BinaryWebSocketFrame(bytes), promise);
        return;
      }
      ctx.write(msg, promise);
    }
  }

  @Override
  public String toString() {
    return "MqttSession[" + this.ids.physicalConnectionId() + "]";
  }
}
