package io.github.webpubsub.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.emulator.WebPubSubEmulator;
import io.github.webpubsub.emulator.boot.test.AutoConfigureWebPubSubEmulator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/**
 * The application over HTTP with its own emulator: the negotiate endpoint, its input checks, health
 * and metrics.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@AutoConfigureWebPubSubEmulator
class ChatApplicationTests {

  @Autowired private WebTestClient http;

  @Autowired private WebPubSubEmulator emulator;

  @Autowired private ChatRoom chatRoom;

  @Test
  void negotiateReturnsAClientUrlSignedWithTheKeyForTheUserAndTheRoomGroup() {
    NegotiateController.Negotiation negotiation =
        this.http
            .get()
            .uri("/negotiate?user={user}&room={room}", "Zoë O'Brien", "lobby")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(NegotiateController.Negotiation.class)
            .returnResult()
            .getResponseBody();

    assertThat(negotiation).isNotNull();
    assertThat(negotiation.user()).isEqualTo("Zoë O'Brien");
    assertThat(negotiation.room()).isEqualTo("lobby");
    String prefix = "ws://localhost:" + this.emulator.getPort() + "/client/hubs/chat?access_token=";
    assertThat(negotiation.url()).startsWith(prefix);
    Jwt jwt = decoder().decode(negotiation.url().substring(prefix.length()));
    assertThat(jwt.getSubject()).isEqualTo("Zoë O'Brien");
    assertThat(jwt.getClaimAsStringList("webpubsub.group")).containsExactly("lobby");
    assertThat(jwt.getClaims()).doesNotContainKey("role");
  }

  @Test
  void negotiateWithoutUserIsRejectedNamingTheParameterAndRule() {
    this.http
        .get()
        .uri("/negotiate?room=lobby")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("user must be 1 to 64 characters and not blank but was ''");
  }

  @Test
  void negotiateWithTooLongUserIsRejected() {
    this.http
        .get()
        .uri("/negotiate?user={user}&room=lobby", "u".repeat(65))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo(
            "user must be 1 to 64 characters and not blank but was '" + "u".repeat(65) + "'");
  }

  @Test
  void negotiateWithInvalidRoomIsRejectedNamingTheParameterAndRule() {
    this.http
        .get()
        .uri("/negotiate?user=alice&room={room}", "back room")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("room must be 1 to 64 letters, digits, '-' or '_' but was 'back room'");
  }

  @Test
  void pageIsServedWithItsScript() {
    this.http
        .get()
        .uri("/")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value((html) -> assertThat(html).contains("<script src=\"chat.js\"></script>"));
    this.http
        .get()
        .uri("/chat.js")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value((js) -> assertThat(js).contains("'json.webpubsub.azure.v1'"));
  }

  @Test
  void healthShowsWebPubSubUpAgainstTheEmbeddedEmulator() {
    this.http
        .get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP")
        .jsonPath("$.components.webpubsub.status")
        .isEqualTo("UP");
  }

  @Test
  void metricsListTheTemplatesClientRequestsIncludingAnAnnotatedPublish() {
    // @SendToGroup publishes through the template, which observes the request
    StepVerifier.create(this.chatRoom.post("lobby", "alice", "counted"))
        .expectNext(new ChatMessage("message", "alice", "counted"))
        .verifyComplete();

    this.http
        .get()
        .uri("/actuator/metrics")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.names")
        .value(
            List.class,
            (names) ->
                assertThat((Object) names)
                    .asInstanceOf(InstanceOfAssertFactories.LIST)
                    .contains("webpubsub.client.requests"));
    this.http
        .get()
        .uri(
            "/actuator/metrics/webpubsub.client.requests?tag=messaging.operation.name:sendToGroup&tag=webpubsub.hub:chat")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.measurements[?(@.statistic == 'COUNT')].value")
        .value(
            List.class,
            (counts) ->
                assertThat((Object) counts)
                    .asInstanceOf(InstanceOfAssertFactories.list(Number.class))
                    .singleElement()
                    .satisfies((count) -> assertThat(count.doubleValue()).isPositive()));
  }

  private NimbusJwtDecoder decoder() {
    byte[] key = this.emulator.getAccessKey().getBytes(StandardCharsets.UTF_8);
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefault(),
            new JwtAudienceValidator(
                "http://localhost:" + this.emulator.getPort() + "/client/hubs/chat")));
    return decoder;
  }
}
