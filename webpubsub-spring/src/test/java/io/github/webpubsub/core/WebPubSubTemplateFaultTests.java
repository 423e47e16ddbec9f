package io.github.webpubsub.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Retries, timeouts and error answers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPubSubTemplateFaultTests {

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  /** The builder every test starts from; subclasses run the same tests on another transport. */
  WebPubSubTemplate.Builder newBuilder() {
    return WebPubSubTemplate.builder(WebClient.builder());
  }

  WebPubSubTemplate template(boolean retrySendsAfterServerErrors) {
    return newBuilder()
        .endpoint(URI.create(wm.baseUrl()))
        .hub("chat")
        .accessKey(TestTokens.KEY)
        .retry(
            new WebPubSubRetrySettings(
                2, Duration.ofMillis(10), Duration.ofMillis(40), retrySendsAfterServerErrors))
        .build();
  }

  /**
   * A cold JVM on a loaded machine needs seconds for the first WebClient request (class loading,
   * Reactor Netty start-up); pay that once here so that no test's timeout measures it.
   */
  @BeforeAll
  void warmUp() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    template(false).checkServiceHealth().block(Duration.ofSeconds(60));
    wm.resetAll();
  }

  /** The first answer, then the second for every later request. */
  static void answer(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
    wm.stubFor(
        any(anyUrl())
            .inScenario("faults")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(first)
            .willSetStateTo("answered"));
    wm.stubFor(any(anyUrl()).inScenario("faults").whenScenarioStateIs("answered").willReturn(then));
  }

  static List<LoggedRequest> requests() {
    List<LoggedRequest> requests =
        new ArrayList<>(wm.getAllServeEvents().stream().map(e -> e.getRequest()).toList());
    Collections.reverse(requests);
    return requests;
  }

  static void expectAnswer(Mono<?> call, Consumer<WebPubSubResponseException> assertions) {
    expectFailure(
        call,
        ex -> {
          assertThat(ex).isInstanceOf(WebPubSubResponseException.class);
          assertions.accept((WebPubSubResponseException) ex);
        });
  }

  static void expectNoAnswer(Mono<?> call, Consumer<WebPubSubRequestException> assertions) {
    expectFailure(
        call,
        ex -> {
          assertThat(ex).isInstanceOf(WebPubSubRequestException.class);
          assertions.accept((WebPubSubRequestException) ex);
        });
  }

  static void expectFailure(Mono<?> call, Consumer<WebPubSubException> assertions) {
    StepVerifier.create(call)
        .expectErrorSatisfies(
            ex -> {
              assertThat(ex).isInstanceOf(WebPubSubException.class);
              assertions.accept((WebPubSubException) ex);
            })
        .verify(Duration.ofSeconds(60));
  }

  @Test
  void addConnectionToGroupWhenServiceAnswers503ThenSucceedsAfterRetry() {
    answer(aResponse().withStatus(503), aResponse().withStatus(200));

    StepVerifier.create(template(false).addConnectionToGroup("g1", "c1")).verifyComplete();

    List<LoggedRequest> requests = requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).getUrl()).isEqualTo(requests.get(0).getUrl());
    TestTokens.verifyRequest(requests.get(1), wm.baseUrl());
  }

  @Test
  void sendWhenServiceAnswers503WithRetryAfterIsRetriedByDefault() {
    answer(
        aResponse().withStatus(503).withHeader("retry-after-ms", "20"),
        aResponse().withStatus(202));

    StepVerifier.create(template(false).sendToAll("hello")).verifyComplete();

    assertThat(requests()).hasSize(2);
    assertThat(requests().get(1).getBodyAsString()).isEqualTo("hello");
  }

  @Test
  void sendWhenServiceAnswers503WithoutRetryAfterIsNotRetriedByDefault() {
    answer(aResponse().withStatus(503), aResponse().withStatus(202));

    expectAnswer(
        template(false).sendToAll("hello"), ex -> assertThat(ex.getStatusCode()).isEqualTo(503));
    assertThat(requests()).hasSize(1);
  }

  @Test
  void sendWhenServiceAnswers429WithRetryAfterWaitsThatLong() {
    answer(aResponse().withStatus(429).withHeader("Retry-After", "1"), aResponse().withStatus(202));

    StepVerifier.create(template(false).sendToGroup("g1", "hello")).verifyComplete();

    List<LoggedRequest> requests = requests();
    assertThat(requests).hasSize(2);
    long waitedMillis =
        requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
    assertThat(waitedMillis).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void idempotentOperationAfterConnectionResetIsRetried() {
    answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), aResponse().withStatus(200));

    StepVerifier.create(template(false).userExists("u1")).expectNext(true).verifyComplete();

    assertThat(requests()).hasSize(2);
  }

  @Test
  void sendAfterConnectionResetIsNotRetriedByDefault() {
    answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), aResponse().withStatus(202));

    expectNoAnswer(
        template(false).sendToUser("u1", "hello"),
        ex -> {
          assertThat(ex.getMessage())
              .startsWith(
                  "sendToUser on hub 'chat' at localhost:"
                      + wm.getPort()
                      + " failed: could not reach the service");
        });
    assertThat(requests()).hasSize(1);
  }

  @Test
  void sendAfter500IsNotRetriedByDefault() {
    answer(aResponse().withStatus(500), aResponse().withStatus(202));

    expectAnswer(
        template(false).sendToConnection("c1", "hello"),
        ex -> assertThat(ex.getStatusCode()).isEqualTo(500));
    assertThat(requests()).hasSize(1);
  }

  @Test
  void sendAfter500IsRetriedWhenOptedIn() {
    answer(aResponse().withStatus(500), aResponse().withStatus(202));

    StepVerifier.create(template(true).sendToConnection("c1", "hello")).verifyComplete();

    assertThat(requests()).hasSize(2);
  }

  @Test
  void sendAfterConnectionResetIsRetriedWhenOptedIn() {
    answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), aResponse().withStatus(202));

    StepVerifier.create(template(true).sendToAll("hello")).verifyComplete();

    assertThat(requests()).hasSize(2);
  }

  @Test
  void retriesAreBoundedByMaxRetries() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(502)));

    expectAnswer(
        template(false).groupExists("g1"), ex -> assertThat(ex.getStatusCode()).isEqualTo(502));
    assertThat(requests()).hasSize(3);
  }

  @Test
  void clientErrorIsNotRetried() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(400)));

    expectAnswer(
        template(true).removeUserFromAllGroups("u1"),
        ex -> assertThat(ex.getStatusCode()).isEqualTo(400));
    assertThat(requests()).hasSize(1);
  }

  @Test
  void responseSlowerThanTheTimeoutFailsWithAClearException() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202).withFixedDelay(2000)));
    WebPubSubTemplate template =
        newBuilder()
            .endpoint(URI.create(wm.baseUrl()))
            .hub("chat")
            .accessKey(TestTokens.KEY)
            .responseTimeout(Duration.ofMillis(1000))
            .build();

    expectNoAnswer(
        template.sendToAll("hello"),
        ex -> {
          assertThat(ex.getMessage())
              .isEqualTo(
                  "sendToAll on hub 'chat' at localhost:"
                      + wm.getPort()
                      + " timed out: no answer within the response timeout of PT1S");
        });
    // A send that timed out is not retried: the service may have accepted it.
    assertThat(requests()).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void jsonErrorBodyIsParsedIntoTheException() {
    wm.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-ms-error-code", "HeaderCode")
                    .withHeader("x-ms-request-id", "req-42")
                    .withBody(
                        "{\"code\":\"Error.BadRequest\",\"message\":\"Invalid syntax for filter\","
                            + "\"target\":\"Request\"}")));

    expectAnswer(
        template(false).sendToAll("x", SendOptions.defaults().filter("userId eq")),
        ex -> {
          assertThat(ex.getStatusCode()).isEqualTo(400);
          assertThat(ex.getErrorCode()).isEqualTo("Error.BadRequest");
          assertThat(ex.getRequestId()).isEqualTo("req-42");
          assertThat(ex.getMessage())
              .isEqualTo(
                  "sendToAll on hub 'chat' at localhost:"
                      + wm.getPort()
                      + " failed with status 400 Bad Request [Error.BadRequest]:"
                      + " Invalid syntax for filter (request id req-42)");
        });
  }

  @Test
  void plainTextErrorBodyBecomesTheMessage() {
    wm.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "plain/text")
                    .withBody("Internal server error.")));

    expectAnswer(
        template(false).sendToGroup("g1", "x"),
        ex -> {
          assertThat(ex.getErrorCode()).isNull();
          assertThat(ex.getMessage())
              .isEqualTo(
                  "sendToGroup on hub 'chat' at localhost:"
                      + wm.getPort()
                      + " failed with status 500 Internal Server Error:"
                      + " Internal server error.");
        });
  }

  @Test
  void emptyErrorBodyKeepsTheErrorCodeHeader() {
    wm.stubFor(
        any(anyUrl())
            .willReturn(aResponse().withStatus(401).withHeader("x-ms-error-code", "InvalidToken")));

    expectAnswer(
        template(false).checkServiceHealth(),
        ex -> {
          assertThat(ex.getErrorCode()).isEqualTo("InvalidToken");
          assertThat(ex.getMessage())
              .isEqualTo(
                  "getServiceStatus at localhost:"
                      + wm.getPort()
                      + " failed with status 401 Unauthorized [InvalidToken]");
        });
  }

  @Test
  void connectionRefusedSurfacesAsARequestExceptionNamingHostAndPort() {
    WebPubSubTemplate template =
        newBuilder()
            .endpoint(URI.create("http://127.0.0.1:1"))
            .hub("chat")
            .accessKey(TestTokens.KEY)
            .retry(WebPubSubRetrySettings.none())
            .build();

    expectNoAnswer(
        template.sendToAll("x"),
        ex -> {
          assertThat(ex.getMessage())
              .startsWith(
                  "sendToAll on hub 'chat' at 127.0.0.1:1 failed: could not reach the service"
                      + " (ConnectException");
        });
  }

  @Test
  void errorAnswerNested200000DeepIsAResponseExceptionNotAnError() {
    String body = "{\"error\":" + "[".repeat(200_000);
    answer(aResponse().withStatus(500).withBody(body), aResponse().withStatus(500).withBody(body));

    expectAnswer(
        template(false).sendToAll("hello"),
        ex -> {
          assertThat(ex.getStatusCode()).isEqualTo(500);
          assertThat(ex.getMessage())
              .startsWith(
                  "sendToAll on hub 'chat' at localhost:"
                      + wm.getPort()
                      + " failed with status 500 Internal Server Error: {\"error\":[[[")
              .hasSizeLessThan(1200);
        });
  }

  @Test
  void tokenAnswerNested200000DeepIsAWebPubSubExceptionNotAnError() {
    answer(
        aResponse().withStatus(200).withBody("[".repeat(200_000)),
        aResponse().withStatus(200).withBody("[".repeat(200_000)));

    expectFailure(
        template(false).generateClientAccessToken(ClientAccessOptions.forUser("u1")),
        ex ->
            assertThat(ex.getMessage())
                .startsWith(
                    "generateClientToken on hub 'chat' at localhost:"
                        + wm.getPort()
                        + " answered with status 200 and an unreadable body: not readable as JSON")
                .contains("nesting depth"));
  }

  @Test
  void errorAnswerOf10MegabytesIsAResponseExceptionWithoutItsBody() {
    byte[] body = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(body, (byte) 'x');
    answer(aResponse().withStatus(500).withBody(body), aResponse().withStatus(500).withBody(body));

    expectAnswer(
        template(false).sendToAll("hello"),
        ex -> {
          assertThat(ex.getStatusCode()).isEqualTo(500);
          assertThat(ex.getMessage())
              .isEqualTo(
                  "sendToAll on hub 'chat' at localhost:"
                      + wm.getPort()
                      + " failed with status 500 Internal Server Error; its body, over the limit"
                      + " of 1048576 bytes, was not read");
        });
  }

  @Test
  void pageOf10MegabytesIsAWebPubSubException() {
    byte[] body = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(body, (byte) ' ');
    answer(aResponse().withStatus(200).withBody(body), aResponse().withStatus(200).withBody(body));

    StepVerifier.create(template(false).listConnectionsInGroup("g1"))
        .expectErrorSatisfies(
            ex ->
                assertThat(ex)
                    .isExactlyInstanceOf(WebPubSubException.class)
                    .hasMessage(
                        "listConnectionsInGroup on hub 'chat' at localhost:"
                            + wm.getPort()
                            + " answered with status 200 OK and a body over the limit of 1048576"
                            + " bytes, not read"))
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void nextLinkToAnotherOriginIsNotFollowed() {
    answer(
        aResponse()
            .withStatus(200)
            .withBody(
                "{\"value\":[{\"connectionId\":\"c1\"}],"
                    + "\"nextLink\":\"http://attacker.example:9999/steal\"}"),
        aResponse().withStatus(200).withBody("{\"value\":[]}"));

    StepVerifier.create(template(false).listConnectionsInGroup("g1"))
        .expectNext(new GroupMember("c1", null))
        .expectErrorSatisfies(
            ex ->
                assertThat(ex)
                    .isExactlyInstanceOf(WebPubSubException.class)
                    .hasMessageContaining("a nextLink to another origin (attacker.example:9999)"))
        .verify(Duration.ofSeconds(30));
    assertThat(requests()).hasSize(1);
  }
}
