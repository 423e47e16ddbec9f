package io.github.webpubsub.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.test.StepVerifier;

class JwtVerifyingServerTests {

  private static final String KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  private final DisposableServer server = new JwtVerifyingServer(KEY).start(0);

  private final URI endpoint = URI.create("http://127.0.0.1:" + this.server.port());

  @AfterEach
  void stopServer() {
    this.server.disposeNow();
  }

  @Test
  void rawFloorSendIsVerifiedAndCounted() {
    Contender raw = new RawReactorNettyContender(this.endpoint, "bench", KEY);

    StepVerifier.create(raw.send("g", PublishBenchmark.MESSAGE))
        .expectComplete()
        .verify(Duration.ofSeconds(30));

    PublishBenchmark.ServerStats stats = PublishBenchmark.ServerStats.fetch(this.endpoint);
    assertThat(stats.accepted()).isEqualTo(1);
    assertThat(stats.rejected()).isZero();
  }

  @Test
  void azureSdkSendIsVerifiedAndCounted() {
    Contender sdk = new AzureSdkContender(this.endpoint, "bench", KEY);

    StepVerifier.create(sdk.send("g", PublishBenchmark.MESSAGE))
        .expectComplete()
        .verify(Duration.ofSeconds(30));

    assertThat(PublishBenchmark.ServerStats.fetch(this.endpoint).accepted()).isEqualTo(1);
  }

  @Test
  void autoConfiguredTemplateSendIsVerifiedAndCounted() {
    try (TemplateContender template =
        new TemplateContender(
            this.endpoint, "bench", KEY, true, TemplateContender.Transport.DEFAULT)) {
      // The default (webpubsub.transport=auto) in an application without WebClientCustomizers.
      assertThat(template.transport()).isEqualTo("reactor-netty");
      StepVerifier.create(template.send("g", PublishBenchmark.MESSAGE))
          .expectComplete()
          .verify(Duration.ofSeconds(30));
    }

    PublishBenchmark.ServerStats stats = PublishBenchmark.ServerStats.fetch(this.endpoint);
    assertThat(stats.accepted()).isEqualTo(1);
    assertThat(stats.raw()).contains("audienceDecodedOnly=0");
  }

  @Test
  void autoConfiguredTemplateOnTheReactorNettyTransportSendIsVerifiedAndCounted() {
    try (Contender template =
        new TemplateContender(
            this.endpoint, "bench", KEY, true, TemplateContender.Transport.REACTOR_NETTY)) {
      assertThat(template.name()).isEqualTo(TemplateNames.TEMPLATE_NETTY_OBSERVED);
      StepVerifier.create(template.send("g", PublishBenchmark.MESSAGE))
          .expectComplete()
          .verify(Duration.ofSeconds(30));
    }

    PublishBenchmark.ServerStats stats = PublishBenchmark.ServerStats.fetch(this.endpoint);
    assertThat(stats.accepted()).isEqualTo(1);
    assertThat(stats.raw()).contains("audienceDecodedOnly=0");
  }

  @Test
  void sendSignedWithAnotherKeyIsAnsweredUnauthorizedAndCounted() {
    Contender wrongKey =
        new RawReactorNettyContender(
            this.endpoint, "bench", "ZYXWVUTSRQPONMLKJIHGFEDCBA0123456789ABCDEFGH");

    StepVerifier.create(wrongKey.send("g", PublishBenchmark.MESSAGE))
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .hasMessage(
                        "Expected 202 but was 401: token signature does not verify with the access key"))
        .verify(Duration.ofSeconds(30));

    PublishBenchmark.ServerStats stats = PublishBenchmark.ServerStats.fetch(this.endpoint);
    assertThat(stats.accepted()).isZero();
    assertThat(stats.rejected()).isEqualTo(1);
  }
}
