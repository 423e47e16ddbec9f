package io.github.webpubsub.emulator.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * WebSocket clients at {@code /client/hubs/{hub}}: token check, the blocking {@code connect} event,
 * then either a plain session (frames by content type) or a {@code json.webpubsub.azure.v1}
 * session, and the recovery of a dropped reliable session. What the frames mean is {@link
 * ClientFrames}' concern.
 */
final class ClientEndpoint {

  private static final System.Logger LOG = System.getLogger(ClientEndpoint.class.getName());

  private static final int MAX_FRAME = 1024 * 1024;

  /** Netty's name for the frame decoder the handshake adds. */
  private static final String WEBSOCKET_DECODER = "wsdecoder";

  private static final String RSV_CHECK = "webpubsub.rsvCheck";

  private final EmulatorServer server;

  private final ClientFrames frames;

  /** Writes clients' messages, batched per event loop. */
  private final ConnectionWriter.Batches batches = new ConnectionWriter.Batches();

  ClientEndpoint(EmulatorServer server) {
    this.server = server;
    this.frames = new ClientFrames(server.upstream());
  }

  Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    try {
      List<String> path = Http.segments(request.uri());
      if (path.size() != 3 || !path.get(0).equals("client") || !path.get(1).equals("hubs")) {
        throw ServiceError.notFound("path", "Clients connect to /client/hubs/{hub}");
      }
      String hub = Names.hub(path.get(2));
      Http.requireWebSocketUpgrade(request, "Clients");
      return connect(request, response, hub);
    } catch (ServiceError e) {
      return Http.error(request, response, e);
    }
  }

  private Mono<Void> connect(
      HttpServerRequest request, HttpServerResponse response, String hubName) {
    Map<String, List<String>> query = Http.query(request.uri());
    List<String> offered = Http.offeredSubprotocols(request);
    if (query.containsKey("awps_connection_id") || query.containsKey("awps_reconnection_token")) {
      return recover(response, hubName, query, offered);
    }
    Jwt.Claims claims = ClientTokenAuthenticator.authenticate(request, query, this.server.jwt());
    String connectionId = UUID.randomUUID().toString().replace("-", "");
    Identity identity =
        new Identity(
            claims.string("sub"),
            new LinkedHashSet<>(claims.strings("role")),
            new ArrayList<>(claims.strings("webpubsub.group")),
            offered.stream().filter(ClientEndpoint::isSupported).findFirst().orElse(null),
            null);
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
    return this.server
        .upstream()
        .connect(
            EmulatorServer.hubKey(hubName),
            connectionId,
            identity.userId,
            claims.asMultiMap(),
            connectQuery,
            headers,
            offered)
        .map((answer) -> identity.apply(answer))
        .defaultIfEmpty(identity)
        .onErrorResume(
            (error) -> {
              LOG.log(System.Logger.Level.WARNING, "connect event failed: " + error.getMessage());
              return Mono.just(Identity.rejected(500));
            })
        .flatMap(
            (id) -> {
              if (id.rejectedStatus != 0) {
                return Http.status(response, id.rejectedStatus);
              }
              ClientConnection connection = register(hubName, connectionId, id);
              WebsocketServerSpec.Builder spec =
                  WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME).handlePing(false);
              if (id.protocol != null) {
                spec.protocols(id.protocol);
              }
              boolean[] started = {false};
              return response
                  .sendWebsocket(
                      (in, out) -> {
                        started[0] = true;
                        return session(connection, false, in, out);
                      },
                      spec.build())
                  .doFinally(
                      (signal) -> {
                        // Reactor Netty runs the handler as the handshake completes, before this;
                        // without it (a failed handshake) nobody will ever serve the connection.
                        if (!started[0]) {
                          connection.onFinished((reason) -> {});
                          connection.abort(1011, "The WebSocket handshake did not complete");
                        }
                      });
            });
  }

  /**
   * Puts a new connection into its hub, with its {@code connected} message queued first, before the
   * 101 is written: a REST send issued as soon as the client sees its handshake complete must reach
   * it. The upstream {@code connected} event still goes once the WebSocket is open.
   */
  private ClientConnection register(String hubName, String connectionId, Identity id) {
    while (true) {
      ClientConnection connection =
          new ClientConnection(
              connectionId,
              this.server.hub(hubName),
              id.userId,
              isSupported(id.protocol) ? id.protocol : null,
              id.roles,
              this.server.queueCapacity(),
              this.server.maxQueuedBytes());
      connection.connectionState(id.connectionState);
      connection.onFinished((reason) -> this.server.upstream().disconnected(connection, reason));
      connection.deliverProtocol(connectedMessage(connection));
      if (connection.hub().add(connection, id.groups)) {
        return connection;
      }
      // The hub was freed (it had become empty) between looking it up and adding: take the new one.
    }
  }

  private static ObjectNode connectedMessage(ClientConnection connection) {
    ObjectNode connected = Json.MAPPER.createObjectNode();
    connected.put("type", "system");
    connected.put("event", "connected");
    connected.put("userId", connection.userId());
    connected.put("connectionId", connection.connectionId());
    if (connection.isReliable()) {
      connected.put("reconnectionToken", connection.reconnectionToken());
    }
    return connected;
  }

  private static boolean isSupported(@Nullable String protocol) {
    return ClientConnection.JSON_PROTOCOL.equals(protocol)
        || ClientConnection.RELIABLE_PROTOCOL.equals(protocol)
        || ClientConnection.PROTOBUF_PROTOCOL.equals(protocol)
        || ClientConnection.PROTOBUF_RELIABLE_PROTOCOL.equals(protocol);
  }

  /**
   * A {@code json.reliable.webpubsub.azure.v1} client recovering its session with the connection id
   * and reconnection token of its {@code connected} message (any {@code access_token} is ignored,
   * as the service needs none). An unknown or expired session or a wrong token is closed with 1008,
   * which tells the client to start a new connection.
   */
  private Mono<Void> recover(
      HttpServerResponse response,
      String hubName,
      Map<String, List<String>> query,
      List<String> offered) {
    String connectionId = Http.first(query, "awps_connection_id");
    String token = Http.first(query, "awps_reconnection_token");
    // The reconnection token is the authentication here, so look the hub up without creating it.
    Hub hub = this.server.existingHub(hubName);
    ClientConnection connection =
        (connectionId == null || hub == null) ? null : hub.connection(connectionId);
    String failure = null;
    if (connection == null || !connection.isReliable() || connection.ended()) {
      failure = "The connection cannot be recovered: no such session, or it has ended";
    } else if (token == null
        || !java.security.MessageDigest.isEqual(
            token.getBytes(StandardCharsets.UTF_8),
            connection.reconnectionToken().getBytes(StandardCharsets.UTF_8))) {
      failure = "The connection cannot be recovered: invalid reconnection token";
    }
    // The session numbers its messages and needs sequenceAck: only its own protocol carries it.
    String sessionProtocol =
        (connection != null && connection.protocol() != null)
            ? connection.protocol()
            : ClientConnection.RELIABLE_PROTOCOL;
    if (failure == null && !offered.contains(sessionProtocol)) {
      failure = "The connection cannot be recovered: offer the " + sessionProtocol + " subprotocol";
    }
    WebsocketServerSpec.Builder spec =
        WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME).handlePing(false);
    if (offered.contains(sessionProtocol)) {
      spec.protocols(sessionProtocol);
    } else if (!offered.isEmpty()) {
      // Select one of the offered protocols so that the handshake completes and the client sees
      // the 1008 (a client that offered protocols fails a 101 that selects none).
      spec.protocols(
          offered.stream().filter(ClientEndpoint::isSupported).findFirst().orElse(offered.get(0)));
    }
    if (failure != null || connection == null) {
      String reason = (failure != null) ? failure : "The connection cannot be recovered";
      return response.sendWebsocket(
          (in, out) -> {
            in.withConnection(ClosingHandshake::install);
            return out.sendClose(1008, ClientConnection.closeReason(reason));
          },
          spec.build());
    }
    ClientConnection recovered = connection;
    return response.sendWebsocket((in, out) -> session(recovered, true, in, out), spec.build());
  }

  private Mono<Void> session(
      ClientConnection connection, boolean recovery, WebsocketInbound in, WebsocketOutbound out) {
    in.withConnection(ClosingHandshake::install);
    Hub hub = connection.hub();
    if (recovery) {
      // A fresh connected message, then every un-acked message in order; no upstream events.
      if (!connection.resume(connectedMessage(connection))) {
        return out.sendClose(1008, "The session ended before it could be recovered");
      }
    } else {
      // Registered (and its connected message queued) before the 101: see register().
      this.server.upstream().connected(connection);
    }
    ClientConnection.Transport transport = connection.currentTransport();
    String[] clientReason = {"Client closed the connection"};
    boolean[] closeFrame = {false};
    in.receiveCloseStatus()
        .subscribe(
            (status) -> {
              closeFrame[0] = status.code() > 0 && status.code() != 1006;
              if (status.reasonText() != null && !status.reasonText().isEmpty()) {
                clientReason[0] = status.reasonText();
              }
            });
    in.withConnection(
        (c) -> {
          if (c.channel().pipeline().get(WEBSOCKET_DECODER) != null) {
            c.channel()
                .pipeline()
                .addAfter(WEBSOCKET_DECODER, RSV_CHECK, new ReservedBitsCheck(connection));
          }
        });
    in.aggregateFrames(MAX_FRAME).withConnection(UnfinishedMessageAtClose::install);
    Mono<Void> inbound =
        in.receiveFrames()
            .map(ClientFrames.Frame::copy)
            .concatMap((frame) -> this.frames.onFrame(connection, frame))
            .then()
            .onErrorResume(
                (error) -> {
                  if (error instanceof TooLongFrameException) {
                    // A fragmented message above the limit (one oversized frame is refused with
                    // 1009 by Netty's decoder itself).
                    connection.abort(
                        1009, "Message too big: more than " + MAX_FRAME + " bytes in one message");
                  }
                  return Mono.empty();
                })
            .doFinally(
                (signal) ->
                    connection.clientGone(
                        transport,
                        connection.isReliable()
                            && !closeFrame[0]
                            && !this.server.reconnectionWindow().isZero(),
                        clientReason[0]));
    Connection[] channel = new Connection[1];
    in.withConnection((c) -> channel[0] = c);
    Mono<Void> outbound =
        ConnectionWriter.start(connection, transport, channel[0], this.batches)
            .then(
                Mono.defer(
                    () ->
                        out.sendClose(
                            transport.closeStatus(),
                            ClientConnection.closeReason(transport.closeReason()))))
            .onErrorResume((error) -> Mono.empty());
    return Mono.when(inbound, outbound)
        .doFinally(
            (signal) -> {
              if (connection.currentTransport() != transport) {
                return; // recovered on another WebSocket
              }
              if (connection.isSuspended()) {
                // A reliable client dropped: keep the session for a recovery until the window ends.
                Mono.delay(this.server.reconnectionWindow())
                    .subscribe(
                        (tick) ->
                            connection.expire(
                                transport,
                                "The connection was not recovered within "
                                    + this.server.reconnectionWindow().toSeconds()
                                    + " s: "
                                    + clientReason[0]));
                return;
              }
              hub.remove(connection);
              String reason =
                  transport.closeReason().isEmpty() ? clientReason[0] : transport.closeReason();
              connection.finish(reason);
            });
  }

  /**
   * Closes a client (1002) whose frame sets a reserved bit: no extension is negotiated, so RFC 6455
   * section 5.2 says to fail the connection. Reactor Netty's handshaker allows extensions (for
   * compression), so Netty's decoder lets such frames through; this sits right after it and so also
   * sees continuation frames before they are aggregated.
   */
  private static final class ReservedBitsCheck extends ChannelInboundHandlerAdapter {

    private final ClientConnection connection;

    private boolean failed;

    ReservedBitsCheck(ClientConnection connection) {
      this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof WebSocketFrame frame && (this.failed || frame.rsv() != 0)) {
        frame.release();
        if (!this.failed) {
          this.failed = true;
          this.connection.abort(
              1002, "Protocol error: a reserved bit (RSV) is set but no extension was negotiated");
        }
        return;
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** Who the connection is: from the token, then possibly changed by the connect answer. */
  private static final class Identity {

    @Nullable String userId;

    Set<String> roles;

    List<String> groups;

    @Nullable String protocol;

    @Nullable String connectionState;

    int rejectedStatus;

    Identity(
        @Nullable String userId,
        Set<String> roles,
        List<String> groups,
        @Nullable String protocol,
        @Nullable String connectionState) {
      this.userId = userId;
      this.roles = roles;
      this.groups = groups;
      this.protocol = protocol;
      this.connectionState = connectionState;
    }

    static Identity rejected(int status) {
      Identity identity = new Identity(null, Set.of(), List.of(), null, null);
      identity.rejectedStatus = status;
      return identity;
    }

    Identity apply(Upstream.Answer answer) {
      if (!answer.isSuccess()) {
        return rejected(answer.status());
      }
      this.connectionState = answer.connectionState();
      JsonNode body = (answer.status() == 200) ? answer.json() : null;
      if (body == null || !body.isObject()) {
        return this;
      }
      JsonNode userId = body.get("userId");
      if (userId != null && userId.isString()) {
        this.userId = userId.asString();
      }
      JsonNode roles = body.get("roles");
      if (roles != null && roles.isArray()) {
        this.roles = new LinkedHashSet<>(Upstream.strings(roles));
      }
      List<String> groups = Upstream.strings(body.get("groups"));
      if (!groups.isEmpty()) {
        this.groups = groups;
      }
      JsonNode subprotocol = body.get("subprotocol");
      if (subprotocol != null && subprotocol.isString() && !subprotocol.asString().isEmpty()) {
        this.protocol = subprotocol.asString();
      }
      return this;
    }
  }
}
