package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/** A modest load for CI: 500 clients, 100 group messages each, every delivery counted in order. */
class EmulatorLoadIntegrationTests {

  private static final int CLIENTS = 500;

  private static final int MESSAGES = 100;

  @Test
  void fiveHundredClientsReceiveEveryOneOfFiftyThousandDeliveriesInOrder() {
    try (WebPubSubEmulator emulator = WebPubSubEmulator.start()) {
      String url = "http://localhost:" + emulator.getPort() + "/client/hubs/load";
      TestJwt key = new TestJwt(emulator.getAccessKey());
      HttpClient http = HttpClient.newConnection();
      List<TestClient> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        String token = key.clientToken(url, "user" + i, List.of(), List.of("all"), 60);
        URI uri = URI.create(url.replace("http", "ws") + "?access_token=" + token);
        clients.add(
            TestClient.start(http, uri, (i % 2 == 0) ? null : TestClient.JSON_PROTOCOL, true));
      }
      Flux.fromIterable(clients).flatMap(TestClient::opened).blockLast(Duration.ofSeconds(60));
      await().atMost(Duration.ofSeconds(30)).until(() -> emulator.getConnectionCount() == CLIENTS);
      RestClient rest = new RestClient(emulator);
      for (int m = 0; m < MESSAGES; m++) {
        assertThat(
                rest.signed(
                        HttpMethod.POST, "/api/hubs/load/groups/all/:send", "text/plain", "m" + m)
                    .status())
            .isEqualTo(202);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  clients.stream().mapToInt(TestClient::count).sum()
                      == CLIENTS * MESSAGES + CLIENTS / 2);
      for (int i = 0; i < CLIENTS; i++) {
        TestClient client = clients.get(i);
        List<String> texts = client.texts();
        boolean json = i % 2 == 1;
        assertThat(texts).hasSize(json ? MESSAGES + 1 : MESSAGES);
        for (int m = 0; m < MESSAGES; m++) {
          String text = texts.get(json ? m + 1 : m);
          if (json) {
            assertThat(TestClient.JSON.readTree(text).get("data").asString()).isEqualTo("m" + m);
          } else {
            assertThat(text).isEqualTo("m" + m);
          }
        }
      }
      emulator.close();
      await().until(() -> clients.stream().allMatch(TestClient::isClosed));
    }
  }
}
