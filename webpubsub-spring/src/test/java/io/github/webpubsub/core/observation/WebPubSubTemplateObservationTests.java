package io.github.webpubsub.core.observation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.webpubsub.core.CloseOptions;
import io.github.webpubsub.core.WebPubSubException;
import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.github.webpubsub.core.WebPubSubTemplate;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

/**
 * Observations and metrics of template operations against WireMock playing the service: names, key
 * values, timers, retry counters and payload summaries.
 */
class WebPubSubTemplateObservationTests {

  private static final String KEY = "Zq7-TEST-ACCESS-KEY-never-show-me-4f1c9e2b8a7d6c5b";

  private static final String NAME = "webpubsub.client.requests";

  private static Set<String> timerTagKeys() {
    Set<String> keys = new java.util.HashSet<>(METRIC_TAG_KEYS);
    keys.add("error");
    return keys;
  }

  private static final Set<String> METRIC_TAG_KEYS =
      Set.of(
          "messaging.system",
          "messaging.operation.name",
          "webpubsub.hub",
          "status",
          "outcome",
          "exception",
          "server.address",
          "server.port");

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final TestObservationRegistry observations = TestObservationRegistry.create();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void registerHandlers() {
    this.observations
        .observationConfig()
        // As Spring Boot groups meter handlers: the first that supports an observation records it.
        .observationHandler(
            new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new WebPubSubMeterObservationHandler(this.meters),
                new DefaultMeterObservationHandler(this.meters)))
        .observationHandler(
            new ObservationHandler<>() {
              @Override
              public void onEvent(Observation.Event event, Observation.Context context) {
                WebPubSubTemplateObservationTests.this.events.add(event.getName());
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }
            });
  }

  private WebPubSubTemplate.Builder builder(String endpoint, int maxRetries) {
    return WebPubSubTemplate.builder(WebClient.builder())
        .endpoint(URI.create(endpoint))
        .hub("chat")
        .accessKey(KEY)
        .responseTimeout(Duration.ofSeconds(30))
        .retry(
            new WebPubSubRetrySettings(
                maxRetries, Duration.ofMillis(10), Duration.ofMillis(40), false))
        .observationRegistry(this.observations);
  }

  private WebPubSubTemplate template() {
    return builder(wm.baseUrl(), 2).build();
  }

  private static void answer(ResponseDefinitionBuilder answer) {
    wm.stubFor(any(anyUrl()).willReturn(answer));
  }

  private static void answer(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
    wm.stubFor(
        any(anyUrl())
            .inScenario("answers")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(first)
            .willSetStateTo("answered"));
    wm.stubFor(
        any(anyUrl()).inScenario("answers").whenScenarioStateIs("answered").willReturn(then));
  }

  private Timer timer(String... tags) {
    return this.meters.get(NAME).tags(tags).timer();
  }

  private static Set<String> tagKeys(Meter meter) {
    return meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet());
  }

  private static void verifyToken(LoggedRequest request) {
    String authorization = request.getHeader("Authorization");
    assertThat(authorization).startsWith("Bearer ");
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefault(),
            new JwtAudienceValidator(wm.baseUrl() + request.getUrl())));
    decoder.decode(authorization.substring("Bearer ".length()));
  }

  @Test
  void sendToGroupShouldBeObservedAsOneTimedRequestWithIdsOnlyAsHighCardinality() {
    answer(aResponse().withStatus(202));

    StepVerifier.create(template().sendToGroup("g1", "hello")).verifyComplete();

    wm.verify(
        postRequestedFor(urlEqualTo("/api/hubs/chat/groups/g1/:send?api-version=2024-12-01"))
            .withHeader("Content-Type", equalTo("text/plain"))
            .withRequestBody(equalTo("hello")));
    verifyToken(wm.getAllServeEvents().get(0).getRequest());
    TestObservationRegistryAssert.assertThat(this.observations)
        .hasSingleObservationThat()
        .hasNameEqualTo(NAME)
        .hasContextualNameEqualTo("webpubsub sendToGroup")
        .hasLowCardinalityKeyValue("messaging.operation.name", "sendToGroup")
        .hasLowCardinalityKeyValue("webpubsub.hub", "chat")
        .hasLowCardinalityKeyValue("status", "202")
        .hasLowCardinalityKeyValue("outcome", "SUCCESS")
        .hasLowCardinalityKeyValue("exception", "none")
        .hasHighCardinalityKeyValue("webpubsub.group", "g1")
        .hasHighCardinalityKeyValue("webpubsub.attempts", "1")
        .doesNotHaveLowCardinalityKeyValueWithKey("webpubsub.group")
        .doesNotHaveError()
        .hasBeenStarted()
        .hasBeenStopped();
    Timer timer =
        timer(
            "messaging.operation.name",
            "sendToGroup",
            "webpubsub.hub",
            "chat",
            "status",
            "202",
            "outcome",
            "SUCCESS");
    assertThat(timer.count()).isOne();
    // Micrometer's meter handler adds its own "error" tag to every timer.
    assertThat(tagKeys(timer)).isEqualTo(timerTagKeys());
    DistributionSummary payload =
        this.meters
            .get("webpubsub.client.payload")
            .tag("messaging.operation.name", "sendToGroup")
            .summary();
    assertThat(payload.count()).isOne();
    assertThat(payload.totalAmount()).isEqualTo(5.0);
    assertThat(payload.getId().getBaseUnit()).isEqualTo("bytes");
    assertThat(tagKeys(payload)).isEqualTo(METRIC_TAG_KEYS);
    assertThat(this.meters.find(NAME + ".retry").counters()).isEmpty();
    assertThat(this.events).isEmpty();
  }

  @Test
  void addConnectionToGroupWhenServiceAnswers400ShouldRecordAClientErrorWithoutRetry() {
    answer(
        aResponse()
            .withStatus(400)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"code\":\"Error.BadRequest\",\"message\":\"bad\"}"));

    StepVerifier.create(template().addConnectionToGroup("g1", "c1"))
        .expectError(WebPubSubException.class)
        .verify(Duration.ofSeconds(10));

    assertThat(wm.getAllServeEvents()).hasSize(1);
    TestObservationRegistryAssert.assertThat(this.observations)
        .hasSingleObservationThat()
        .hasLowCardinalityKeyValue("messaging.operation.name", "addConnectionToGroup")
        .hasLowCardinalityKeyValue("status", "400")
        .hasLowCardinalityKeyValue("outcome", "CLIENT_ERROR")
        .hasLowCardinalityKeyValue("exception", "WebPubSubResponseException")
        .hasHighCardinalityKeyValue("webpubsub.group", "g1")
        .hasHighCardinalityKeyValue("webpubsub.connection.id", "c1")
        .hasHighCardinalityKeyValue("webpubsub.attempts", "1")
        .hasError();
    assertThat(
            timer(
                    "messaging.operation.name",
                    "addConnectionToGroup",
                    "status",
                    "400",
                    "outcome",
                    "CLIENT_ERROR",
                    "exception",
                    "WebPubSubResponseException")
                .count())
        .isOne();
    assertThat(this.meters.find(NAME + ".retry").counters()).isEmpty();
    assertThat(this.meters.find("webpubsub.client.payload").summaries()).isEmpty();
  }

  @Test
  void groupExistsWhenServiceAnswers404ShouldRecordAnAnswerNotAnError() {
    answer(aResponse().withStatus(404));

    StepVerifier.create(template().groupExists("g1")).expectNext(false).verifyComplete();

    TestObservationRegistryAssert.assertThat(this.observations)
        .hasSingleObservationThat()
        .hasLowCardinalityKeyValue("messaging.operation.name", "groupExists")
        .hasLowCardinalityKeyValue("status", "404")
        .hasLowCardinalityKeyValue("outcome", "CLIENT_ERROR")
        .hasLowCardinalityKeyValue("exception", "none")
        .doesNotHaveError();
  }

  @Test
  void addUserToGroupWhenServiceAnswers503ThenSucceedsShouldRecordOneRequestAndOneRetry() {
    answer(aResponse().withStatus(503), aResponse().withStatus(200));

    StepVerifier.create(template().addUserToGroup("g1", "u1")).verifyComplete();

    assertThat(wm.getAllServeEvents()).hasSize(2);
    TestObservationRegistryAssert.assertThat(this.observations)
        .hasSingleObservationThat()
        .hasLowCardinalityKeyValue("status", "200")
        .hasLowCardinalityKeyValue("outcome", "SUCCESS")
        .hasLowCardinalityKeyValue("exception", "none")
        .hasHighCardinalityKeyValue("webpubsub.user.id", "u1")
        .hasHighCardinalityKeyValue("webpubsub.group", "g1")
        .hasHighCardinalityKeyValue("webpubsub.attempts", "2")
        .doesNotHaveError();
    assertThat(this.events).containsExactly("retry");
    assertThat(this.meters.find(NAME).timers()).hasSize(1);
    assertThat(
            timer(
                    "messaging.operation.name",
                    "addUserToGroup",
                    "webpubsub.hub",
                    "chat",
                    "status",
                    "200",
                    "exception",
                    "none")
                .count())
        .isOne();
    assertThat(
            this.meters
                .get(NAME + ".retry")
                .tags(
                    "messaging.operation.name",
                    "addUserToGroup",
                    "webpubsub.hub",
                    "chat",
                    "status",
                    "503",
                    "outcome",
                    "SERVER_ERROR",
                    "exception",
                    "WebPubSubResponseException")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void userExistsWhenServiceIsUnreachableShouldRecordIoErrorsAndEveryRetry() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    StepVerifier.create(builder("http://127.0.0.1:" + closedPort, 2).build().userExists("u1"))
        .expectErrorSatisfies(
            ex ->
                assertThat(ex)
                    .isInstanceOf(WebPubSubException.class)
                    .hasMessageStartingWith(
                        "userExists on hub 'chat' at 127.0.0.1:"
                            + closedPort
                            + " failed: could not reach the service"))
        .verify(Duration.ofSeconds(10));

    TestObservationRegistryAssert.assertThat(this.observations)
        .hasSingleObservationThat()
        .hasLowCardinalityKeyValue("status", "IO_ERROR")
        .hasLowCardinalityKeyValue("outcome", "UNKNOWN")
        .hasLowCardinalityKeyValue("exception", "WebClientRequestException")
        .hasHighCardinalityKeyValue("webpubsub.attempts", "3")
        .hasError();
    assertThat(this.events).containsExactly("retry", "retry");
    assertThat(
            timer(
                    "messaging.operation.name",
                    "userExists",
                    "status",
                    "IO_ERROR",
                    "outcome",
                    "UNKNOWN")
                .count())
        .isOne();
    assertThat(
            this.meters
                .get(NAME + ".retry")
                .tags(
                    "messaging.operation.name",
                    "userExists",
                    "status",
                    "IO_ERROR",
                    "outcome",
                    "UNKNOWN",
                    "exception",
                    "WebClientRequestException")
                .counter()
                .count())
        .isEqualTo(2.0);
  }

  @Test
  void sendToUserWhenServiceDoesNotAnswerInTimeShouldRecordATimeout() {
    answer(aResponse().withStatus(202).withFixedDelay(3000));

    StepVerifier.create(
            builder(wm.baseUrl(), 0)
                .responseTimeout(Duration.ofMillis(200))
                .build()
                .sendToUser("u1", new byte[] {1, 2, 3}))
        .expectError(WebPubSubException.class)
        .verify(Duration.ofSeconds(10));

    TestObservationRegistryAssert.assertThat(this.observations)
        .hasSingleObservationThat()
        .hasLowCardinalityKeyValue("status", "IO_ERROR")
        .hasLowCardinalityKeyValue("exception", "TimeoutException");
    DistributionSummary payload =
        this.meters
            .get("webpubsub.client.payload")
            .tags("messaging.operation.name", "sendToUser", "exception", "TimeoutException")
            .summary();
    assertThat(payload.totalAmount()).isEqualTo(3.0);
  }

  @Test
  void groupUserAndConnectionIdsShouldNeverBecomeMetricTags() {
    answer(aResponse().withStatus(200));
    WebPubSubTemplate template = template();

    StepVerifier.create(
            template
                .removeUserFromGroup("group-7f3a", "user-9c2e")
                .then(template.closeConnection("conn-4b1d", "bye"))
                .then(template.sendToConnection("conn-4b1d", "{\"a\":1}"))
                .then(template.userExists("user-9c2e")))
        .expectNext(true)
        .verifyComplete();

    TestObservationRegistryAssert.assertThat(this.observations)
        .hasNumberOfObservationsWithNameEqualTo(NAME, 4)
        .hasAnObservation(
            o ->
                o.hasLowCardinalityKeyValue("messaging.operation.name", "removeUserFromGroup")
                    .hasHighCardinalityKeyValue("webpubsub.group", "group-7f3a")
                    .hasHighCardinalityKeyValue("webpubsub.user.id", "user-9c2e"))
        .hasAnObservation(
            o ->
                o.hasLowCardinalityKeyValue("messaging.operation.name", "sendToConnection")
                    .hasHighCardinalityKeyValue("webpubsub.connection.id", "conn-4b1d"));
    assertThat(this.meters.getMeters()).isNotEmpty();
    for (Meter meter : this.meters.getMeters()) {
      assertThat(tagKeys(meter)).isSubsetOf(timerTagKeys()).containsAll(METRIC_TAG_KEYS);
      assertThat(meter.getId().getTags())
          .extracting(Tag::getValue)
          .doesNotContain("group-7f3a", "user-9c2e", "conn-4b1d");
    }
  }

  @Test
  void httpClientObservationOfEachAttemptShouldBeAChildOfTheOperation() {
    answer(aResponse().withStatus(503), aResponse().withStatus(200));
    WebPubSubTemplate template =
        WebPubSubTemplate.builder(WebClient.builder().observationRegistry(this.observations))
            .endpoint(URI.create(wm.baseUrl()))
            .hub("chat")
            .accessKey(KEY)
            .retry(
                new WebPubSubRetrySettings(2, Duration.ofMillis(10), Duration.ofMillis(40), false))
            .observationRegistry(this.observations)
            .build();

    StepVerifier.create(template.removeConnectionFromAllGroups("c1")).verifyComplete();

    TestObservationRegistryAssert.assertThat(this.observations)
        .hasNumberOfObservationsWithNameEqualTo(NAME, 1)
        .hasNumberOfObservationsWithNameEqualTo("http.client.requests", 2)
        .hasHandledContextsThatSatisfy(
            contexts -> {
              Observation.Context operation =
                  contexts.stream()
                      .filter(WebPubSubObservationContext.class::isInstance)
                      .findFirst()
                      .orElseThrow();
              List<Observation.Context> attempts =
                  contexts.stream()
                      .filter(ClientRequestObservationContext.class::isInstance)
                      .toList();
              assertThat(attempts)
                  .hasSize(2)
                  .allSatisfy(
                      attempt ->
                          assertThat(attempt.getParentObservation().getContextView())
                              .isSameAs(operation));
            });
  }

  @Test
  void parentObservationInTheReactorContextShouldBecomeTheParent() {
    answer(aResponse().withStatus(204));
    Observation parent = Observation.start("caller", this.observations);

    StepVerifier.create(
            template()
                .closeAllConnections(CloseOptions.defaults())
                .contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, parent)))
        .verifyComplete();
    parent.stop();

    TestObservationRegistryAssert.assertThat(this.observations)
        .hasObservationWithNameEqualTo(NAME)
        .that()
        .hasLowCardinalityKeyValue("messaging.operation.name", "closeAllConnections")
        .hasParentObservationEqualTo(parent);
  }

  @Test
  void cancelledOperationShouldBeStoppedOnceWithoutAnswer() {
    answer(aResponse().withStatus(202).withFixedDelay(3000));

    StepVerifier.create(template().sendToAll("hello"))
        .thenAwait(Duration.ofMillis(50))
        .thenCancel()
        .verify(Duration.ofSeconds(5));

    TestObservationRegistryAssert.assertThat(this.observations)
        .hasSingleObservationThat()
        .hasLowCardinalityKeyValue("status", "NONE")
        .hasLowCardinalityKeyValue("outcome", "UNKNOWN")
        .hasLowCardinalityKeyValue("exception", "none")
        .hasBeenStopped();
    assertThat(timer("messaging.operation.name", "sendToAll", "status", "NONE").count()).isOne();
  }

  @Test
  void conventionSetOnTheBuilderShouldReplaceTheDefault() {
    answer(aResponse().withStatus(202));
    WebPubSubObservationConvention convention =
        new DefaultWebPubSubObservationConvention() {
          @Override
          public String getName() {
            return "chat.pushes";
          }

          @Override
          public KeyValues getLowCardinalityKeyValues(WebPubSubObservationContext context) {
            return super.getLowCardinalityKeyValues(context).and(KeyValue.of("tenant", "blue"));
          }
        };

    StepVerifier.create(
            builder(wm.baseUrl(), 0).observationConvention(convention).build().sendToAll("hi"))
        .verifyComplete();

    assertThat(this.meters.find(NAME).timers()).isEmpty();
    assertThat(
            this.meters
                .get("chat.pushes")
                .tags("messaging.operation.name", "sendToAll", "tenant", "blue")
                .timer()
                .count())
        .isOne();
  }

  @Test
  void observationsDisabledByAPredicateShouldLeaveTheOperationWorking() {
    answer(aResponse().withStatus(202));
    this.observations
        .observationConfig()
        .observationPredicate((name, context) -> !(context instanceof WebPubSubObservationContext));

    StepVerifier.create(template().sendToAll("hi")).verifyComplete();

    assertThat(wm.getAllServeEvents()).hasSize(1);
    TestObservationRegistryAssert.assertThat(this.observations).doesNotHaveAnyObservation();
    assertThat(this.meters.getMeters()).isEmpty();
  }
}
