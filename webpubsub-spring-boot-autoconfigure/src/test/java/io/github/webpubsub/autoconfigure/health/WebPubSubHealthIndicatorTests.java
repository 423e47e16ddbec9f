package io.github.webpubsub.autoconfigure.health;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubTemplate;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

class WebPubSubHealthIndicatorTests {

  private static final String KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  @RegisterExtension
  static WireMockExtension service =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  WebClientAutoConfiguration.class,
                  WebPubSubAutoConfiguration.class,
                  WebPubSubHealthContributorAutoConfiguration.class))
          .withPropertyValues(
              "webpubsub.endpoint=" + service.baseUrl(),
              "webpubsub.access-key=" + KEY,
              "webpubsub.hub=chat",
              "webpubsub.health.timeout=10s");

  @Test
  void healthWhenServiceAnswers200ShouldReportUpWithHostAndResponseTime() {
    service.stubFor(head(urlPathEqualTo("/api/health")).willReturn(aResponse().withStatus(200)));
    this.runner.run(
        (context) -> {
          Health health = context.getBean(WebPubSubHealthIndicator.class).health().block();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("endpoint", "localhost");
          assertThat(health.getDetails().get("responseTime")).asString().endsWith("ms");
          assertThat(health.getDetails().toString()).doesNotContain(KEY);
          service.verify(headRequestedFor(urlPathEqualTo("/api/health")));
        });
  }

  @Test
  void healthWhenServiceAnswers401ShouldReportDownWithTheStatus() {
    service.stubFor(head(urlPathEqualTo("/api/health")).willReturn(aResponse().withStatus(401)));
    this.runner.run(
        (context) -> {
          Health health = context.getBean(WebPubSubHealthIndicator.class).health().block();
          assertThat(health.getStatus()).isEqualTo(Status.DOWN);
          assertThat(health.getDetails())
              .containsEntry("status", 401)
              .containsEntry("endpoint", "localhost");
        });
  }

  @Test
  void healthWhenServiceAnswers503ShouldReportDownAtOnceWithoutRetrying() {
    service.stubFor(head(urlPathEqualTo("/api/health")).willReturn(aResponse().withStatus(503)));
    this.runner.run(
        (context) -> {
          Health health = context.getBean(WebPubSubHealthIndicator.class).health().block();
          assertThat(health.getStatus()).isEqualTo(Status.DOWN);
          assertThat(health.getDetails()).containsEntry("status", 503);
          service.verify(1, headRequestedFor(urlPathEqualTo("/api/health")));
        });
  }

  @Test
  void healthWhenServiceIsSlowerThanTheTimeoutShouldReportDown() {
    service.stubFor(
        head(urlPathEqualTo("/api/health"))
            .willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
    this.runner
        .withPropertyValues("webpubsub.health.timeout=1s")
        .run(
            (context) -> {
              Health health = context.getBean(WebPubSubHealthIndicator.class).health().block();
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails()).containsEntry("error", "timeout after 1000ms");
            });
  }

  @Test
  void healthWhenServiceIsUnreachableShouldReportDownWithTheExceptionType() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                WebClientAutoConfiguration.class,
                WebPubSubAutoConfiguration.class,
                WebPubSubHealthContributorAutoConfiguration.class))
        .withPropertyValues(
            "webpubsub.endpoint=http://127.0.0.1:1",
            "webpubsub.access-key=" + KEY,
            "webpubsub.hub=chat",
            "webpubsub.retry.max-retries=0")
        .run(
            (context) -> {
              Health health = context.getBean(WebPubSubHealthIndicator.class).health().block();
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails()).containsKey("error");
              assertThat(health.getDetails().get("error")).asString().doesNotContain(KEY);
            });
  }

  @Test
  void contributorShouldBeNamedSoThatItsComponentIsWebpubsub() {
    service.stubFor(head(urlPathEqualTo("/api/health")).willReturn(aResponse().withStatus(200)));
    this.runner.run(
        (context) ->
            assertThat(context)
                .getBean("webpubsubHealthContributor")
                .isInstanceOf(WebPubSubHealthIndicator.class));
  }

  @Test
  void healthWithSeveralOperationsBeansShouldReportEachByBeanName() {
    service.stubFor(head(urlPathEqualTo("/api/health")).willReturn(aResponse().withStatus(200)));
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                WebClientAutoConfiguration.class,
                WebPubSubAutoConfiguration.class,
                WebPubSubHealthContributorAutoConfiguration.class))
        .withPropertyValues("webpubsub.health.timeout=10s")
        .withBean("chatOperations", WebPubSubOperations.class, () -> template("chat"))
        .withBean("newsOperations", WebPubSubOperations.class, () -> template("news"))
        .run(
            (context) -> {
              assertThat(context).hasNotFailed();
              ReactiveHealthContributor contributor =
                  context.getBean("webpubsubHealthContributor", ReactiveHealthContributor.class);
              assertThat(contributor).isInstanceOf(CompositeReactiveHealthContributor.class);
              CompositeReactiveHealthContributor composite =
                  (CompositeReactiveHealthContributor) contributor;
              List<String> names = new ArrayList<>();
              composite.stream().forEach((entry) -> names.add(entry.name()));
              assertThat(names).containsExactlyInAnyOrder("chatOperations", "newsOperations");
              for (String name : names) {
                Health health =
                    ((ReactiveHealthIndicator) composite.getContributor(name)).health().block();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("endpoint", "localhost");
              }
            });
  }

  private static WebPubSubTemplate template(String hub) {
    return WebPubSubTemplate.builder(WebClient.builder())
        .endpoint(URI.create(service.baseUrl()))
        .hub(hub)
        .accessKey(KEY)
        .build();
  }

  @Test
  void indicatorShouldBeSwitchedOffByManagementHealthProperty() {
    this.runner
        .withPropertyValues("management.health.webpubsub.enabled=false")
        .run((context) -> assertThat(context).doesNotHaveBean(WebPubSubHealthIndicator.class));
  }

  @Test
  void indicatorShouldBackOffWithoutSpringBootHealth() {
    this.runner
        .withClassLoader(new FilteredClassLoader(AbstractReactiveHealthIndicator.class))
        .run((context) -> assertThat(context).doesNotHaveBean("webpubsubHealthContributor"));
  }
}
