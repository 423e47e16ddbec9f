package io.github.webpubsub.eventhandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end: the emulator calls the application's event handler while a real WebSocket client
 * connects, sends an event, publishes to the group the connect answer put it in, and disconnects.
 */
@SpringBootTest(
    classes = EventHandlerIntegrationTests.ChatApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=reactive",
      "webpubsub.hub=chat",
      "webpubsub.event-handler.hubs=chat"
    })
class EventHandlerIntegrationTests {

  private static final String KEY = "integration-test-access-key-0123456789abcdef";

  private static final WebPubSubEmulator emulator =
      WebPubSubEmulator.builder().port(0).accessKey(KEY).start();

  private static final JsonMapper json = JsonMapper.builder().build();

  @LocalServerPort int port;

  @Autowired Listeners listeners;

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void clientConnectsIsRenamedAndGroupedByTheAppGetsRepliesAndIsSeenDisconnecting() {
    emulator.addEventHandler("chat", "http://localhost:" + this.port + "/eventhandler/{event}");
    Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    Disposable client =
        HttpClient.create()
            .websocket(WebsocketClientSpec.builder().protocols("json.webpubsub.azure.v1").build())
            .uri(
                emulator.getEndpoint().toString().replace("http", "ws")
                    + "/client/hubs/chat?access_token="
                    + token("token-user"))
            .handle(
                (in, out) ->
                    Mono.when(
                        in.receive()
                            .asString(StandardCharsets.UTF_8)
                            .doOnNext(frame -> received.add(json.readTree(frame)))
                            .then(),
                        out.sendString(outgoing.asFlux()).then()))
            .subscribe();
    try {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received).isNotEmpty());
      JsonNode connected = received.get(0);
      assertThat(connected.get("type").asString()).isEqualTo("system");
      assertThat(connected.get("event").asString()).isEqualTo("connected");
      assertThat(connected.get("userId").asString()).isEqualTo("alice");
      String connectionId = connected.get("connectionId").asString();
      assertThat(this.listeners.calls)
          .contains(
              "connect " + connectionId + " sub=token-user protocols=[json.webpubsub.azure.v1]");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(this.listeners.calls)
                      .contains("connected " + connectionId + " alice"));

      outgoing.tryEmitNext(
          "{\"type\":\"event\",\"event\":\"echo\",\"ackId\":1,\"dataType\":\"json\","
              + "\"data\":{\"text\":\"hi\"}}");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(received).hasSizeGreaterThanOrEqualTo(3));
      assertThat(received.get(1).toString())
          .isEqualTo(
              "{\"type\":\"message\",\"from\":\"server\",\"dataType\":\"json\","
                  + "\"data\":{\"text\":\"hi\",\"user\":\"alice\",\"room\":\"room1\"}}");
      assertThat(received.get(2).toString())
          .isEqualTo("{\"type\":\"ack\",\"ackId\":1,\"success\":true}");

      outgoing.tryEmitNext(
          "{\"type\":\"sendToGroup\",\"group\":\"room1\",\"ackId\":2,\"dataType\":\"text\","
              + "\"data\":\"to the room\"}");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(received).hasSizeGreaterThanOrEqualTo(5));
      assertThat(received.subList(3, 5))
          .extracting(JsonNode::toString)
          .containsExactlyInAnyOrder(
              "{\"type\":\"message\",\"from\":\"group\",\"group\":\"room1\",\"fromUserId\":\"alice\","
                  + "\"dataType\":\"text\",\"data\":\"to the room\"}",
              "{\"type\":\"ack\",\"ackId\":2,\"success\":true}");
      outgoing.tryEmitComplete();
      client.dispose();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(this.listeners.calls)
                      .anyMatch(call -> call.startsWith("disconnected " + connectionId + " ")));
      assertThat(this.listeners.applicationEvents)
          .extracting(event -> event.getClass().getSimpleName())
          .containsSubsequence(
              "WebPubSubConnectEvent",
              "WebPubSubConnectedEvent",
              "WebPubSubUserEvent",
              "WebPubSubDisconnectedEvent");
    } finally {
      client.dispose();
    }
  }

  private String token(String subject) {
    NimbusJwtEncoder encoder =
        NimbusJwtEncoder.withSecretKey(
                new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .algorithm(MacAlgorithm.HS256)
            .build();
    Instant now = Instant.now();
    return encoder
        .encode(
            JwtEncoderParameters.from(
                JwsHeader.with(MacAlgorithm.HS256).type("JWT").build(),
                JwtClaimsSet.builder()
                    .subject(subject)
                    .audience(List.of(emulator.getEndpoint() + "/client/hubs/chat"))
                    .issuedAt(now)
                    .expiresAt(now.plusSeconds(300))
                    .build()))
        .getTokenValue();
  }

  record Echo(String text, String user, String room) {}

  static class Listeners {

    final List<String> calls = new CopyOnWriteArrayList<>();

    final List<WebPubSubEvent> applicationEvents = new CopyOnWriteArrayList<>();

    @WebPubSubConnectListener("chat")
    WebPubSubConnectResponse connect(
        WebPubSubConnectionContext context, WebPubSubConnectRequest request) {
      this.calls.add(
          "connect "
              + context.getConnectionId()
              + " sub="
              + request.claim("sub")
              + " protocols="
              + request.subprotocols());
      context.setState("room", "room1");
      return WebPubSubConnectResponse.accept()
          .userId("alice")
          .groups("room1")
          .roles("webpubsub.sendToGroup.room1");
    }

    @WebPubSubConnectedListener
    void connected(WebPubSubConnectionContext context) {
      this.calls.add("connected " + context.getConnectionId() + " " + context.getUserId());
    }

    @WebPubSubEventListener(hub = "chat", event = "echo")
    Mono<Echo> echo(JsonNode data, WebPubSubConnectionContext context) {
      return Mono.just(
          new Echo(
              data.get("text").asString(),
              context.getUserId(),
              context.getState("room", String.class)));
    }

    @WebPubSubDisconnectedListener
    void disconnected(WebPubSubDisconnectedRequest request, WebPubSubConnectionContext context) {
      this.calls.add("disconnected " + context.getConnectionId() + " " + request.reason());
    }

    @org.springframework.context.event.EventListener
    void on(WebPubSubEvent event) {
      this.applicationEvents.add(event);
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class ChatApplication {

    @Bean
    WebPubSubConnectionDetails webPubSubConnectionDetails() {
      return new WebPubSubConnectionDetails() {
        @Override
        public URI getEndpoint() {
          return emulator.getEndpoint();
        }

        @Override
        public String getAccessKey() {
          return KEY;
        }
      };
    }

    @Bean
    Listeners listeners() {
      return new Listeners();
    }
  }
}
