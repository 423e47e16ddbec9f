package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** Requests that are never finished do not hold connections: the request timeout closes them. */
class RequestTimeoutIntegrationTests {

  private static final Duration TIMEOUT = Duration.ofMillis(500);

  @RegisterExtension
  static final WebPubSubEmulatorExtension emulator =
      new WebPubSubEmulatorExtension(WebPubSubEmulator.builder().requestTimeout(TIMEOUT));

  private static int port() {
    return emulator.getEmulator().getPort();
  }

  private static Mono<String> partialHead() {
    return RawHttp.exchange(
        port(), Flux.concat(Mono.just("GET /api/health HTTP/1.1\r\nHost: x\r\n"), Flux.never()));
  }

  @Test
  void headThatNeverEndsIsAnswered408AndClosed() {
    String response = partialHead().block(Duration.ofSeconds(5));
    assertThat(RawHttp.status(response)).isEqualTo(408);
    assertThat(response).contains("Error.RequestTimeout").containsIgnoringCase("Connection: close");
  }

  @Test
  void manyHalfSentRequestsAreAllClosedAndLogNothing() {
    try (LogCapture log = new LogCapture()) {
      List<String> responses =
          Flux.range(0, 200)
              .flatMap((i) -> partialHead(), 200)
              .collectList()
              .block(Duration.ofSeconds(10));
      assertThat(responses).hasSize(200).allMatch((response) -> RawHttp.status(response) == 408);
      // This class's emulator has no event handler, so an upstream line can only be a late
      // fire-and-forget event call of an earlier class's emulator (its handler already gone).
      assertThat(log.lines())
          .filteredOn((line) -> !line.startsWith("io.github.webpubsub.emulator.internal.Upstream:"))
          .isEmpty();
    }
  }

  @Test
  void headTrickledOneLineAtATimeIsCutAtTheDeadlineAsWell() {
    // A line every 100 ms resets any idle timeout; the deadline counts from the start.
    Flux<String> trickle =
        Flux.concat(
            Mono.just("GET /api/health HTTP/1.1\r\n"),
            Flux.interval(Duration.ofMillis(100)).map((i) -> "X-Slow-" + i + ": x\r\n"));
    String response = RawHttp.exchange(port(), trickle).block(Duration.ofSeconds(5));
    assertThat(RawHttp.status(response)).isEqualTo(408);
  }

  @Test
  void connectionThatSendsNothingIsClosedWithoutAnAnswer() {
    String response = RawHttp.exchange(port(), Flux.never()).block(Duration.ofSeconds(5));
    assertThat(response).isEmpty();
  }

  @Test
  void keptAliveConnectionIsClosedWhenTheNextHeadDoesNotCome() {
    String response =
        RawHttp.exchange(
                port(),
                Flux.concat(
                    Mono.just("HEAD /api/health HTTP/1.1\r\nHost: x\r\n\r\n"), Flux.never()))
            .block(Duration.ofSeconds(5));
    assertThat(RawHttp.status(response)).isEqualTo(200);
    assertThat(response.split("HTTP/1.1 ", -1)).hasSize(2);
  }

  @Test
  void bodyThatStallsIsAnswered408AndClosed() {
    String path = "/api/hubs/h/:send";
    String host = "localhost:" + port();
    String token =
        RestClient.token(
            new TestJwt(emulator.getEmulator().getAccessKey()), "http://" + host + path, 60);
    try (LogCapture log = new LogCapture()) {
      String response =
          RawHttp.exchange(
                  port(),
                  Flux.concat(
                      Mono.just(
                          "POST "
                              + path
                              + " HTTP/1.1\r\nHost: "
                              + host
                              + "\r\nAuthorization: Bearer "
                              + token
                              + "\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nabc"),
                      Flux.never()))
              .block(Duration.ofSeconds(5));
      assertThat(RawHttp.status(response)).isEqualTo(408);
      assertThat(response)
          .contains("Error.RequestTimeout")
          .containsIgnoringCase("connection: close");
      // This class's emulator has no event handler, so an upstream line can only be a late
      // fire-and-forget event call of an earlier class's emulator (its handler already gone).
      assertThat(log.lines())
          .filteredOn((line) -> !line.startsWith("io.github.webpubsub.emulator.internal.Upstream:"))
          .isEmpty();
    }
  }

  @Test
  void webSocketIdleLongerThanTheTimeoutStaysOpen() {
    String url = "http://localhost:" + port() + "/client/hubs/idle";
    String token =
        new TestJwt(emulator.getEmulator().getAccessKey())
            .clientToken(url, "u", List.of(), List.of(), 60);
    try (TestClient client =
        TestClient.connect(
            URI.create(url.replace("http", "ws") + "?access_token=" + token),
            TestClient.JSON_PROTOCOL)) {
      await()
          .during(TIMEOUT.multipliedBy(3))
          .atMost(TIMEOUT.multipliedBy(6))
          .until(() -> !client.isClosed());
      client.send("{\"type\":\"ping\"}");
      await().until(() -> client.frames().size() == 2);
      assertThat(client.json().get(1).get("type").asString()).isEqualTo("pong");
    }
  }

  @Test
  void upgradeWhoseConnectEventTakesLongerThanTheTimeoutIsNotCut() {
    DisposableServer handler =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) -> {
                  if (request.method().name().equals("OPTIONS")) {
                    return response.header("WebHook-Allowed-Origin", "*").send();
                  }
                  return Mono.delay(TIMEOUT.multipliedBy(3)).then(response.status(204).send());
                })
            .bindNow();
    try {
      emulator
          .getEmulator()
          .addEventHandler("slowconnect", "http://localhost:" + handler.port() + "/{event}");
      String url = "http://localhost:" + port() + "/client/hubs/slowconnect";
      String token =
          new TestJwt(emulator.getEmulator().getAccessKey())
              .clientToken(url, "u", List.of(), List.of(), 60);
      assertThat(
              TestClient.upgradeStatus(
                  URI.create(url.replace("http", "ws") + "?access_token=" + token), null))
          .isEqualTo(101);
    } finally {
      handler.disposeNow();
    }
  }
}
