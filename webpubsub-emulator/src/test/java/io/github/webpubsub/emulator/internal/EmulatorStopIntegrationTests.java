package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * A stopped emulator no longer calls the application: the {@code disconnected} events of the
 * clients it closed still go, and a call the application has not answered when the close timeout is
 * over is cut (its HTTP connection closed) instead of waiting for its 30-second response timeout.
 * Inside the package to close with a short timeout.
 */
class EmulatorStopIntegrationTests {

  private static final String KEY = "emulator-stop-tests-key-0123456789abcdef";

  private final EmulatorServer server = EmulatorServer.start("127.0.0.1", 0, KEY, 16);

  private final List<String> events = new CopyOnWriteArrayList<>();

  /** The events the application never answers. */
  private final java.util.Set<String> unanswered =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final AtomicBoolean unansweredCallClosed = new AtomicBoolean();

  private final AtomicBoolean disconnectedAnswerable = new AtomicBoolean();

  /**
   * The application: answers the handshake, never answers the {@link #unanswered} events, takes 200
   * ms to answer {@code disconnected} and answers the rest at once.
   */
  private final DisposableServer application =
      HttpServer.create()
          .host("127.0.0.1")
          .port(0)
          .handle(
              (request, response) -> {
                if (request.method() == HttpMethod.OPTIONS) {
                  return response.header("WebHook-Allowed-Origin", "*").status(200).send().then();
                }
                String event = request.uri().substring(request.uri().lastIndexOf('/') + 1);
                this.events.add(event);
                if (this.unanswered.contains(event)) {
                  request.withConnection(
                      (connection) ->
                          connection.onDispose(() -> this.unansweredCallClosed.set(true)));
                  return Mono.never();
                }
                if (event.equals("disconnected")) {
                  // Takes 200 ms to answer; still connected then unless the emulator cut the call.
                  return request
                      .receive()
                      .then(Mono.delay(Duration.ofMillis(200)))
                      .then(
                          Mono.fromRunnable(
                              () ->
                                  request.withConnection(
                                      (connection) ->
                                          this.disconnectedAnswerable.set(
                                              connection.channel().isActive()))))
                      .then(response.status(204).send().then());
                }
                return request.receive().then(response.status(204).send().then());
              })
          .bindNow();

  private Disposable client;

  @AfterEach
  void stop() {
    if (this.client != null) {
      this.client.dispose();
    }
    this.application.disposeNow();
  }

  /** Connects a client; true once its WebSocket is open. */
  private AtomicBoolean connect() {
    this.server.addEventHandler(
        "*", "http://127.0.0.1:" + this.application.port() + "/upstream/{hub}/{event}");
    String url = "http://localhost:" + this.server.port() + "/client/hubs/stop";
    String token =
        new Jwt(KEY)
            .sign(Map.of("aud", url, "sub", "u1", "exp", Instant.now().getEpochSecond() + 60));
    AtomicBoolean open = new AtomicBoolean();
    this.client =
        HttpClient.create()
            .websocket()
            .uri(url.replace("http", "ws") + "?access_token=" + token)
            .handle(
                (in, out) -> {
                  open.set(true);
                  return in.receive().then();
                })
            .subscribe(null, (error) -> {});
    return open;
  }

  @Test
  void closeSendsTheDisconnectedEventsAndCutsTheCallsLeftUnanswered() {
    this.unanswered.add("connected");
    connect();
    await().atMost(Duration.ofSeconds(10)).until(() -> this.events.contains("connected"));

    long start = System.nanoTime();
    this.server.close(Duration.ofMillis(500));
    Duration closing = Duration.ofNanos(System.nanoTime() - start);

    // The client closed by the emulator: its disconnected event went and the emulator waited for
    // the answer, within the close timeout.
    assertThat(this.events).containsExactly("connect", "connected", "disconnected");
    assertThat(this.disconnectedAnswerable).isTrue();
    // The connected call the application never answers is cut, not left for 30 s.
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(this.unansweredCallClosed).isTrue());
    assertThat(closing).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void closeWaitsForTheDisconnectedEventOfEachClientItClosed() {
    connect();
    await().atMost(Duration.ofSeconds(10)).until(() -> this.events.contains("connected"));

    // Nothing else under way: close must find the disconnected call started by the close itself.
    this.server.close(Duration.ofMillis(500));

    assertThat(this.events).containsExactly("connect", "connected", "disconnected");
    assertThat(this.disconnectedAnswerable).isTrue();
  }

  @Test
  void aClientWhoseConnectEventIsUnansweredWhenTheEmulatorStopsIsNotLetIn() {
    this.unanswered.add("connect");
    AtomicBoolean open = connect();
    await().atMost(Duration.ofSeconds(10)).until(() -> this.events.contains("connect"));

    this.server.close(Duration.ofMillis(300));

    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(this.unansweredCallClosed).isTrue());
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(open).isFalse());
    assertThat(this.events).containsExactly("connect");
  }
}
