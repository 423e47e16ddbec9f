package io.github.webpubsub.autoconfigure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.webpubsub.autoconfigure.observation.WebPubSubObservationAutoConfiguration;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubTemplate;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.transport.ProxyProvider;
import reactor.test.StepVerifier;

/**
 * {@code webpubsub.transport}: by default the cheap reactor-netty transport, built by Boot's
 * reactive connector builder (so a proxy configured the Boot way applies), and the web-client
 * transport as soon as the application configures its WebClients itself, so that nothing it
 * configured is ignored. Each test sends a real request and checks what the service received.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebPubSubTransportChoiceTests {

  private static final String KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  @RegisterExtension
  static WireMockExtension service =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  /** Everything a Boot application with actuator has around the template. */
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  HttpClientAutoConfiguration.class,
                  ReactiveHttpClientAutoConfiguration.class,
                  ObservationAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  JacksonAutoConfiguration.class,
                  CodecsAutoConfiguration.class,
                  WebClientAutoConfiguration.class,
                  WebClientObservationAutoConfiguration.class,
                  WebPubSubAutoConfiguration.class,
                  WebPubSubObservationAutoConfiguration.class))
          .withPropertyValues(
              "webpubsub.access-key=" + KEY,
              "webpubsub.hub=chat",
              "webpubsub.retry.max-retries=0",
              "spring.reactor.netty.shutdown-quiet-period=0s");

  @BeforeEach
  void acceptSends() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
  }

  @Test
  void withNothingConfiguredTheTemplateShouldSendWithReactorNetty(CapturedOutput output) {
    this.runner
        .withPropertyValues("webpubsub.endpoint=" + service.baseUrl())
        .run(
            (context) -> {
              // Boot's own customizers (connector, codecs, observation) do not count.
              assertThat(context.getBeansOfType(WebClientCustomizer.class)).hasSizeGreaterThan(2);
              assertThat(context.getBean(WebPubSubTemplate.class).toString())
                  .contains("transport=reactor-netty");
              send(context.getBean(WebPubSubOperations.class));
              verifiedSend();
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(meters.find("webpubsub.client.requests").timer()).isNotNull();
              assertThat(meters.find("http.client.requests").timer()).isNull();
            });
    assertThat(output)
        .contains(
            "Web PubSub template sends with the reactor-netty transport: webpubsub.transport=auto"
                + " and the application has no WebClientCustomizer, WebClient.Builder or"
                + " ClientHttpConnector bean of its own")
        .doesNotContain(KEY);
  }

  @Test
  void proxyConfiguredTheBootWayShouldCarryTheRequestsOfTheDefaultTransport() throws Exception {
    try (ConnectProxy proxy = new ConnectProxy(service.getPort())) {
      this.runner
          .withPropertyValues(
              "webpubsub.endpoint=http://localhost:" + service.getPort(),
              "webpubsub.connect-timeout=10s")
          .withBean(
              "proxyCustomizer",
              ClientHttpConnectorBuilderCustomizer.class,
              () -> proxyCustomizer(proxy.port()))
          .run(
              (context) -> {
                assertThat(context.getBean(WebPubSubTemplate.class).toString())
                    .contains("transport=reactor-netty");
                send(context.getBean(WebPubSubOperations.class));
                assertThat(proxy.connects())
                    .containsExactly("CONNECT localhost:" + service.getPort());
                LoggedRequest request = verifiedSend();
                assertThat(request.getHeader("Host")).isEqualTo("localhost:" + service.getPort());
              });
    }
  }

  @Test
  void applicationWebClientCustomizerShouldSelectTheWebClientTransportAndApply(
      CapturedOutput output) {
    this.runner
        .withPropertyValues("webpubsub.endpoint=" + service.baseUrl())
        .withBean(
            "extraHeader",
            WebClientCustomizer.class,
            () -> (builder) -> builder.defaultHeader("X-Customized", "yes"))
        .run(
            (context) -> {
              assertThat(context.getBean(WebPubSubTemplate.class).toString())
                  .contains("transport=web-client");
              send(context.getBean(WebPubSubOperations.class));
              assertThat(verifiedSend().getHeader("X-Customized")).isEqualTo("yes");
              assertThat(
                      context
                          .getBean(MeterRegistry.class)
                          .get("http.client.requests")
                          .tag("status", "202")
                          .timer()
                          .count())
                  .isOne();
            });
    assertThat(output)
        .contains(
            "Web PubSub template sends with the web-client transport: webpubsub.transport=auto and"
                + " the application configures its WebClients with WebClientCustomizer bean"
                + " 'extraHeader'");
  }

  @Test
  void webClientCustomizerOfAnApplicationConfigurationClassShouldSelectTheWebClientTransport() {
    this.runner
        .withPropertyValues("webpubsub.endpoint=" + service.baseUrl())
        .withUserConfiguration(CustomizerConfiguration.class)
        .run(
            (context) -> {
              assertThat(context.getBean(WebPubSubTemplate.class).toString())
                  .contains("transport=web-client");
              send(context.getBean(WebPubSubOperations.class));
              assertThat(verifiedSend().getHeader("X-From-Configuration")).isEqualTo("yes");
            });
  }

  @Test
  void applicationClientHttpConnectorShouldSelectTheWebClientTransportAndBeUsed() {
    AtomicInteger connects = new AtomicInteger();
    ClientHttpConnector delegate = new ReactorClientHttpConnector();
    ClientHttpConnector counting =
        (method, uri, requestCallback) -> {
          connects.incrementAndGet();
          return delegate.connect(method, uri, requestCallback);
        };
    this.runner
        .withPropertyValues("webpubsub.endpoint=" + service.baseUrl())
        .withBean("myConnector", ClientHttpConnector.class, () -> counting)
        .run(
            (context) -> {
              assertThat(context.getBean(WebPubSubTemplate.class).toString())
                  .contains("transport=web-client");
              send(context.getBean(WebPubSubOperations.class));
              assertThat(connects).hasValue(1);
              verifiedSend();
            });
  }

  @Test
  void applicationWebClientBuilderShouldSelectTheWebClientTransportAndBeUsed() {
    this.runner
        .withPropertyValues("webpubsub.endpoint=" + service.baseUrl())
        .withBean(
            "myBuilder",
            WebClient.Builder.class,
            () -> WebClient.builder().defaultHeader("X-Own-Builder", "yes"))
        .run(
            (context) -> {
              assertThat(context.getBean(WebPubSubTemplate.class).toString())
                  .contains("transport=web-client");
              send(context.getBean(WebPubSubOperations.class));
              assertThat(verifiedSend().getHeader("X-Own-Builder")).isEqualTo("yes");
            });
  }

  @Test
  void anotherConnectorChosenForBootShouldSelectTheWebClientTransport(CapturedOutput output) {
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=" + service.baseUrl(), "spring.http.clients.reactive.connector=jdk")
        .run(
            (context) -> {
              assertThat(context.getBean(WebPubSubTemplate.class).toString())
                  .contains("transport=web-client");
              send(context.getBean(WebPubSubOperations.class));
              verifiedSend();
            });
    assertThat(output).contains("Boot's reactive connector builder JdkClientHttpConnectorBuilder");
  }

  @Test
  void explicitWebClientShouldBeKeptWithNothingConfigured(CapturedOutput output) {
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=" + service.baseUrl(), "webpubsub.transport=web-client")
        .run(
            (context) -> {
              assertThat(context.getBean(WebPubSubProperties.class).getTransport())
                  .isEqualTo(WebPubSubProperties.Transport.WEB_CLIENT);
              assertThat(context.getBean(WebPubSubTemplate.class).toString())
                  .contains("transport=web-client");
              send(context.getBean(WebPubSubOperations.class));
              verifiedSend();
            });
    assertThat(output)
        .contains(
            "Web PubSub template sends with the web-client transport: webpubsub.transport=web-client");
  }

  @Test
  void explicitReactorNettyShouldWarnOfTheWebClientConfigurationItDoesNotApply(
      CapturedOutput output) {
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=" + service.baseUrl(), "webpubsub.transport=reactor-netty")
        .withBean(
            "extraHeader",
            WebClientCustomizer.class,
            () -> (builder) -> builder.defaultHeader("X-Customized", "yes"))
        .run(
            (context) -> {
              assertThat(context.getBean(WebPubSubTemplate.class).toString())
                  .contains("transport=reactor-netty");
              send(context.getBean(WebPubSubOperations.class));
              service.verify(
                  postRequestedFor(urlPathEqualTo("/api/hubs/chat/:send"))
                      .withHeader("X-Customized", absent()));
            });
    assertThat(output)
        .contains("WARN")
        .contains(
            "Web PubSub template sends with the reactor-netty transport"
                + " (webpubsub.transport=reactor-netty); it does not apply WebClientCustomizer bean"
                + " 'extraHeader': only the web-client transport does");
  }

  @Test
  void springBootsOwnBeansShouldBeToldApartFromTheApplications() {
    this.runner
        .withPropertyValues("webpubsub.endpoint=" + service.baseUrl())
        .withUserConfiguration(CustomizerConfiguration.class)
        .run(
            (context) -> {
              assertThat(
                      TransportChoice.declaredBySpringBoot(
                          context.getBeanFactory(), "observationWebClientCustomizer"))
                  .isTrue();
              assertThat(
                      TransportChoice.declaredBySpringBoot(
                          context.getBeanFactory(), "webClientHttpConnectorCustomizer"))
                  .isTrue();
              assertThat(
                      TransportChoice.declaredBySpringBoot(
                          context.getBeanFactory(), "configurationCustomizer"))
                  .isFalse();
            });
  }

  private static void send(WebPubSubOperations operations) {
    StepVerifier.create(operations.sendToAll("hello")).verifyComplete();
  }

  /** The one send the service received, signed with the key. */
  private static LoggedRequest verifiedSend() {
    List<LoggedRequest> requests =
        service.findAll(postRequestedFor(urlPathEqualTo("/api/hubs/chat/:send")));
    assertThat(requests).hasSize(1);
    LoggedRequest request = requests.get(0);
    assertThat(request.getBodyAsString()).isEqualTo("hello");
    String authorization = request.getHeader("Authorization");
    assertThat(authorization).startsWith("Bearer ");
    NimbusJwtDecoder.withSecretKey(
            new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
        .macAlgorithm(MacAlgorithm.HS256)
        .build()
        .decode(authorization.substring("Bearer ".length()));
    service.verify(
        postRequestedFor(urlPathEqualTo("/api/hubs/chat/:send"))
            .withQueryParam("api-version", equalTo("2024-12-01")));
    return request;
  }

  /** How a Boot 4 application sets a proxy for its reactive HTTP clients. */
  private static ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder>
      proxyCustomizer(int proxyPort) {
    return (builder) ->
        builder.withHttpClientCustomizer(
            (client) ->
                client.proxy(
                    (proxy) ->
                        proxy
                            .type(ProxyProvider.Proxy.HTTP)
                            .host(InetAddress.getLoopbackAddress().getHostAddress())
                            .port(proxyPort)));
  }

  @Configuration(proxyBeanMethods = false)
  static class CustomizerConfiguration {

    @Bean
    WebClientCustomizer configurationCustomizer() {
      return (builder) -> builder.defaultHeader("X-From-Configuration", "yes");
    }
  }

  /**
   * A forward proxy that answers {@code CONNECT} (as Reactor Netty's HTTP proxy support sends for
   * every request) by tunnelling to the service on the loopback address, whatever host was asked
   * for, and records each {@code CONNECT} line.
   */
  static final class ConnectProxy implements AutoCloseable {

    private static final int MAX_HEAD = 8192;

    private final ServerSocket server;

    private final List<String> connects = new CopyOnWriteArrayList<>();

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private final int targetPort;

    ConnectProxy(int targetPort) throws IOException {
      this.targetPort = targetPort;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::accept, "connect-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return this.server.getLocalPort();
    }

    List<String> connects() {
      return this.connects;
    }

    private void accept() {
      while (!this.server.isClosed()) {
        try {
          Socket client = this.server.accept();
          this.sockets.add(client);
          Thread tunnel = new Thread(() -> tunnel(client), "connect-proxy-tunnel");
          tunnel.setDaemon(true);
          tunnel.start();
        } catch (IOException ex) {
          return; // closed
        }
      }
    }

    private void tunnel(Socket client) {
      try {
        InputStream in = client.getInputStream();
        String head = readHead(in);
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        if (!requestLine.startsWith("CONNECT ")) {
          client.getOutputStream().write(bytes("HTTP/1.1 405 Method Not Allowed\r\n\r\n"));
          client.close();
          return;
        }
        this.connects.add(requestLine.substring(0, requestLine.lastIndexOf(' ')));
        Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
        this.sockets.add(target);
        client.getOutputStream().write(bytes("HTTP/1.1 200 Connection established\r\n\r\n"));
        Thread back = new Thread(() -> pipe(target, client), "connect-proxy-back");
        back.setDaemon(true);
        back.start();
        pipe(client, target);
      } catch (IOException | RuntimeException ex) {
        closeQuietly(client);
      }
    }

    /** The request line and headers, up to the blank line; nothing of the tunnel after it. */
    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      byte[] end = bytes("\r\n\r\n");
      while (matched < end.length) {
        int b = in.read();
        if (b < 0 || head.size() >= MAX_HEAD) {
          throw new IOException("no complete proxy request head");
        }
        head.write(b);
        matched = (b == end[matched]) ? matched + 1 : ((b == end[0]) ? 1 : 0);
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void pipe(Socket from, Socket to) {
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to.getOutputStream();
        in.transferTo(out);
      } catch (IOException ex) {
        // the other side closed
      } finally {
        closeQuietly(to);
      }
    }

    private static byte[] bytes(String text) {
      return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(Socket socket) {
      try {
        socket.close();
      } catch (IOException ex) {
        // already closed
      }
    }

    @Override
    public void close() throws IOException {
      this.server.close();
      this.sockets.forEach(ConnectProxy::closeQuietly);
    }
  }
}
