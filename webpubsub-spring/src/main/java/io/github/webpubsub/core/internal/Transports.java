package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.observation.WebPubSubObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * Builds what a template sends with: the HTTP transport (WebClient or Reactor Netty), the signing,
 * retries and timeouts around it, and the observation around those.
 */
public final class Transports {

  private Transports() {}

  /**
   * A transport over a clone of the given {@code WebClient.Builder}.
   *
   * @param webClientBuilder the application's builder (not changed)
   * @param connectTimeout when set, a Reactor Netty connector with that timeout replaces the
   *     builder's (Spring Boot's auto-configuration sets the timeout on its own connector instead)
   * @param responseTimeout the limit of each attempt
   * @return the transport
   */
  public static HttpTransport webClient(
      WebClient.Builder webClientBuilder,
      @Nullable Duration connectTimeout,
      Duration responseTimeout) {
    WebClient.Builder builder = webClientBuilder.clone();
    if (connectTimeout != null) {
      builder.clientConnector(
          new ReactorClientHttpConnector(
              HttpClient.create()
                  .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis(connectTimeout))));
    }
    return new WebClientTransport(builder.build(), responseTimeout);
  }

  /**
   * A transport over the given Reactor Netty client.
   *
   * @param httpClient the client (SSL, proxy and pool are its own)
   * @param connectTimeout when set, replaces the client's connect timeout
   * @param responseTimeout the limit of each attempt
   * @return the transport
   */
  public static HttpTransport reactorNetty(
      HttpClient httpClient, @Nullable Duration connectTimeout, Duration responseTimeout) {
    HttpClient client =
        (connectTimeout != null)
            ? httpClient.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis(connectTimeout))
            : httpClient;
    return new ReactorNettyTransport(client, responseTimeout);
  }

  /**
   * The exchange of a template: URL building, signing, timeouts and retries over the transport,
   * observed when a registry is given.
   *
   * @param settings the template's checked settings
   * @param transport sends each attempt
   * @param signer the access-key signer, or {@code null} when a token provider signs
   * @param observationRegistry the registry, or {@code null} for no observations
   * @param observationConvention replaces the default convention, or {@code null}
   * @return the exchange
   */
  public static WebPubSubExchange exchange(
      TemplateSettings settings,
      HttpTransport transport,
      @Nullable AccessKeySigner signer,
      @Nullable ObservationRegistry observationRegistry,
      @Nullable WebPubSubObservationConvention observationConvention) {
    RequestAuthorizer authorizer =
        (signer != null)
            ? signer
            : new TokenProviderAuthorizer(Objects.requireNonNull(settings.tokenProvider()));
    WebPubSubExchange exchange =
        new HttpWebPubSubExchange(
            transport,
            settings.endpoint(),
            settings.reverseProxy(),
            authorizer,
            new RetryPolicy(settings.retry()),
            settings.responseTimeout(),
            Schedulers.parallel());
    if (observationRegistry != null && observationRegistry != ObservationRegistry.NOOP) {
      exchange =
          new ObservedWebPubSubExchange(
              exchange,
              observationRegistry,
              observationConvention,
              URI.create(settings.endpoint()));
    }
    return exchange;
  }

  /**
   * The signer of a template with an access key.
   *
   * @param settings the checked settings
   * @param clock the clock token lifetimes are measured with
   * @return the signer, or {@code null} when a token provider is used
   */
  public static @Nullable AccessKeySigner signer(TemplateSettings settings, Clock clock) {
    String accessKey = settings.accessKey();
    return (accessKey != null) ? new AccessKeySigner(accessKey, clock) : null;
  }

  private static int millis(Duration timeout) {
    return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }
}
