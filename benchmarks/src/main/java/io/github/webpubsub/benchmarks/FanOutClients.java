package io.github.webpubsub.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * Many WebSocket clients of one server, each counting the text frames that equal the expected
 * broadcast byte for byte (every other frame, such as a JSON client's {@code connected} message, is
 * counted apart), so a round proves that every client received every broadcast exactly as the other
 * server sends it.
 */
final class FanOutClients implements AutoCloseable {

  private final ByteBuf expected;

  private final LongAdder delivered = new LongAdder();

  private final List<Client> clients = new ArrayList<>();

  private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

  private FanOutClients(byte[] expected) {
    this.expected = Unpooled.wrappedBuffer(expected);
  }

  /**
   * Connects {@code count} clients (JSON clients with the {@code json.webpubsub.azure.v1}
   * subprotocol) to {@code url}, 100 at a time, and waits until all are open.
   */
  static FanOutClients connect(
      HttpClient http,
      int count,
      boolean json,
      java.util.function.IntFunction<URI> url,
      byte[] expected) {
    FanOutClients clients = new FanOutClients(expected);
    WebsocketClientSpec.Builder builder = WebsocketClientSpec.builder();
    if (json) {
      builder.protocols(FanOutFloorServer.JSON_PROTOCOL);
    }
    WebsocketClientSpec spec = builder.build();
    for (int i = 0; i < count; i += 100) {
      List<Mono<Void>> opened = new ArrayList<>();
      for (int j = i; j < Math.min(count, i + 100); j++) {
        Client client = new Client(clients);
        clients.clients.add(client);
        client.connection =
            http.websocket(spec)
                .uri(url.apply(j))
                .handle(
                    (in, out) -> {
                      client.opened.tryEmitEmpty();
                      return in.receiveFrames()
                          .doOnNext((frame) -> client.frame(frame.content()))
                          .then();
                    })
                .doFinally((signal) -> client.closed = true)
                .subscribe(
                    (ignored) -> {},
                    (error) -> {
                      clients.failure.compareAndSet(null, error);
                      client.opened.tryEmitError(error);
                    });
        opened.add(client.opened.asMono());
      }
      Flux.merge(opened).then().block(Duration.ofSeconds(120));
    }
    return clients;
  }

  /** Deliveries (matching frames over all clients) since the last {@link #reset()}. */
  long delivered() {
    return this.delivered.sum();
  }

  /** Starts counting afresh. Only call while no broadcast is under way. */
  void reset() {
    this.delivered.reset();
    for (Client client : this.clients) {
      client.matched = 0;
    }
  }

  /**
   * Null if every client is still open and received exactly {@code broadcasts} matching frames
   * since the last reset; otherwise what went wrong.
   */
  @Nullable String check(long broadcasts) {
    Throwable error = this.failure.get();
    if (error != null) {
      return "a client failed: " + error;
    }
    for (int i = 0; i < this.clients.size(); i++) {
      Client client = this.clients.get(i);
      if (client.closed) {
        return "client " + i + " was closed by the server";
      }
      if (client.matched != broadcasts) {
        return "client " + i + " received " + client.matched + " of " + broadcasts + " broadcasts";
      }
    }
    return null;
  }

  /** Frames that were not the expected broadcast, over all clients. */
  long otherFrames() {
    long other = 0;
    for (Client client : this.clients) {
      other += client.other;
    }
    return other;
  }

  @Override
  public void close() {
    for (Client client : this.clients) {
      Disposable connection = client.connection;
      if (connection != null) {
        connection.dispose();
      }
    }
  }

  /** One client: written only by its connection's event loop. */
  private static final class Client {

    private final FanOutClients owner;

    final Sinks.Empty<Void> opened = Sinks.empty();

    volatile @Nullable Disposable connection;

    volatile long matched;

    volatile long other;

    volatile boolean closed;

    Client(FanOutClients owner) {
      this.owner = owner;
    }

    void frame(ByteBuf content) {
      if (ByteBufUtil.equals(content, this.owner.expected)) {
        this.matched++;
        this.owner.delivered.increment();
      } else {
        this.other++;
      }
    }
  }
}
