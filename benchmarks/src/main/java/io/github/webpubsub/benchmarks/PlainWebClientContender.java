package io.github.webpubsub.benchmarks;

import java.net.URI;
import java.time.Clock;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * A reference point between the floor and the template: Boot's auto-configured {@link WebClient}
 * (no observation) sending the same request, signed by hand with a re-used {@link
 * javax.crypto.Mac}. The template's cost above this line is the template's own; below it is
 * WebClient's.
 */
final class PlainWebClientContender implements Contender {

  static final String NAME = "plain Boot WebClient";

  private final ConfigurableApplicationContext context;

  private final WebClient webClient;

  private final String endpoint;

  private final String hub;

  private final Hs256Jwt jwt;

  private final Clock clock = Clock.systemUTC();

  PlainWebClientContender(URI endpoint, String hub, String accessKey) {
    this.context = TemplateContender.startApplication(false);
    this.webClient = this.context.getBean(WebClient.Builder.class).build();
    this.endpoint = endpoint.toString();
    this.hub = hub;
    this.jwt = new Hs256Jwt(accessKey);
  }

  @Override
  public String name() {
    return NAME;
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
          return this.webClient
              .post()
              .uri(URI.create(url))
              .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
              .contentType(MediaType.TEXT_PLAIN)
              .bodyValue(message)
              .retrieve()
              .toBodilessEntity()
              .then();
        });
  }

  @Override
  public void close() {
    this.context.close();
  }
}
