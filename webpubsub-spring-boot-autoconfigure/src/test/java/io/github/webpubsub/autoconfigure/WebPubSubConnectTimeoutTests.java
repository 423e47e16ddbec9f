package io.github.webpubsub.autoconfigure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.webpubsub.core.WebPubSubException;
import io.github.webpubsub.core.WebPubSubOperations;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/**
 * {@code webpubsub.connect-timeout} changes only the connect timeout of Boot's HTTP client
 * settings: the SSL bundle, Boot's connector builder and its shared Reactor resources still apply.
 *
 * <p>{@code ssl/server.p12} holds a self-signed certificate for localhost and 127.0.0.1 (valid for
 * 100 years) and {@code ssl/truststore.p12} only that certificate, both with the password {@code
 * secret123}, made with {@code keytool -genkeypair -alias server -keyalg RSA -validity 36500 -dname
 * CN=localhost -ext SAN=dns:localhost,ip:127.0.0.1 -storetype PKCS12}, {@code -exportcert} and
 * {@code -importcert}.
 */
class WebPubSubConnectTimeoutTests {

  private static final String KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  private static final String PASSWORD = "secret123";

  @RegisterExtension
  static WireMockExtension service =
      WireMockExtension.newInstance()
          .options(
              wireMockConfig()
                  .httpDisabled(true)
                  .dynamicHttpsPort()
                  .keystorePath(path("ssl/server.p12"))
                  .keystoreType("PKCS12")
                  .keystorePassword(PASSWORD)
                  .keyManagerPassword(PASSWORD))
          .build();

  /**
   * A server that never accepts, with its accept queue filled, so that the kernel drops the SYN of
   * any further connect and only a connect timeout ends it. (A non-routable address such as
   * 10.255.255.1 is not reliable: sandboxed and proxied networks answer it or refuse it.)
   */
  private static ServerSocket silentServer;

  private static final List<Socket> queued = new ArrayList<>();

