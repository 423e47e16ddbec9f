package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.with;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;

/**
 * Hubs hold state only while there is some: a hub used once (connections come and go, REST calls)
 * is freed and the hub count returns to where it was; a hub that keeps a user's groups for later
 * connections stays. Tested inside the package because the hub count is internal.
 */
class HubLifecycleIntegrationTests {

  private static final String KEY = "hub-lifecycle-tests-key-0123456789abcdef";

  private final EmulatorServer server = EmulatorServer.start("127.0.0.1", 0, KEY, 16);

  private final Jwt jwt = new Jwt(KEY);

  @AfterEach
  void stop() {
    this.server.close(Duration.ofSeconds(5));
  }

  private String base() {
    return "http://localhost:" + this.server.port();
  }

  private int rest(HttpMethod method, String path) {
    String url = base() + path;
    String token = this.jwt.sign(Map.of("aud", url, "exp", Instant.now().getEpochSecond() + 60));
    return HttpClient.create()
        .headers(
            (h) -> {
              h.set("Authorization", "Bearer " + token);
              h.set("Content-Type", "text/plain");
            })
        .request(method)
        .uri(url)
        .send(
            (request, out) ->
                method.equals(HttpMethod.POST) ? out.sendString(Mono.just("hello")) : out)
        .responseSingle((response, body) -> Mono.just(response.status().code()))
        .block(Duration.ofSeconds(10));
  }

  /** A plain client of that hub and user that records the text it receives. */
  private final class Client implements AutoCloseable {

    final List<String> received = new CopyOnWriteArrayList<>();

    private final Sinks.One<Boolean> open = Sinks.one();

    private final Sinks.Empty<Void> done = Sinks.empty();

    private final Sinks.Empty<Void> quit = Sinks.empty();

    private final Disposable connection;

    Client(String hub, String user) {
      String url = base() + "/client/hubs/" + hub;
      String token =
          HubLifecycleIntegrationTests.this.jwt.sign(
              Map.of("aud", url, "sub", user, "exp", Instant.now().getEpochSecond() + 60));
      this.connection =
          HttpClient.create()
              .websocket()
              .uri(url.replace("http", "ws") + "?access_token=" + token)
              .handle(
                  (in, out) -> {
                    this.open.tryEmitValue(true);
                    Mono<Void> rx =
                        in.receiveFrames()
                            .doOnNext(
                                (frame) -> {
                                  if (frame instanceof TextWebSocketFrame) {
                                    this.received.add(
                                        new String(
                                            ByteBufUtil.getBytes(frame.content()),
                                            StandardCharsets.UTF_8));
                                  }
                                })
                            .then();
                    Mono<Void> tx = this.quit.asMono().then(out.sendClose(1000, "bye"));
                    return Mono.when(rx, tx);
                  })
              .doFinally((s) -> this.done.tryEmitEmpty())
              .subscribe((ignored) -> {}, (error) -> this.open.tryEmitError(error));
      this.open.asMono().block(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
      this.quit.tryEmitEmpty();
      this.done.asMono().timeout(Duration.ofSeconds(5), Mono.empty()).block();
      this.connection.dispose();
    }
  }

  @Test
  void hubsUsedOnceAreFreedOnceTheirLastConnectionHasGone() {
    int before = this.server.hubCount();
    for (int i = 0; i < 50; i++) {
      String hub = "once" + i;
      try (Client client = new Client(hub, "u")) {
        assertThat(this.server.hubCount()).isEqualTo(before + 1);
        assertThat(rest(HttpMethod.POST, "/api/hubs/" + hub + "/users/u/:send")).isEqualTo(202);
        soon().until(() -> client.received.size() == 1);
      }
      // The close is asynchronous: the hub goes once the emulator has seen the connection go.
      soon().until(() -> this.server.hubCount() == before);
      assertThat(rest(HttpMethod.HEAD, "/api/hubs/" + hub + "/users/u")).isEqualTo(404);
      assertThat(rest(HttpMethod.POST, "/api/hubs/unused" + i + "/:send")).isEqualTo(202);
      // A REST call frees the hub it left empty once its response has gone.
      soon().until(() -> this.server.hubCount() == before);
    }
  }

  @Test
  void aHubKeepingAUsersGroupsForLaterConnectionsStaysUntilTheyAreRemoved() {
    int before = this.server.hubCount();
    assertThat(rest(HttpMethod.PUT, "/api/hubs/kept/users/u/groups/g")).isEqualTo(200);
    assertThat(this.server.hubCount()).isEqualTo(before + 1);
    try (Client client = new Client("kept", "u")) {
      assertThat(rest(HttpMethod.POST, "/api/hubs/kept/groups/g/:send")).isEqualTo(202);
      soon().until(() -> client.received.size() == 1);
    }
    soon().until(() -> this.server.connectionCount() == 0);
    assertThat(this.server.hubCount()).isEqualTo(before + 1);
    // The group is still kept for the user's next connection.
    try (Client client = new Client("kept", "u")) {
      assertThat(rest(HttpMethod.POST, "/api/hubs/kept/groups/g/:send")).isEqualTo(202);
      soon().until(() -> client.received.size() == 1);
    }
    assertThat(rest(HttpMethod.DELETE, "/api/hubs/kept/users/u/groups/g")).isEqualTo(204);
    soon().until(() -> this.server.hubCount() == before);
  }

  /**
   * Polls every few milliseconds: the loop above waits 150 times, so Awaitility's 100 ms default
   * adds up.
   */
  private static ConditionFactory soon() {
    return with()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5))
        .atMost(Duration.ofSeconds(10));
  }
}
