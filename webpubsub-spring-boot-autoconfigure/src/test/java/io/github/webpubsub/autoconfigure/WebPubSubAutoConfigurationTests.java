package io.github.webpubsub.autoconfigure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.webpubsub.core.WebPubSubException;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubTemplate;
import io.github.webpubsub.core.WebPubSubTokenProvider;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class WebPubSubAutoConfigurationTests {

  private static final String KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  @RegisterExtension
  static WireMockExtension service =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JacksonAutoConfiguration.class,
                  WebClientAutoConfiguration.class,
                  WebPubSubAutoConfiguration.class));

  private String connectionString() {
    return "Endpoint=http://localhost;Port="
        + service.getPort()
        + ";AccessKey="
        + KEY
        + ";Version=1.0;";
  }

  @Test
  void connectionStringShouldConfigureATemplateThatSignsWithTheKey() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    this.runner
        .withPropertyValues(
            "webpubsub.connection-string=" + connectionString(), "webpubsub.hub=chat")
        .run(
            (context) -> {
              assertThat(context).hasSingleBean(WebPubSubTemplate.class);
              WebPubSubOperations operations = context.getBean(WebPubSubOperations.class);
              assertThat(operations.getHub()).isEqualTo("chat");
              StepVerifier.create(operations.sendToAll("hello")).verifyComplete();
              LoggedRequest request = onlyRequest();
              assertThat(request.queryParameter("api-version").firstValue())
                  .isEqualTo("2024-12-01");
              Jwt jwt = verifiedJwt(request, KEY);
              assertThat(jwt.getAudience()).containsExactly(request.getAbsoluteUrl());
            });
  }

  @Test
  void endpointAndAccessKeyShouldConfigureTheTemplate() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/news/:send")).willReturn(aResponse().withStatus(202)));
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=" + service.baseUrl(),
            "webpubsub.access-key=" + KEY,
            "webpubsub.hub=news",
            "webpubsub.api-version=2021-08-01-preview")
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("hi"))
                  .verifyComplete();
              LoggedRequest request = onlyRequest();
              assertThat(request.queryParameter("api-version").firstValue())
                  .isEqualTo("2021-08-01-preview");
              verifiedJwt(request, KEY);
            });
  }

  @Test
  void userOperationsBeanShouldMakeTheAutoConfigurationBackOff() {
    this.runner
        .withPropertyValues(
            "webpubsub.connection-string=" + connectionString(), "webpubsub.hub=chat")
        .withBean(
            "myTemplate",
            WebPubSubOperations.class,
            () ->
                WebPubSubTemplate.builder(
                        org.springframework.web.reactive.function.client.WebClient.builder())
                    .endpoint(URI.create("http://localhost:1"))
                    .hub("mine")
                    .accessKey(KEY)
                    .build())
        .run(
            (context) -> {
              assertThat(context).hasSingleBean(WebPubSubOperations.class);
              assertThat(context.getBean(WebPubSubOperations.class).getHub()).isEqualTo("mine");
            });
  }

  @Test
  void connectionDetailsBeanShouldReplaceTheProperties() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    WebPubSubConnectionDetails details =
        new WebPubSubConnectionDetails() {
          @Override
          public URI getEndpoint() {
            return URI.create(service.baseUrl());
          }

          @Override
          public String getAccessKey() {
            return KEY;
          }
        };
    this.runner
        .withPropertyValues("webpubsub.hub=chat")
        .withBean(WebPubSubConnectionDetails.class, () -> details)
        .run(
            (context) -> {
              assertThat(context).doesNotHaveBean(PropertiesWebPubSubConnectionDetails.class);
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                  .verifyComplete();
              verifiedJwt(onlyRequest(), KEY);
            });
  }

  @Test
  void tokenProviderBeanShouldAuthenticateWhenNoKeyIsConfigured() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    this.runner
        .withPropertyValues("webpubsub.endpoint=" + service.baseUrl(), "webpubsub.hub=chat")
        .withBean(WebPubSubTokenProvider.class, () -> () -> Mono.just("entra-token-123"))
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                  .verifyComplete();
              service.verify(
                  postRequestedFor(urlPathEqualTo("/api/hubs/chat/:send"))
                      .withHeader("Authorization", equalTo("Bearer entra-token-123")));
            });
  }

  @Test
  void azureIdentityOnTheClasspathShouldProvideTokensWhenNoKeyIsConfigured() {
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=https://contoso.webpubsub.azure.com", "webpubsub.hub=chat")
        .run(
            (context) -> assertThat(context).hasNotFailed().hasSingleBean(WebPubSubTemplate.class));
  }

  @Test
  void customizerShouldBeAppliedAfterTheProperties() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    this.runner
        .withPropertyValues(
            "webpubsub.connection-string=" + connectionString(), "webpubsub.hub=chat")
        .withBean(
            WebPubSubTemplateCustomizer.class, () -> (builder) -> builder.apiVersion("2023-07-01"))
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                  .verifyComplete();
              assertThat(onlyRequest().queryParameter("api-version").firstValue())
                  .isEqualTo("2023-07-01");
            });
  }

  @Test
  void objectsShouldBeWrittenWithTheApplicationsJsonMapper() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    this.runner
        .withPropertyValues(
            "webpubsub.connection-string=" + connectionString(),
            "webpubsub.hub=chat",
            "spring.jackson.property-naming-strategy=SNAKE_CASE")
        .run(
            (context) -> {
              StepVerifier.create(
                      context
                          .getBean(WebPubSubOperations.class)
                          .sendToAll(new Greeting("hi there")))
                  .verifyComplete();
              LoggedRequest request = onlyRequest();
              assertThat(request.getHeader("Content-Type")).startsWith("application/json");
              assertThat(request.getBodyAsString()).isEqualTo("{\"greeting_text\":\"hi there\"}");
            });
  }

  @Test
  void webClientConnectorFromBootShouldBeKeptWhenNoConnectTimeoutIsSet() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    AtomicInteger connectorUses = new AtomicInteger();
    this.runner
        .withPropertyValues(
            "webpubsub.connection-string=" + connectionString(), "webpubsub.hub=chat")
        .withBean(WebClientCustomizer.class, () -> countingConnector(connectorUses))
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                  .verifyComplete();
              assertThat(connectorUses).hasValue(1);
              verifiedJwt(onlyRequest(), KEY);
            });
  }

  @Test
  void connectTimeoutShouldGiveTheTemplateItsOwnConnector() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    AtomicInteger connectorUses = new AtomicInteger();
    this.runner
        .withPropertyValues(
            "webpubsub.connection-string=" + connectionString(),
            "webpubsub.hub=chat",
            "webpubsub.connect-timeout=5s")
        .withBean(WebClientCustomizer.class, () -> countingConnector(connectorUses))
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                  .verifyComplete();
              assertThat(connectorUses).hasValue(0);
              verifiedJwt(onlyRequest(), KEY);
            });
  }

  @Test
  void reactorNettyTransportShouldSendWithoutTheWebClient() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send")).willReturn(aResponse().withStatus(202)));
    AtomicInteger connectorUses = new AtomicInteger();
    this.runner
        .withPropertyValues(
            "webpubsub.connection-string=" + connectionString(),
            "webpubsub.hub=chat",
            "webpubsub.transport=reactor-netty")
        .withBean(WebClientCustomizer.class, () -> countingConnector(connectorUses))
        .run(
            (context) -> {
              assertThat(context.getBean(WebPubSubTemplate.class).toString())
                  .contains("transport=reactor-netty");
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                  .verifyComplete();
              assertThat(connectorUses).hasValue(0);
              LoggedRequest request = onlyRequest();
              assertThat(request.getBodyAsString()).isEqualTo("x");
              assertThat(request.getHeader("Content-Type")).isEqualTo("text/plain");
              verifiedJwt(request, KEY);
            });
  }

  @Test
  void reactorNettyTransportShouldUseBootsHttpClientSettings() {
    ApplicationContextRunner runner =
        this.runner.withPropertyValues(
            "webpubsub.connection-string=" + connectionString(),
            "webpubsub.hub=chat",
            "webpubsub.transport=reactor-netty");
    runner
        .withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class))
        .withPropertyValues("spring.http.clients.connect-timeout=1234ms")
        .run(
            (context) ->
                assertThat(
                        ReactorNettyHttpClients.create(context, null)
                            .configuration()
                            .options()
                            .get(ChannelOption.CONNECT_TIMEOUT_MILLIS))
                    .isEqualTo(1234));
    runner.run(
        (context) ->
            assertThat(
                    ReactorNettyHttpClients.create(context, null)
                        .configuration()
                        .options()
                        .get(ChannelOption.CONNECT_TIMEOUT_MILLIS))
                .isNotEqualTo(1234));
  }

  @Test
  void reactorNettyTransportShouldNeverFollowARedirectWithTheToken() {
    service.stubFor(
        post(urlPathEqualTo("/api/hubs/chat/:send"))
            .willReturn(
                aResponse()
                    .withStatus(307)
                    .withHeader("Location", service.baseUrl() + "/elsewhere")));
    service.stubFor(post(urlPathEqualTo("/elsewhere")).willReturn(aResponse().withStatus(202)));
    this.runner
        .withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class))
        .withPropertyValues(
            "webpubsub.connection-string=" + connectionString(),
            "webpubsub.hub=chat",
            "webpubsub.transport=reactor-netty",
            "spring.http.clients.redirects=follow")
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(WebPubSubOperations.class).sendToAll("x"))
                  .expectErrorSatisfies(
                      (error) ->
                          assertThat(error)
                              .isInstanceOf(WebPubSubException.class)
                              .extracting("statusCode")
                              .isEqualTo(307))
                  .verify(Duration.ofSeconds(30));
              service.verify(0, postRequestedFor(urlPathEqualTo("/elsewhere")));
            });
  }

  @Test
  void invalidRetrySettingsShouldFailWithAnAnalysis() {
    this.runner
        .withPropertyValues(
            "webpubsub.connection-string=" + connectionString(),
            "webpubsub.hub=chat",
            "webpubsub.retry.first-backoff=10s",
            "webpubsub.retry.max-backoff=1s")
        .run(
            (context) ->
                assertThat(
                        analysis(context, new InvalidWebPubSubPropertyFailureAnalyzer())
                            .getDescription())
                    .contains("'webpubsub.retry' is invalid"));
  }

  private static WebClientCustomizer countingConnector(AtomicInteger uses) {
    ClientHttpConnector delegate = new ReactorClientHttpConnector();
    ClientHttpConnector counting =
        (method, uri, requestCallback) -> {
          uses.incrementAndGet();
          return delegate.connect(method, uri, requestCallback);
        };
    return (builder) -> builder.clientConnector(counting);
  }

  @Test
  void missingConnectionShouldFailWithAnAnalysisNamingTheProperties() {
    this.runner
        .withPropertyValues("webpubsub.hub=chat")
        .run(
            (context) -> {
              FailureAnalysis analysis =
                  analysis(context, new MissingWebPubSubConnectionFailureAnalyzer());
              assertThat(analysis.getDescription())
                  .contains("webpubsub.connection-string")
                  .contains("webpubsub.endpoint");
              assertThat(analysis.getAction())
                  .contains(
                      "webpubsub.connection-string=Endpoint=https://<name>.webpubsub.azure.com;AccessKey=<key>;Version=1.0;");
            });
  }

  @Test
  void malformedConnectionStringShouldFailWithAnAnalysisAndAnExample() {
    this.runner
        .withPropertyValues("webpubsub.connection-string=AccessKey=" + KEY, "webpubsub.hub=chat")
        .run(
            (context) -> {
              FailureAnalysis analysis =
                  analysis(context, new InvalidWebPubSubPropertyFailureAnalyzer());
              assertThat(analysis.getDescription())
                  .contains("'webpubsub.connection-string' has no 'Endpoint=' part")
                  .doesNotContain(KEY);
              assertThat(analysis.getAction())
                  .contains(
                      "webpubsub.connection-string=Endpoint=https://<name>.webpubsub.azure.com")
                  .doesNotContain(KEY);
            });
  }

  @Test
  void shortKeyShouldFailStartUpWithoutShowingTheKey() {
    this.runner
        .withPropertyValues(
            "webpubsub.endpoint=https://contoso.webpubsub.azure.com",
            "webpubsub.access-key=only-20-bytes-secret",
            "webpubsub.hub=chat")
        .run(
            (context) -> {
              FailureAnalysis analysis =
                  analysis(context, new InvalidWebPubSubPropertyFailureAnalyzer());
              assertThat(analysis.getDescription())
                  .contains(
                      "'webpubsub.access-key' is too short to sign HS256 tokens: it has 20 bytes")
                  .doesNotContain("only-20-bytes-secret");
              assertThat(analysis.getAction()).contains("webpubsub.access-key=");
            });
  }

  @Test
  void missingHubShouldFailWithAnAnalysis() {
    this.runner
        .withPropertyValues("webpubsub.connection-string=" + connectionString())
        .run(
            (context) ->
                assertThat(
                        analysis(context, new InvalidWebPubSubPropertyFailureAnalyzer())
                            .getDescription())
                    .contains("'webpubsub.hub' is required"));
  }

  @Test
  void invalidHubShouldFailWithAnAnalysisShowingTheRule() {
    this.runner
        .withPropertyValues(
            "webpubsub.connection-string=" + connectionString(), "webpubsub.hub=1chat room")
        .run(
            (context) -> {
              FailureAnalysis analysis =
                  analysis(context, new InvalidWebPubSubPropertyFailureAnalyzer());
              assertThat(analysis.getDescription())
                  .contains("'webpubsub.hub' must start with a letter")
                  .contains("'1chat room'");
              assertThat(analysis.getAction()).contains("webpubsub.hub=chat");
            });
  }

  @Test
  void endpointWithoutKeyOrCredentialShouldAskForTheKey() {
    this.runner
        .withClassLoader(new FilteredClassLoader(DefaultAzureCredentialBuilder.class))
        .withPropertyValues(
            "webpubsub.endpoint=https://contoso.webpubsub.azure.com", "webpubsub.hub=chat")
        .run(
            (context) ->
                assertThat(
                        analysis(context, new InvalidWebPubSubPropertyFailureAnalyzer())
                            .getDescription())
                    .contains(
                        "'webpubsub.access-key' is required when no token credential is available"));
  }

  @Test
  void connectionStringWithoutKeyOrCredentialShouldNameTheConnectionString() {
    this.runner
        .withClassLoader(new FilteredClassLoader(DefaultAzureCredentialBuilder.class))
        .withPropertyValues(
            "webpubsub.connection-string=Endpoint=https://contoso.webpubsub.azure.com;Version=1.0;",
            "webpubsub.hub=chat")
        .run(
            (context) -> {
              FailureAnalysis analysis =
                  analysis(context, new InvalidWebPubSubPropertyFailureAnalyzer());
              assertThat(analysis.getDescription())
                  .contains("'webpubsub.connection-string' has no 'AccessKey=' part")
                  .doesNotContain("webpubsub.access-key");
              assertThat(analysis.getAction())
                  .contains(
                      "webpubsub.connection-string=Endpoint=https://<name>.webpubsub.azure.com;"
                          + "AccessKey=");
            });
  }

  @Test
  void withoutWebClientTheAutoConfigurationShouldBackOff() {
    this.runner
        .withClassLoader(
            new FilteredClassLoader(
                org.springframework.web.reactive.function.client.WebClient.class))
        .withPropertyValues(
            "webpubsub.connection-string=" + connectionString(), "webpubsub.hub=chat")
        .run(
            (context) ->
                assertThat(context).hasNotFailed().doesNotHaveBean(WebPubSubOperations.class));
  }

  @Test
  void configurationMetadataShouldDescribeTheProperties() throws Exception {
    ClassPathResource metadata =
        new ClassPathResource("META-INF/spring-configuration-metadata.json");
    assertThat(metadata.exists()).isTrue();
    String json = metadata.getContentAsString(StandardCharsets.UTF_8);
    assertThat(json)
        .contains("\"webpubsub.connection-string\"")
        .contains("\"webpubsub.access-key\"")
        .contains("\"webpubsub.hub\"")
        .contains("\"webpubsub.api-version\"")
        .contains("\"webpubsub.reverse-proxy-endpoint\"")
        .contains("\"webpubsub.retry.max-retries\"")
        .contains("\"webpubsub.transport\"")
        .contains("Hub used when an operation does not name one.");
  }

  @Test
  void azureIdentityTokenProviderShouldReuseATokenUntilShortlyBeforeItExpires() {
    AtomicInteger calls = new AtomicInteger();
    List<OffsetDateTime> expiries =
        List.of(
            OffsetDateTime.now().plusHours(1),
            OffsetDateTime.now().plusMinutes(2),
            OffsetDateTime.now().plusHours(1));
    TokenCredential credential =
        (request) -> {
          assertThat(request.getScopes()).containsExactly("https://webpubsub.azure.com/.default");
          int call = calls.getAndIncrement();
          return Mono.just(new AccessToken("token-" + call, expiries.get(call)));
        };
    AzureIdentityTokenProvider provider = new AzureIdentityTokenProvider(() -> credential);
    StepVerifier.create(provider.getToken()).expectNext("token-0").verifyComplete();
    StepVerifier.create(provider.getToken()).expectNext("token-0").verifyComplete();
    assertThat(calls).hasValue(1);
  }

  @Test
  void azureIdentityTokenProviderShouldRefreshATokenAboutToExpire() {
    AtomicInteger calls = new AtomicInteger();
    TokenCredential credential =
        (request) -> {
          int call = calls.getAndIncrement();
          OffsetDateTime expiry =
              (call == 0) ? OffsetDateTime.now().plusMinutes(2) : OffsetDateTime.now().plusHours(1);
          return Mono.just(new AccessToken("token-" + call, expiry));
        };
    AzureIdentityTokenProvider provider = new AzureIdentityTokenProvider(() -> credential);
    StepVerifier.create(provider.getToken()).expectNext("token-0").verifyComplete();
    StepVerifier.create(provider.getToken()).expectNext("token-1").verifyComplete();
    StepVerifier.create(provider.getToken()).expectNext("token-1").verifyComplete();
    assertThat(calls).hasValue(2);
  }

  private static FailureAnalysis analysis(
      AssertableApplicationContext context,
      org.springframework.boot.diagnostics.AbstractFailureAnalyzer<?> analyzer) {
    assertThat(context).hasFailed();
    FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
    assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
    assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(KEY);
    return analysis;
  }

  private static LoggedRequest onlyRequest() {
    List<LoggedRequest> requests =
        service.findAll(
            com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  private static Jwt verifiedJwt(LoggedRequest request, String key) {
    String authorization = request.getHeader("Authorization");
    assertThat(authorization).startsWith("Bearer ");
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    Jwt jwt = decoder.decode(authorization.substring("Bearer ".length()));
    assertThat(jwt.getExpiresAt()).isAfter(java.time.Instant.now());
    assertThat(jwt.getExpiresAt()).isBefore(java.time.Instant.now().plus(Duration.ofHours(2)));
    return jwt;
  }

  record Greeting(String greetingText) {}
}
