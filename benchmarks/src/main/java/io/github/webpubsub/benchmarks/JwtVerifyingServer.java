package io.github.webpubsub.benchmarks;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A stand-in for the service's send endpoints on 127.0.0.1: every {@code POST /api/...} must carry
 * a token that {@link JwtVerifier} accepts and a non-empty {@code text/plain} body, and is answered
 * {@code 202}; anything else gets {@code 401}/{@code 400} and is counted. {@code GET /stats}
 * reports the counts so the benchmark can prove every message it timed was verified.
 *
 * <p>Run in its own JVM ({@code main(port)}) so its allocation and JIT do not mix with the
 * client's.
 */
final class JwtVerifyingServer {

  private final JwtVerifier verifier;

  private final LongAdder accepted = new LongAdder();

  private final LongAdder rejected = new LongAdder();

  private final LongAdder audienceDecoded = new LongAdder();

  private final AtomicReference<String> lastProblem = new AtomicReference<>("none");

  JwtVerifyingServer(String accessKey) {
    this.verifier = new JwtVerifier(accessKey, Clock.systemUTC());
  }

  DisposableServer start(int port) {
    return HttpServer.create().host("127.0.0.1").port(port).handle(this::handle).bindNow();
  }

  private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    if (request.method() == HttpMethod.GET && request.uri().equals("/stats")) {
      return response
          .header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
          .sendString(Mono.fromSupplier(this::stats));
    }
    if (request.method() != HttpMethod.POST || !request.uri().startsWith("/api/")) {
      return reject(response, HttpResponseStatus.NOT_FOUND, "only POST /api/... is served");
    }
    String url = "http://" + request.requestHeaders().get(HttpHeaderNames.HOST) + request.uri();
    String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
    String contentType = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
    return request
        .receive()
        .aggregate()
        .asByteArray()
        .defaultIfEmpty(new byte[0])
        .flatMap(
            body -> {
              JwtVerifier.Result result = this.verifier.verify(authorization, url);
              if (result.problem() != null) {
                return reject(response, HttpResponseStatus.UNAUTHORIZED, result.problem());
              }
              if (contentType == null || !contentType.startsWith("text/plain")) {
                return reject(
                    response,
                    HttpResponseStatus.BAD_REQUEST,
                    "Content-Type must be text/plain, was " + contentType);
              }
              if (body.length == 0) {
                return reject(response, HttpResponseStatus.BAD_REQUEST, "message body is empty");
              }
              if (result.match() == JwtVerifier.AudienceMatch.DECODED) {
                this.audienceDecoded.increment();
              }
              this.accepted.increment();
              return response.status(HttpResponseStatus.ACCEPTED).send().then();
            });
  }

  private Mono<Void> reject(
      HttpServerResponse response, HttpResponseStatus status, String problem) {
    this.rejected.increment();
    this.lastProblem.set(status.code() + " " + problem);
    return response.status(status).sendString(Mono.just(problem)).then();
  }

  private String stats() {
    return "accepted="
        + this.accepted.sum()
        + " rejected="
        + this.rejected.sum()
        + " audienceDecodedOnly="
        + this.audienceDecoded.sum()
        + " lastProblem="
        + this.lastProblem.get();
  }

  /** Starts the server on {@code args[0]} (default 18090) and serves until the JVM is stopped. */
  public static void main(String[] args) throws InterruptedException {
    int port = (args.length > 0) ? Integer.parseInt(args[0]) : 18090;
    DisposableServer server = new JwtVerifyingServer(BenchmarkAccessKey.get()).start(port);
    System.out.println("JWT-verifying server listening on http://127.0.0.1:" + server.port());
    new CountDownLatch(1).await();
  }
}