  private static boolean silentServerDropsConnects;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SslAutoConfiguration.class,
                  HttpClientAutoConfiguration.class,
                  ReactiveHttpClientAutoConfiguration.class,
                  ObservationAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  JacksonAutoConfiguration.class,
                  WebClientAutoConfiguration.class,
                  WebClientObservationAutoConfiguration.class,
                  WebPubSubAutoConfiguration.class))
          .withPropertyValues(
              "webpubsub.access-key=" + KEY,
              "webpubsub.hub=chat",
              "webpubsub.connect-timeout=5s",
              "webpubsub.retry.max-retries=0",
              "spring.reactor.netty.shutdown-quiet-period=0s",
              "spring.ssl.bundle.jks.webpubsub-test.truststore.location=classpath:ssl/truststore.p12",
              "spring.ssl.bundle.jks.webpubsub-test.truststore.type=PKCS12",
              "spring.ssl.bundle.jks.webpubsub-test.truststore.password=" + PASSWORD);

  @BeforeAll
  static void fillTheAcceptQueueOfASilentServer() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    silentServer = new ServerSocket(0, 1, loopback);
    for (int i = 0; i < 50 && !silentServerDropsConnects; i++) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(loopback, silentServer.getLocalPort()), 200);
        queued.add(socket);
      } catch (SocketTimeoutException ex) {
        socket.close();
        silentServerDropsConnects = true;
      }
    }
  }

  @AfterAll
  static void closeTheSilentServer() throws IOException {
    for (Socket socket : queued) {
      socket.close();
    }
    silentServer.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"web-client", "reactor-netty"})
  void sslBundleShouldStillApplyWhenConnectTimeoutIsSet(String transport) {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=" + service.getRuntimeInfo().getHttpsBaseUrl(),
            "webpubsub.transport=" + transport,
            "spring.http.clients.ssl.bundle=webpubsub-test")
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                  .verifyComplete();
              service.verify(
                  postRequestedFor(urlPathEqualTo("/api/hubs/chat/:send"))
                      .withRequestBody(equalTo("x")));
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"web-client", "reactor-netty"})
  void withoutTheSslBundleTheSameRequestShouldFailTheHandshake(String transport) {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=" + service.getRuntimeInfo().getHttpsBaseUrl(),
            "webpubsub.transport=" + transport)
        .run(
            (context) ->
                StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                    .expectErrorSatisfies(
                        (error) -> {
                          assertThat(error).isInstanceOf(WebPubSubException.class);
                          assertThat(causes(error))
                              .anyMatch(SSLHandshakeException.class::isInstance);
                        })
                    .verify(Duration.ofSeconds(30)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"web-client", "reactor-netty"})
  void connectTimeoutShouldEndAConnectThatIsNeverAnswered(String transport) {
    assumeTrue(silentServerDropsConnects, "this system answers connects to a full accept queue");
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=http://127.0.0.1:" + silentServer.getLocalPort(),
            "webpubsub.transport=" + transport,
            "webpubsub.connect-timeout=300ms",
            "spring.http.clients.connect-timeout=1m")
        .run(
            (context) -> {
              // Bounded well below Boot's 1m here (and Reactor Netty's 30s default), yet loose
              // enough for the first request of a cold JVM.
              Duration took =
                  StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                      .expectErrorSatisfies(
                          (error) -> {
                            assertThat(error).isInstanceOf(WebPubSubException.class);
                            assertThat(causes(error))
                                .anyMatch(ConnectTimeoutException.class::isInstance);
                          })
                      .verify(Duration.ofSeconds(10));
              assertThat(took).isLessThan(Duration.ofSeconds(10));
            });
  }

  @Test
  void connectTimeoutShouldKeepBootsConnectorBuilderAndSharedReactorResources() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    AtomicReference<HttpClient> built = new AtomicReference<>();
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=" + service.getRuntimeInfo().getHttpsBaseUrl(),
            "webpubsub.connect-timeout=1234ms",
            "spring.http.clients.ssl.bundle=webpubsub-test")
        .withBean(ClientHttpConnectorBuilderCustomizer.class, () -> capturingHttpClient(built))
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                  .verifyComplete();
              assertThat(built.get()).isNotNull();
              assertThat(built.get().configuration().connectionProvider())
                  .isSameAs(context.getBean(ReactorResourceFactory.class).getConnectionProvider());
              assertThat(
                      built
                          .get()
                          .configuration()
                          .options()
                          .get(ChannelOption.CONNECT_TIMEOUT_MILLIS))
                  .isEqualTo(1234);
            });
  }

  @Test
  void reactorNettyTransportWithConnectTimeoutShouldUseBootsSharedReactorResources() {
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=" + service.getRuntimeInfo().getHttpsBaseUrl(),
            "webpubsub.transport=reactor-netty",
            "spring.http.clients.read-timeout=7s")
        .run(
            (context) -> {
              HttpClient client = ReactorNettyHttpClients.create(context, Duration.ofMillis(1234));
              assertThat(client.configuration().connectionProvider())
                  .isSameAs(context.getBean(ReactorResourceFactory.class).getConnectionProvider());
              assertThat(client.configuration().options().get(ChannelOption.CONNECT_TIMEOUT_MILLIS))
                  .isEqualTo(1234);
              assertThat(client.configuration().responseTimeout()).isEqualTo(Duration.ofSeconds(7));
            });
  }

  @Test
  void connectTimeoutShouldKeepWebClientCustomizersAndHttpClientObservations() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=" + service.getRuntimeInfo().getHttpsBaseUrl(),
            "spring.http.clients.ssl.bundle=webpubsub-test")
        .withBean(
            WebClientCustomizer.class,
            () -> (builder) -> builder.defaultHeader("X-Customized", "yes"))
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                  .verifyComplete();
              service.verify(
                  postRequestedFor(urlPathEqualTo("/api/hubs/chat/:send"))
                      .withHeader("X-Customized", equalTo("yes")));
              assertThat(
                      context
                          .getBean(MeterRegistry.class)
                          .get("http.client.requests")
                          .tag("status", "202")
                          .timer()
                          .count())
                  .isOne();
            });
  }

  @Test
  void connectTimeoutThatIsNotPositiveShouldFailWithAnAnalysis() {
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=" + service.getRuntimeInfo().getHttpsBaseUrl(),
            "webpubsub.connect-timeout=0s")
        .run(
            (context) -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              InvalidWebPubSubPropertyException cause =
                  causes(failure).stream()
                      .filter(InvalidWebPubSubPropertyException.class::isInstance)
                      .map(InvalidWebPubSubPropertyException.class::cast)
                      .findFirst()
                      .orElseThrow();
              assertThat(
                      new InvalidWebPubSubPropertyFailureAnalyzer()
                          .analyze(failure)
                          .getDescription())
                  .contains("'webpubsub.connect-timeout' must be positive but was PT0S");
              assertThat(cause.getProperty()).isEqualTo("webpubsub.connect-timeout");
            });
  }

  private static ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder>
      capturingHttpClient(AtomicReference<HttpClient> built) {
    return (builder) ->
        builder.withHttpClientCustomizer(
            (client) -> {
              built.set(client);
              return client;
            });
  }

  private static List<Throwable> causes(Throwable error) {
    List<Throwable> causes = new ArrayList<>();
    for (Throwable cause = error;
        cause != null && !causes.contains(cause);
        cause = cause.getCause()) {
      causes.add(cause);
    }
    return causes;
  }

  private static String path(String resource) {
    try {
      return new ClassPathResource(resource).getFile().getAbsolutePath();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
