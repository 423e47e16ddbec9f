package io.github.webpubsub.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

/**
 * The response timeout: Reactor Netty's per-request timeout once the connector is known to be
 * Reactor Netty's, a Reactor {@code timeout()} with any other connector; the same error and the
 * same retry rules either way.
 */
class WebPubSubTemplateResponseTimeoutTests {

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @BeforeEach
  void answerQuickly() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
  }

  static WebPubSubTemplate template(WebClient.Builder webClient) {
    return WebPubSubTemplate.builder(webClient)
        .endpoint(URI.create(wm.baseUrl()))
        .hub("chat")
        .accessKey(TestTokens.KEY)
        .responseTimeout(Duration.ofMillis(1000))
        .retry(new WebPubSubRetrySettings(2, Duration.ofMillis(10), Duration.ofMillis(40), false))
        .build();
  }

  /** After one answered request, every further answer is slower than the timeout. */
  static void answerTooSlowly() {
    wm.resetAll();
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202).withFixedDelay(2500)));
  }

  @Test
  void reactorNettyTimeoutFailsASendWithTheClearMessageAndDoesNotRetryIt() {
    WebPubSubTemplate template = template(WebClient.builder());
    template.sendToAll("first").block(Duration.ofSeconds(60));
    answerTooSlowly();

    StepVerifier.create(template.sendToAll("hello"))
        .expectErrorSatisfies(
            ex -> {
              assertThat(ex)
                  .isInstanceOf(WebPubSubException.class)
                  .hasMessage(
                      "sendToAll on hub 'chat' at localhost:"
                          + wm.getPort()
                          + " timed out: no answer within the response timeout"
                          + " of PT1S")
                  .hasRootCauseInstanceOf(ReadTimeoutException.class);
              assertThat(ex.getCause()).isInstanceOf(TimeoutException.class);
              assertThat(ex).isInstanceOf(WebPubSubRequestException.class);
            })
        .verify(Duration.ofSeconds(30));
    wm.verify(1, anyRequestedFor(anyUrl()));
  }

  @Test
  void reactorNettyTimeoutOfAnIdempotentRequestIsRetried() {
    WebPubSubTemplate template = template(WebClient.builder());
    template.sendToAll("first").block(Duration.ofSeconds(60));
    answerTooSlowly();

    StepVerifier.create(template.groupExists("g1"))
        .expectErrorSatisfies(
            ex ->
                assertThat(ex)
                    .isInstanceOf(WebPubSubException.class)
                    .hasMessage(
                        "groupExists on hub 'chat' at localhost:"
                            + wm.getPort()
                            + " timed out: no answer within the response"
                            + " timeout of PT1S")
                    .hasRootCauseInstanceOf(ReadTimeoutException.class))
        .verify(Duration.ofSeconds(30));
    wm.verify(3, anyRequestedFor(anyUrl()));
  }

  @Test
  void otherConnectorsTimeOutWithTheSameMessage() {
    WebPubSubTemplate template =
        template(WebClient.builder().clientConnector(new JdkClientHttpConnector()));
    template.sendToAll("first").block(Duration.ofSeconds(60));
    answerTooSlowly();

    StepVerifier.create(template.sendToAll("hello"))
        .expectErrorSatisfies(
            ex -> {
              assertThat(ex)
                  .isInstanceOf(WebPubSubException.class)
                  .hasMessage(
                      "sendToAll on hub 'chat' at localhost:"
                          + wm.getPort()
                          + " timed out: no answer within the response timeout"
                          + " of PT1S")
                  .extracting(Throwable::getCause, InstanceOfAssertFactories.THROWABLE)
                  .isInstanceOf(TimeoutException.class)
                  .hasNoCause();
            })
        .verify(Duration.ofSeconds(30));
    wm.verify(1, anyRequestedFor(anyUrl()));
  }
}
