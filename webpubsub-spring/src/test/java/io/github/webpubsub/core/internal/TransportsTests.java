package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.github.webpubsub.core.WebPubSubTokenProvider;
import io.github.webpubsub.core.observation.DefaultWebPubSubObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * How a template's exchange is assembled from its settings: which credential signs, whether it is
 * observed, and the token provider's authorizer.
 */
class TransportsTests {

  static final String KEY = "0123456789abcdef0123456789abcdef-transports";

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** Tokens each attempt carried. */
  final List<String> tokens = new CopyOnWriteArrayList<>();

  final HttpTransport transport =
      new HttpTransport() {
        @Override
        public Mono<WebPubSubResponse> send(
            WebPubSubRequest request, URI target, String token, HttpHeaders propagation) {
          TransportsTests.this.tokens.add(token);
          return Mono.just(new WebPubSubResponse(202, new HttpHeaders(), new byte[0]));
        }

        @Override
        public boolean enforcesResponseTimeout() {
          return true;
        }

        @Override
        public String toString() {
          return "Stub";
        }
      };

  static TemplateSettings settings(
      @Nullable String key, @Nullable WebPubSubTokenProvider provider) {
    return TemplateSettings.check(
        URI.create("https://contoso.example"),
        URI.create("https://gateway.example"),
        "chat",
        key,
        provider,
        "2024-12-01",
        null,
        Duration.ofSeconds(7),
        WebPubSubRetrySettings.none(),
        100);
  }

  static WebPubSubRequest request() {
    return WebPubSubRequest.of("sendToAll", "chat", HttpMethod.POST)
        .path("/api/hubs/chat/:send")
        .build();
  }

  @Test
  void withAnAccessKeyTheSignerSignsEachRequestForTheServiceUrl() {
    TemplateSettings settings = settings(KEY, null);
    AccessKeySigner signer = Transports.signer(settings, CLOCK);
    assertThat(signer).isNotNull();

    WebPubSubExchange exchange = Transports.exchange(settings, this.transport, signer, null, null);
    exchange.exchange(request()).block(Duration.ofSeconds(5));

    assertThat(exchange)
        .isInstanceOf(HttpWebPubSubExchange.class)
        .hasToString(
            "HttpWebPubSubExchange[transport=Stub, endpoint=https://contoso.example,"
                + " reverseProxy=https://gateway.example, responseTimeout=PT7S]");
    assertThat(this.tokens)
        .containsExactly(signer.requestToken("https://contoso.example/api/hubs/chat/:send"));
  }

  @Test
  void withATokenProviderThereIsNoSignerAndTheProvidersTokenIsSent() {
    TemplateSettings settings = settings(null, () -> Mono.just("entra-token"));
    assertThat(Transports.signer(settings, CLOCK)).isNull();

    Transports.exchange(settings, this.transport, null, null, null)
        .exchange(request())
        .block(Duration.ofSeconds(5));

    assertThat(this.tokens).containsExactly("entra-token");
  }

  @Test
  void anExchangeIsObservedOnlyWithARegistryThatIsNotTheNoopOne() {
    TemplateSettings settings = settings(KEY, null);
    AccessKeySigner signer = Transports.signer(settings, CLOCK);
    TestObservationRegistry registry = TestObservationRegistry.create();

    assertThat(
            Transports.exchange(settings, this.transport, signer, ObservationRegistry.NOOP, null))
        .isInstanceOf(HttpWebPubSubExchange.class);
    WebPubSubExchange observed =
        Transports.exchange(
            settings,
            this.transport,
            signer,
            registry,
            new DefaultWebPubSubObservationConvention());
    observed.exchange(request()).block(Duration.ofSeconds(5));

    assertThat(observed).isInstanceOf(ObservedWebPubSubExchange.class);
    TestObservationRegistryAssert.assertThat(registry)
        .hasSingleObservationThat()
        .hasNameEqualTo("webpubsub.client.requests")
        .hasLowCardinalityKeyValue("server.address", "contoso.example")
        .hasLowCardinalityKeyValue("server.port", "443");
  }

  // ---- TokenProviderAuthorizer ----

  @Test
  void theProviderIsAskedOnEveryAttemptNotBefore() {
    AtomicInteger asked = new AtomicInteger();
    TokenProviderAuthorizer authorizer =
        new TokenProviderAuthorizer(() -> Mono.just("token-" + asked.incrementAndGet()));

    Mono<String> token = authorizer.bearerToken("https://contoso.example/api");
    assertThat(asked).hasValue(0);

    assertThat(token.block()).isEqualTo("token-1");
    assertThat(token.block()).isEqualTo("token-2");
  }

  @Test
  void aProviderGivingNoTokenIsAnErrorSayingSo() {
    TokenProviderAuthorizer authorizer = new TokenProviderAuthorizer(Mono::empty);

    StepVerifier.create(authorizer.bearerToken("https://contoso.example/api"))
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("WebPubSubTokenProvider gave no token"))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void theAuthorizerNamesTheProvidersClassOnly() {
    assertThat(new TokenProviderAuthorizer(new NamedProvider()))
        .hasToString("TokenProviderAuthorizer[" + NamedProvider.class.getName() + "]");
  }

  static final class NamedProvider implements WebPubSubTokenProvider {
    @Override
    public Mono<String> getToken() {
      return Mono.just("secret-token");
    }

    @Override
    public String toString() {
      return "secret-token";
    }
  }
}
