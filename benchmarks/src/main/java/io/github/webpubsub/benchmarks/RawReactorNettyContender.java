package io.github.webpubsub.benchmarks;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The floor for this stack: Reactor Netty's {@link HttpClient} with its defaults, the URL built by
 * concatenation and each JWT signed by hand with a re-used {@link javax.crypto.Mac}. Nothing a
 * library could skip is skipped (every request is signed, every status checked).
 */
final class RawReactorNettyContender implements Contender {

  static final String NAME = "raw Reactor Netty";

  private final HttpClient client = HttpClient.create();

  private final String endpoint;

  private final String hub;

  private final Hs256Jwt jwt;

  private final Clock clock = Clock.systemUTC();

  RawReactorNettyContender(URI endpoint, String hub, String accessKey) {
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
          byte[] body = message.getBytes(StandardCharsets.UTF_8);
          return this.client
              .post()
              .uri(url)
              .send(
                  (request, outbound) -> {
                    request
                        .header(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                        .header(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                    return outbound.sendByteArray(Mono.just(body));
                  })
              .responseSingle(
                  (response, content) ->
                      (response.status().code() == 202)
                          ? content.then()
                          : content
                              .asString()
                              .defaultIfEmpty("")
                              .flatMap(
                                  text ->
                                      Mono.error(
                                          new IllegalStateException(
                                              "Expected 202 but was "
                                                  + response.status().code()
                                                  + ": "
                                                  + text))));
        });
  }
}
