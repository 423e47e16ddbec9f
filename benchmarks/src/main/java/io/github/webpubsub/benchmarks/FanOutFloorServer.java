package io.github.webpubsub.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.reactivestreams.Publisher;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The floor of the fan-out benchmark: the least a Reactor Netty WebSocket server does to broadcast
 * the frames the emulator sends. Clients connect to {@code /client/hubs/{hub}} (JSON clients with
 * the {@code json.webpubsub.azure.v1} subprotocol); {@code POST /broadcast} with a text body sends
 * every plain client a text frame of the body and every JSON client a text frame of the envelope
 * the emulator writes for a REST {@code sendToAll} ({@code
 * {"type":"message","from":"server","dataType":"text","data":...}}).
 *
 * <p>Each broadcast is encoded once into one buffer per client kind; every channel gets a retained
 * duplicate, written on its own event loop by one task per event loop, and each channel is flushed
 * once after that loop's writes. No authentication, no limits, no bookkeeping: a floor, not a
 * server to use.
 */
final class FanOutFloorServer {

  static final String JSON_PROTOCOL = "json.webpubsub.azure.v1";

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** Per event loop, its channels of plain and of JSON clients. */
  private final Map<EventLoop, Clients> clients = new ConcurrentHashMap<>();

  DisposableServer start(int port) {
    return HttpServer.create().host("127.0.0.1").port(port).handle(this::handle).bindNow();
  }

  private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    if (request.method() == HttpMethod.GET && request.uri().startsWith("/client/")) {
      String protocols = request.requestHeaders().get("Sec-WebSocket-Protocol");
      boolean json =
          protocols != null
              && java.util.Arrays.stream(protocols.split(","))
                  .anyMatch((offered) -> offered.trim().equals(JSON_PROTOCOL));
      WebsocketServerSpec.Builder builder = WebsocketServerSpec.builder();
      if (json) {
        builder.protocols(JSON_PROTOCOL);
      }
      WebsocketServerSpec spec = builder.build();
      // Registered before the 101 is written, as the emulator registers a connection: a broadcast
      // sent as soon as the client sees its handshake complete must reach it. Safe because this
      // runs on the channel's event loop and Reactor Netty handshakes inside sendWebsocket: a
      // broadcast task queued to this loop runs after the 101. (Registering in the WebSocket
      // handler lost broadcasts: the 101 is on the wire before the handler runs, and a client
      // that was the first on its event loop was not in the map a broadcast walks.)
      Channel[] channel = new Channel[1];
      response.withConnection((Connection c) -> channel[0] = c.channel());
      Clients loop = this.clients.computeIfAbsent(channel[0].eventLoop(), (key) -> new Clients());
      (json ? loop.json : loop.plain).add(channel[0]);
      Runnable deregister =
          () -> {
            loop.plain.remove(channel[0]);
            loop.json.remove(channel[0]);
          };
      channel[0].closeFuture().addListener((future) -> deregister.run());
      boolean[] upgraded = {false};
      try {
        return response
            .sendWebsocket(
                (in, out) -> {
                  upgraded[0] = true;
                  return in.receive().then();
                },
                spec)
            .doFinally(
                (signal) -> {
                  // Reactor Netty runs the handler as the handshake completes, before this:
                  // without it (a failed handshake) the channel is no WebSocket to write to.
                  if (!upgraded[0]) {
                    deregister.run();
                  }
                });
      } catch (RuntimeException ex) {
        // A refused handshake (an unsupported version is answered 426, and then Reactor Netty
        // 1.3.6 throws here): no WebSocket either.
        deregister.run();
        throw ex;
      }
    }
    if (request.method() == HttpMethod.POST && request.uri().startsWith("/broadcast")) {
      return request
          .receive()
          .aggregate()
          .asByteArray()
          .flatMap(
              (body) -> {
                broadcast(body);
                return response.status(HttpResponseStatus.ACCEPTED).send().then();
              });
    }
    return response.status(HttpResponseStatus.NOT_FOUND).send();
  }

  /** Clients registered for broadcasts (for tests). */
  int clientCount() {
    return this.clients.values().stream()
        .mapToInt((loop) -> loop.plain.size() + loop.json.size())
        .sum();
  }

  /** Encodes the message once per client kind and writes a duplicate to every client. */
  void broadcast(byte[] text) {
    ObjectNode envelope = JSON.createObjectNode();
    envelope.put("type", "message");
    envelope.put("from", "server");
    envelope.put("dataType", "text");
    envelope.put("data", new String(text, StandardCharsets.UTF_8));
    ByteBuf plain = Unpooled.directBuffer(text.length).writeBytes(text);
    byte[] jsonBytes = JSON.writeValueAsBytes(envelope);
    ByteBuf json = Unpooled.directBuffer(jsonBytes.length).writeBytes(jsonBytes);
    for (Map.Entry<EventLoop, Clients> entry : this.clients.entrySet()) {
      Clients loop = entry.getValue();
      ByteBuf plainForLoop = plain.retain();
      ByteBuf jsonForLoop = json.retain();
      entry
          .getKey()
          .execute(
              () -> {
                try {
                  write(loop.plain, plainForLoop);
                  write(loop.json, jsonForLoop);
                } finally {
                  plainForLoop.release();
                  jsonForLoop.release();
                }
              });
    }
    plain.release();
    json.release();
  }

  private static void write(Set<Channel> channels, ByteBuf content) {
    for (Channel channel : channels) {
      channel.write(new TextWebSocketFrame(content.retainedDuplicate()), channel.voidPromise());
    }
    for (Channel channel : channels) {
      channel.flush();
    }
  }

  /** The channels of one event loop. */
  private static final class Clients {

    final Set<Channel> plain = ConcurrentHashMap.newKeySet();

    final Set<Channel> json = ConcurrentHashMap.newKeySet();
  }

  /** Starts the server on {@code args[0]} (default 0, a free port) and serves until stopped. */
  public static void main(String[] args) throws InterruptedException {
    int port = (args.length > 0) ? Integer.parseInt(args[0]) : 0;
    DisposableServer server = new FanOutFloorServer().start(port);
    System.out.println("Fan-out floor listening on http://127.0.0.1:" + server.port());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
