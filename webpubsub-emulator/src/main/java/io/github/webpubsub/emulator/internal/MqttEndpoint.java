package io.github.webpubsub.emulator.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * MQTT 3.1.1 and 5.0 clients over WebSocket at {@code /clients/mqtt/hubs/{hub}}: the token is
 * checked at the upgrade (query {@code access_token} or {@code Authorization: Bearer}), before
 * anything is created; what the packets mean is {@link MqttSession}'s concern.
 */
final class MqttEndpoint {

  /** The WebSocket subprotocol MQTT clients offer. */
  static final String SUBPROTOCOL = Upstream.MqttIds.SUBPROTOCOL;

  /** The largest MQTT packet and the largest WebSocket frame a client may send. */
  static final int MAX_PACKET = 1024 * 1024;

  private final EmulatorServer server;

  /** The live MQTT session of each connection, to hand a client ID over to a new CONNECT. */
  private final Map<ClientConnection, MqttSession> sessions = new ConcurrentHashMap<>();

  MqttEndpoint(EmulatorServer server) {
    this.server = server;
  }

  EmulatorServer server() {
    return this.server;
  }

  Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    try {
      List<String> path = Http.segments(request.uri());
      if (path.size() != 4
          || !path.get(0).equals("clients")
          || !path.get(1).equals("mqtt")
          || !path.get(2).equals("hubs")) {
        throw ServiceError.notFound("path", "MQTT clients connect to /clients/mqtt/hubs/{hub}");
      }
      String hub = Names.hub(path.get(3));
      Http.requireWebSocketUpgrade(request, "MQTT clients");
      return upgrade(request, response, hub);
    } catch (ServiceError e) {
      return Http.error(request, response, e);
    }
  }

  private Mono<Void> upgrade(
      HttpServerRequest request, HttpServerResponse response, String hubName) {
    Map<String, List<String>> query = Http.query(request.uri());
    Jwt.Claims claims = authenticate(request, query);
    List<String> offered = Http.offeredSubprotocols(request);
    Map<String, List<String>> connectQuery = new LinkedHashMap<>(query);
    connectQuery.remove("access_token");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    request
        .requestHeaders()
        .forEach(
            (entry) -> {
              if (!entry.getKey().equalsIgnoreCase("Authorization")) {
                headers
                    .computeIfAbsent(entry.getKey(), (k) -> new ArrayList<>())
                    .add(entry.getValue());
              }
            });
    MqttSession.Upgrade upgrade =
        new MqttSession.Upgrade(
            hubName,
            UUID.randomUUID().toString().replace("-", ""),
            claims.string("sub"),
            claims.strings("role"),
            claims.strings("webpubsub.group"),
            claims.asMultiMap(),
            connectQuery,
            headers);
    WebsocketServerSpec.Builder spec =
        WebsocketServerSpec.builder().maxFramePayloadLength(MAX_PACKET).handlePing(true);
    if (offered.contains(SUBPROTOCOL)) {
      spec.protocols(SUBPROTOCOL);
    }
    return response.sendWebsocket(
        (in, out) -> new MqttSession(this, upgrade).run(in, out), spec.build());
  }

  /** The verified claims of the client's token, whose audience must be this client URL. */
  private Jwt.Claims authenticate(HttpServerRequest request, Map<String, List<String>> query) {
    return ClientTokenAuthenticator.authenticate(request, query, this.server.jwt());
  }

  /** How {@link #register} went. */
  enum Registration {
    ADDED,
    /** A non-MQTT connection has that ID. */
    ID_IN_USE,
    /** The hub was freed meanwhile: retry with a connection of the server's current hub. */
    HUB_FREED
  }

  /**
   * Registers a session under its client ID, taking the ID over from a live MQTT session (which is
   * disconnected, as MQTT says).
   */
  Registration register(MqttSession session, ClientConnection connection, List<String> groups) {
    Hub hub = connection.hub();
    synchronized (hub) {
      ClientConnection existing = hub.connection(connection.connectionId());
      if (existing != null) {
        MqttSession previous = this.sessions.get(existing);
        if (previous == null) {
          return Registration.ID_IN_USE;
        }
        previous.takenOver();
      }
      if (!hub.add(connection, groups)) {
        return Registration.HUB_FREED;
      }
      this.sessions.put(connection, session);
    }
    return Registration.ADDED;
  }

  void unregister(ClientConnection connection) {
    this.sessions.remove(connection);
  }
}
