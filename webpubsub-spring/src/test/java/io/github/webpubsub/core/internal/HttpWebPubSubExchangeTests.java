package io.github.webpubsub.core.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.webpubsub.core.WebPubSubRetrySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Which answer bodies the exchange reads, and that unread ones give their connection back. */
class HttpWebPubSubExchangeTests {

  static final String KEY = "Zq7-TEST-ACCESS-KEY-never-show-me-4f1c9e2b8a7d6c5b";

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  /** One pooled connection: a body left unreleased would hold it and stall the next request. */
  final ConnectionProvider oneConnection =
      ConnectionProvider.builder("one")
          .maxConnections(1)
          .pendingAcquireTimeout(Duration.ofSeconds(5))
          .build();

  /** Both transports, each on the single pooled connection. */
  enum Transport {
    WEB_CLIENT,
    REACTOR_NETTY
  }

  HttpWebPubSubExchange exchange(Transport transport) {
    HttpClient httpClient = HttpClient.create(this.oneConnection);
    Duration responseTimeout = Duration.ofSeconds(30);
    HttpTransport http =
        switch (transport) {
          case WEB_CLIENT ->
              new WebClientTransport(
                  WebClient.builder()
                      .clientConnector(new ReactorClientHttpConnector(httpClient))
                      .build(),
                  responseTimeout);
          case REACTOR_NETTY -> new ReactorNettyTransport(httpClient, responseTimeout);
        };
    return new HttpWebPubSubExchange(
        http,
        wm.baseUrl(),
        null,
        new AccessKeySigner(KEY, java.time.Clock.systemUTC()),
        new RetryPolicy(WebPubSubRetrySettings.defaults()),
        responseTimeout,
        Schedulers.parallel());
  }

  @AfterEach
  void disposePool() {
    this.oneConnection.dispose();
  }

  static WebPubSubRequest.Builder send() {
    return WebPubSubRequest.of("sendToAll", "chat", HttpMethod.POST)
        .path("/api/hubs/chat/:send")
        .query("api-version", "2024-12-01")
        .body("hi".getBytes(StandardCharsets.UTF_8), "text/plain")
        .send();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void successBodyOfAnOperationReturningNothingIsReleasedUnreadAndTheConnectionIsReused(
      Transport transport) {
    HttpWebPubSubExchange exchange = exchange(transport);
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202).withBody("accepted, ignored")));

    for (int i = 0; i < 5; i++) {
      WebPubSubResponse response = exchange.exchange(send().build()).block(Duration.ofSeconds(30));
      assertThat(response).isNotNull();
      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(response.body()).isEmpty();
    }
    wm.verify(5, anyRequestedFor(anyUrl()));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void successBodyOfAnOperationReturningJsonIsRead(Transport transport) {
    HttpWebPubSubExchange exchange = exchange(transport);
    wm.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"token\":\"abc\"}")));

    WebPubSubResponse response =
        exchange
            .exchange(
                WebPubSubRequest.of("generateClientToken", "chat", HttpMethod.POST)
                    .path("/api/hubs/chat/:generateToken")
                    .query("api-version", "2024-12-01")
                    .readsBody()
                    .build())
            .block(Duration.ofSeconds(30));

    assertThat(response).isNotNull();
    assertThat(response.bodyAsString()).isEqualTo("{\"token\":\"abc\"}");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void errorBodyIsReadEvenWhenSuccessBodiesAreNot(Transport transport) {
    HttpWebPubSubExchange exchange = exchange(transport);
    wm.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"code\":\"Error.BadRequest\",\"message\":\"bad filter\"}")));

    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> exchange.exchange(send().build()).block(Duration.ofSeconds(30))))
        .hasMessageContaining("bad filter");
  }
}
