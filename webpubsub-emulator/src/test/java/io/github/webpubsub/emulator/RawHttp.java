package io.github.webpubsub.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * Requests written byte for byte over a Reactor Netty TCP connection, for what an HTTP client
 * refuses to send (malformed escapes, heads that never end).
 */
final class RawHttp {

  private RawHttp() {}

  /** Sends the request (head and body as given) and returns all bytes until the server closes. */
  static String exchange(int port, String request) {
    return exchange(port, Flux.just(request)).block(Duration.ofSeconds(20));
  }

  /** Sends the parts as they come and returns all bytes until the server closes. */
  static Mono<String> exchange(int port, Publisher<String> request) {
    return TcpClient.create()
        .host("127.0.0.1")
        .port(port)
        .connect()
        .flatMap(
            (connection) ->
                connection
                    .outbound()
                    .sendString(Flux.from(request), StandardCharsets.UTF_8)
                    .then()
                    .or(connection.onDispose())
                    .then(
                        connection
                            .inbound()
                            .receive()
                            .asString(StandardCharsets.UTF_8)
                            .reduce(String::concat)
                            .defaultIfEmpty(""))
                    .doFinally((signal) -> connection.dispose()));
  }

  /** A {@code GET} with {@code Connection: close} and the given extra header lines. */
  static String get(int port, String pathAndQuery, String... headers) {
    StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n");
    request.append("Host: localhost:").append(port).append("\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    return exchange(port, request.toString());
  }

  /** The status code of a raw response, or -1 when there was none (the connection was cut). */
  static int status(String response) {
    if (!response.startsWith("HTTP/1.1 ")) {
      return -1;
    }
    return Integer.parseInt(response.substring(9, 12));
  }
}
