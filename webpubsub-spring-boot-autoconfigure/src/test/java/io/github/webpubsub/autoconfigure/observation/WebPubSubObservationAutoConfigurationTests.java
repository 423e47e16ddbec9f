package io.github.webpubsub.autoconfigure.observation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration;
import io.github.webpubsub.autoconfigure.WebPubSubTemplateCustomizer;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.observation.DefaultWebPubSubObservationConvention;
import io.github.webpubsub.core.observation.WebPubSubMeterObservationHandler;
import io.github.webpubsub.core.observation.WebPubSubObservationConvention;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import reactor.test.StepVerifier;

/** Wiring of the observation auto-configuration with Boot's observation and metrics support. */
class WebPubSubObservationAutoConfigurationTests {

  private static final String KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  @RegisterExtension
  static WireMockExtension service =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ObservationAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  WebClientAutoConfiguration.class,
                  WebClientObservationAutoConfiguration.class,
                  WebPubSubAutoConfiguration.class,
                  WebPubSubObservationAutoConfiguration.class))
          .withPropertyValues(
              "webpubsub.endpoint=" + service.baseUrl(),
              "webpubsub.access-key=" + KEY,
              "webpubsub.hub=chat",
              "webpubsub.retry.first-backoff=10ms",
              "webpubsub.retry.max-backoff=40ms");

  @Test
  void templateShouldBeObservedWithTheRegistryOfBootsObservationAutoConfiguration() {
    service.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
    this.runner.run(
        (context) -> {
          assertThat(context).hasSingleBean(WebPubSubTemplateCustomizer.class);
          assertThat(context).hasSingleBean(WebPubSubMeterObservationHandler.class);

          StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("hello"))
              .verifyComplete();

          service.verify(
              postRequestedFor(urlEqualTo("/api/hubs/chat/:send?api-version=2024-12-01"))
                  .withRequestBody(equalTo("hello")));
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          assertThat(
                  meters
                      .get("webpubsub.client.requests")
                      .tags(
                          "messaging.operation.name",
                          "sendToAll",
                          "webpubsub.hub",
                          "chat",
                          "status",
                          "202",
                          "outcome",
                          "SUCCESS",
                          "exception",
                          "none",
                          "error",
                          "none")
                      .timer()
                      .count())
              .isOne();
          assertThat(
                  meters
                      .get("webpubsub.client.payload")
                      .tags("messaging.operation.name", "sendToAll")
                      .summary()
                      .totalAmount())
              .isEqualTo(5.0);
        });
  }

  @Test
  void retriedOperationShouldBeTimedOnceWhileBootsHttpClientTimesEachAttempt() {
    service.stubFor(
        any(anyUrl())
            .inScenario("retry")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("recovered"));
    service.stubFor(
        any(anyUrl())
            .inScenario("retry")
            .whenScenarioStateIs("recovered")
            .willReturn(aResponse().withStatus(200)));
    // http.client.requests comes from Boot's WebClient: the web-client transport.
    this.runner
        .withPropertyValues("webpubsub.transport=web-client")
        .run(
            (context) -> {
              StepVerifier.create(
                      context.getBean(WebPubSubOperations.class).addConnectionToGroup("g1", "c1"))
                  .verifyComplete();

              service.verify(
                  2,
                  putRequestedFor(
                      urlEqualTo(
                          "/api/hubs/chat/groups/g1/connections/c1?api-version=2024-12-01")));
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(
                      meters
                          .get("webpubsub.client.requests")
                          .tags("messaging.operation.name", "addConnectionToGroup", "status", "200")
                          .timer()
                          .count())
                  .isOne();
              assertThat(
                      meters
                          .get("webpubsub.client.requests.retry")
                          .tags("messaging.operation.name", "addConnectionToGroup", "status", "503")
                          .counter()
                          .count())
                  .isEqualTo(1.0);
              assertThat(meters.get("http.client.requests").tag("status", "503").timer().count())
                  .isOne();
              assertThat(meters.get("http.client.requests").tag("status", "200").timer().count())
                  .isOne();
            });
  }

  @Test
  void conventionBeanShouldReplaceTheDefault() {
    service.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
    this.runner
        .withBean(
            WebPubSubObservationConvention.class,
            () ->
                new DefaultWebPubSubObservationConvention() {
                  @Override
                  public String getName() {
                    return "chat.pushes";
                  }
                })
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("hi"))
                  .verifyComplete();

              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(meters.find("webpubsub.client.requests").timers()).isEmpty();
              assertThat(
                      meters
                          .get("chat.pushes")
                          .tags("messaging.operation.name", "sendToAll")
                          .timer()
                          .count())
                  .isOne();
            });
  }

  @Test
  void withoutAnObservationRegistryShouldBackOff() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                WebClientAutoConfiguration.class,
                WebPubSubAutoConfiguration.class,
                WebPubSubObservationAutoConfiguration.class))
        .withPropertyValues(
            "webpubsub.endpoint=" + service.baseUrl(),
            "webpubsub.access-key=" + KEY,
            "webpubsub.hub=chat")
        .run(
            (context) -> {
              assertThat(context).hasSingleBean(WebPubSubOperations.class);
              assertThat(context).doesNotHaveBean(WebPubSubTemplateCustomizer.class);
              assertThat(context).doesNotHaveBean(WebPubSubMeterObservationHandler.class);
            });
  }

  @Test
  void withoutAMeterRegistryShouldObserveWithoutTheMeterHandler() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ObservationAutoConfiguration.class,
                WebClientAutoConfiguration.class,
                WebPubSubAutoConfiguration.class,
                WebPubSubObservationAutoConfiguration.class))
        .withPropertyValues(
            "webpubsub.endpoint=" + service.baseUrl(),
            "webpubsub.access-key=" + KEY,
            "webpubsub.hub=chat")
        .run(
            (context) -> {
              assertThat(context).hasSingleBean(WebPubSubTemplateCustomizer.class);
              assertThat(context).doesNotHaveBean(WebPubSubMeterObservationHandler.class);
            });
  }

  @Test
  void meterHandlerBeanOfTheUserShouldReplaceTheDefault() {
    this.runner
        .withBean(
            "myMeterHandler",
            WebPubSubMeterObservationHandler.class,
            () -> new WebPubSubMeterObservationHandler(new SimpleMeterRegistry()))
        .run(
            (context) ->
                assertThat(context)
                    .getBean(WebPubSubMeterObservationHandler.class)
                    .isSameAs(context.getBean("myMeterHandler")));
  }

  @Test
  void meterHandlerShouldTimeEachOperationOnceAndLeaveOtherObservationsToBootsDefaultHandler() {
    service.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
    this.runner.run(
        (context) -> {
          ObservationRegistry observations = context.getBean(ObservationRegistry.class);
          WebPubSubOperations template = context.getBean(WebPubSubOperations.class);
          for (int i = 0; i < 3; i++) {
            StepVerifier.create(template.sendToAll("hello")).verifyComplete();
          }
          Observation.createNotStarted("app.work", observations).observe(() -> {});

          MeterRegistry meters = context.getBean(MeterRegistry.class);
          // One timer per operation: recorded by one handler only, not by both.
          assertThat(meters.get("webpubsub.client.requests").timer().count()).isEqualTo(3);
          assertThat(meters.get("webpubsub.client.payload").summary().count()).isEqualTo(3);
          assertThat(meters.get("webpubsub.client.requests.active").longTaskTimer().activeTasks())
              .isZero();
          assertThat(meters.get("app.work").tag("error", "none").timer().count()).isOne();
          assertThat(meters.get("app.work.active").longTaskTimer()).isNotNull();
        });
  }

  @Test
  void meterHandlerShouldLeaveOutTheMetersBootIsToldToIgnore() {
    service.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
    this.runner
        .withPropertyValues("management.metrics.observations.ignored-meters=long-task-timer")
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("hello"))
                  .verifyComplete();

              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(meters.get("webpubsub.client.requests").timer().count()).isOne();
              assertThat(meters.find("webpubsub.client.requests.active").longTaskTimers())
                  .isEmpty();
            });
  }
}
