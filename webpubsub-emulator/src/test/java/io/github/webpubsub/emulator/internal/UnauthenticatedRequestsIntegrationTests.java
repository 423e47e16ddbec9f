package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Requests that are not authenticated leave nothing behind: no hub is created for them, whatever
 * hub names they use. Tested here, inside the package, because the hub count is internal.
 */
class UnauthenticatedRequestsIntegrationTests {

  private static final String KEY = "unauthenticated-tests-key-0123456789abcdef";

  private static final int ATTEMPTS = 50;

  private final EmulatorServer server = EmulatorServer.start("127.0.0.1", 0, KEY, 16);

  @AfterEach
  void stop() {
    this.server.close(Duration.ofSeconds(5));
  }

  private String base() {
    return "http://localhost:" + this.server.port();
  }

  private int status(String method, String pathAndQuery) {
    return HttpClient.create()
        .request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
        .uri(base() + pathAndQuery)
        .responseSingle((response, body) -> Mono.just(response.status().code()))
        .block(Duration.ofSeconds(10));
  }

  private int upgradeStatus(String pathAndQuery) {
    try {
      HttpClient.create()
          .websocket()
          .uri(base().replace("http", "ws") + pathAndQuery)
          .handle((in, out) -> in.receiveCloseStatus())
          .blockLast(Duration.ofSeconds(10));
      return 101;
    } catch (RuntimeException ex) {
      Throwable cause = ex;
      while (cause != null
          && !(cause
              instanceof
              io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException)) {
        cause = cause.getCause();
      }
      if (cause
          instanceof io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException e) {
        return e.response().status().code();
      }
      throw ex;
    }
  }

  private WebSocketCloseStatus recoveryClose(String hub) {
    return HttpClient.create()
        .websocket()
        .uri(
            base().replace("http", "ws")
                + "/client/hubs/"
                + hub
                + "?awps_connection_id=c&awps_reconnection_token=t")
        .handle((in, out) -> in.receiveCloseStatus())
        .blockLast(Duration.ofSeconds(10));
  }

  @Test
  void unauthenticatedUpgradesAndRestCallsOnDistinctHubsCreateNoHub() {
    int before = this.server.hubCount();
    String forged =
        new Jwt("another-key-that-is-at-least-32-bytes-long")
            .sign(
                Map.of(
                    "aud",
                    base() + "/client/hubs/forged",
                    "exp",
                    Instant.now().getEpochSecond() + 60));
    for (int i = 0; i < ATTEMPTS; i++) {
      assertThat(recoveryClose("recover" + i).code()).isEqualTo(1008);
      assertThat(upgradeStatus("/client/hubs/anonymous" + i)).isEqualTo(401);
      assertThat(upgradeStatus("/client/hubs/forged" + i + "?access_token=" + forged))
          .isEqualTo(401);
      assertThat(status("POST", "/api/hubs/rest" + i + "/:send")).isEqualTo(401);
      assertThat(status("HEAD", "/api/hubs/rest" + i + "/users/u")).isEqualTo(401);
    }
    assertThat(this.server.hubCount()).isEqualTo(before);
  }

  @Test
  void anAuthenticatedRestCallThatKeepsStateCreatesItsHub() {
    // Adding a user to a group is kept for the user's later connections, so the hub stays.
    String url = base() + "/api/hubs/counted/users/u/groups/g";
    String token =
        new Jwt(KEY).sign(Map.of("aud", url, "exp", Instant.now().getEpochSecond() + 60));
    int status =
        HttpClient.create()
            .headers((h) -> h.set("Authorization", "Bearer " + token))
            .put()
            .uri(url)
            .responseSingle((response, body) -> Mono.just(response.status().code()))
            .block(Duration.ofSeconds(10));
    assertThat(status).isEqualTo(200);
    assertThat(this.server.hubCount()).isEqualTo(1);
  }
}
