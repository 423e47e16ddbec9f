package io.github.webpubsub.annotation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.webpubsub.autoconfigure.annotation.WebPubSubAnnotationsAutoConfiguration;
import io.github.webpubsub.core.WebPubSubContentType;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubResponseException;
import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.github.webpubsub.core.WebPubSubTemplate;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The exact HTTP requests that annotated methods produce through a real {@link WebPubSubTemplate}.
 */
class PublishingHttpTests {

  private static final String KEY = "pUbLiShInG-tEsT-kEy-0123456789abcdefghijklm=";

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class, WebPubSubAnnotationsAutoConfiguration.class))
          .withBean(
              WebPubSubOperations.class,
              () ->
                  WebPubSubTemplate.builder(WebClient.builder())
                      .endpoint(URI.create(wm.baseUrl()))
                      .hub("chat")
                      .accessKey(KEY)
                      .retry(WebPubSubRetrySettings.none())
                      .build())
          .withBean(ChatService.class);

  @BeforeEach
  void acceptSends() {
    wm.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(202)));
    wm.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/groups/room-broken/:send"))
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-ms-error-code", "InternalServerError")
                    .withBody("{\"code\":\"InternalServerError\",\"message\":\"boom\"}")));
  }

  @Test
  void monoOfObjectIsPostedAsJsonToTheEvaluatedGroupExcludingTheSender() {
    this.runner.run(
        (context) -> {
          StepVerifier.create(context.getBean(ChatService.class).post("42", "conn-1", "hi"))
              .expectNext(new ChatMessage("conn-1", "hi"))
              .verifyComplete();
          LoggedRequest request = onlyRequest();
          assertThat(request.getMethod().getName()).isEqualTo("POST");
          assertThat(request.getUrl())
              .isEqualTo(
                  "/api/hubs/chat/groups/room-42/:send?api-version=2024-12-01&excluded=conn-1");
          assertThat(request.getHeader("Content-Type")).startsWith("application/json");
          assertThat(request.getBodyAsString())
              .isEqualTo("{\"author\":\"conn-1\",\"text\":\"hi\"}");
          assertSignedForTheExactUrl(request);
        });
  }

  @Test
  void plainStringIsPostedAsTextToTheUser() {
    this.runner.run(
        (context) -> {
          assertThat(context.getBean(ChatService.class).notify("ann")).isEqualTo("welcome ann");
          LoggedRequest request = onlyRequest();
          assertThat(request.getUrl())
              .isEqualTo("/api/hubs/chat/users/ann/:send?api-version=2024-12-01");
          assertThat(request.getHeader("Content-Type")).startsWith("text/plain");
          assertThat(request.getBodyAsString()).isEqualTo("welcome ann");
          assertSignedForTheExactUrl(request);
        });
  }

  @Test
  void bytesArePostedAsBinaryToTheConnection() {
    this.runner.run(
        (context) -> {
          context.getBean(ChatService.class).binary("conn-7");
          LoggedRequest request = onlyRequest();
          assertThat(request.getUrl())
              .isEqualTo("/api/hubs/chat/connections/conn-7/:send?api-version=2024-12-01");
          assertThat(request.getHeader("Content-Type")).isEqualTo("application/octet-stream");
          assertThat(request.getBody()).containsExactly(1, 2, 3);
        });
  }

  @Test
  void fluxElementsArePostedInOrderToAnotherHubWithEveryExclusion() {
    this.runner.run(
        (context) -> {
          StepVerifier.create(context.getBean(ChatService.class).ticks())
              .expectNext("tick-1", "tick-2", "tick-3")
              .verifyComplete();
          List<LoggedRequest> requests = requests();
          assertThat(requests)
              .extracting(LoggedRequest::getUrl)
              .containsOnly("/api/hubs/lobby/:send?api-version=2024-12-01&excluded=a&excluded=b");
          assertThat(requests)
              .extracting(LoggedRequest::getBodyAsString)
              .containsExactly("tick-1", "tick-2", "tick-3");
          requests.forEach(PublishingHttpTests::assertSignedForTheExactUrl);
        });
  }

  @Test
  void explicitContentTypeSendsTheStringAsJson() {
    this.runner.run(
        (context) -> {
          context.getBean(ChatService.class).rawJson();
          LoggedRequest request = onlyRequest();
          assertThat(request.getHeader("Content-Type")).startsWith("application/json");
          assertThat(request.getBodyAsString()).isEqualTo("{\"x\":1}");
        });
  }

  @Test
  void serviceErrorReachesTheCallerOfAMono() {
    this.runner.run(
        (context) ->
            StepVerifier.create(context.getBean(ChatService.class).post("broken", "c", "hi"))
                .expectErrorSatisfies(
                    (error) ->
                        assertThat(error)
                            .isInstanceOfSatisfying(
                                WebPubSubResponseException.class,
                                (ex) -> {
                                  assertThat(ex.getStatusCode()).isEqualTo(500);
                                  assertThat(ex.getErrorCode()).isEqualTo("InternalServerError");
                                }))
                .verify());
  }

  @Test
  void serviceErrorIsThrownFromAPlainMethod() {
    this.runner.run(
        (context) -> {
          assertThatExceptionOfType(WebPubSubResponseException.class)
              .isThrownBy(() -> context.getBean(ChatService.class).plainToBroken())
              .satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(500))
              .withMessageNotContaining(KEY);
          assertThat(onlyRequest().getUrl())
              .isEqualTo("/api/hubs/chat/groups/room-broken/:send?api-version=2024-12-01");
        });
  }

  private static LoggedRequest onlyRequest() {
    List<LoggedRequest> requests = requests();
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  private static List<LoggedRequest> requests() {
    return wm.getAllServeEvents().stream()
        .map(ServeEvent::getRequest)
        .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
        .toList();
  }

  private static void assertSignedForTheExactUrl(LoggedRequest request) {
    String authorization = request.getHeader("Authorization");
    assertThat(authorization).startsWith("Bearer ");
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    String audience = wm.baseUrl() + request.getUrl();
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefault(), new JwtAudienceValidator(audience)));
    assertThat(decoder.decode(authorization.substring("Bearer ".length())).getAudience())
        .containsExactly(audience);
  }

  record ChatMessage(String author, String text) {}

  static class ChatService {

    @SendToGroup(value = "room-#{#roomId}", excluded = "#{#senderConnectionId}")
    public Mono<ChatMessage> post(String roomId, String senderConnectionId, String text) {
      return Mono.just(new ChatMessage(senderConnectionId, text));
    }

    @SendToUser("#{#userId}")
    public String notify(String userId) {
      return "welcome " + userId;
    }

    @SendToConnection("#{#connectionId}")
    public byte[] binary(String connectionId) {
      return new byte[] {1, 2, 3};
    }

    @SendToAll(
        hub = "lobby",
        excluded = {"a", "b"})
    public Flux<String> ticks() {
      return Flux.just("tick-1", "tick-2", "tick-3");
    }

    @SendToGroup(value = "room", contentType = WebPubSubContentType.JSON)
    public String rawJson() {
      return "{\"x\":1}";
    }

    @SendToGroup("room-broken")
    public String plainToBroken() {
      return "hi";
    }
  }
}
