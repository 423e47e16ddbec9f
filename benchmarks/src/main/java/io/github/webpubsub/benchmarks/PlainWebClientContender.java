package io.github.webpubsub.benchmarks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A reference point between the floor and the template: Boot's auto-configured {@link WebClient}
 * (no observation) sending the same request, signed by hand with a re-used {@link
 * javax.crypto.Mac}. The template's cost above this line is the template's own; below it is
 * WebClient's.
 */
final class PlainWebClientContender implements Contender {

  static final String NAME = "plain Boot WebClient";

  /** What the template's exchange adds around WebClient, to price each part on its own. */
  enum Extra {
    /** Nothing: {@code retrieve().toBodilessEntity()}. */
    NONE(""),
    /** A per-request {@code timeout(30 s, Schedulers.parallel())}, as the template does. */
    TIMEOUT(" + timeout()"),
    /** The 202's body read with {@code exchangeToMono(r -> r.bodyToMono(byte[].class))}. */
    READ_BODY(" + bodyToMono(byte[])");

    private final String suffix;

    Extra(String suffix) {
      this.suffix = suffix;
    }
  }

  private final Extra extra;

  private static final byte[] NO_BODY = new byte[0];

  private final ConfigurableApplicationContext context;

  private final WebClient webClient;

  private final String endpoint;

  private final String hub;

  private final Hs256Jwt jwt;

  private final Clock clock = Clock.systemUTC();

  PlainWebClientContender(URI endpoint, String hub, String accessKey, Extra extra) {
    this.extra = extra;
    this.context = TemplateContender.startApplication(false, endpoint, hub, accessKey);
    this.webClient = this.context.getBean(WebClient.Builder.class).build();
    this.endpoint = endpoint.toString();
    this.hub = hub;
    this.jwt = new Hs256Jwt(accessKey);
  }

  @Override
  public String name() {
    return NAME + this.extra.suffix;
  }

  @Override
  public Mono<Void> send(String group, String message) {
    return Mono.defer(
        () -> {
          String url =
              this.endpoint
                  + "/api/hubs/"
                  + this.hub
                  + "/groups/"
                  + group
                  + "/:send?api-version=2024-12-01";
          String token = this.jwt.sign(url, this.clock.instant().getEpochSecond() + 3600);
          WebClient.RequestHeadersSpec<?> request =
              this.webClient
                  .post()
                  .uri(URI.create(url))
                  .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                  .contentType(MediaType.TEXT_PLAIN)
                  .bodyValue(message);
          return switch (this.extra) {
            case NONE -> request.retrieve().toBodilessEntity().then();
            case TIMEOUT ->
                request
                    .retrieve()
                    .toBodilessEntity()
                    .timeout(Duration.ofSeconds(30), Schedulers.parallel())
                    .then();
            case READ_BODY ->
                request
                    .exchangeToMono(
                        response ->
                            response
                                .bodyToMono(byte[].class)
                                .defaultIfEmpty(NO_BODY)
                                .map(body -> response.statusCode().value()))
                    .flatMap(
                        status ->
                            (status == 202)
                                ? Mono.<Void>empty()
                                : Mono.error(
                                    new IllegalStateException("Expected 202 but was " + status)));
          };
        });
  }

  @Override
  public void close() {
    this.context.close();
  }
}
