package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * What both transports put on the wire (method, URL, bearer token, content type, trace headers,
 * body) and which answers' bodies they read, against a local Reactor Netty server.
 */
class HttpTransportsTests {

  static DisposableServer server;

  /** What the server received, one entry per request. */
  static final List<Received> received = new CopyOnWriteArrayList<>();

  record Received(String method, String uri, Map<String, String> headers, String body) {}

  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

  @BeforeAll
  static void startServer() {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(body -> answer(request, response, body)))
            .bindNow();
  }

  @AfterAll
  static void stopServer() {
    server.disposeNow();
  }

  @BeforeEach
  void forget() {
    received.clear();
  }

  static Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, String body) {
    Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    request.requestHeaders().forEach(header -> headers.put(header.getKey(), header.getValue()));
    received.add(new Received(request.method().name(), request.uri(), headers, body));
    String path = request.fullPath();
    if (path.startsWith("/status/")) {
      int status = Integer.parseInt(path.substring("/status/".length()));
      return response
          .status(status)
          .header("x-answer", "yes")
          .sendString(Mono.just("body of " + status))
          .then();
    }
    if (path.equals("/redirect")) {
      return response
          .status(HttpResponseStatus.FOUND)
          .header("Location", "/status/200")
          .sendString(Mono.just("moved"))
          .then();
    }
    if (path.equals("/large")) {
      // Chunked, no Content-Length: the limit applies while reading.
      byte[] chunk = new byte[64 * 1024];
      int chunks = WebPubSubResponse.MAX_BODY_BYTES / chunk.length + 1;
      return response.status(500).sendByteArray(Flux.range(0, chunks).map(i -> chunk)).then();
    }
    if (path.equals("/slow")) {
      return Mono.delay(Duration.ofSeconds(5)).then(response.status(200).send().then());
    }
    return response.status(404).send().then();
  }

  enum Kind {
    WEB_CLIENT,
    REACTOR_NETTY
  }

  static HttpTransport transport(Kind kind, Duration responseTimeout) {
    HttpClient client = HttpClient.create();
    return switch (kind) {
      case WEB_CLIENT ->
          new WebClientTransport(
              WebClient.builder().clientConnector(new ReactorClientHttpConnector(client)).build(),
              responseTimeout);
      case REACTOR_NETTY -> new ReactorNettyTransport(client, responseTimeout);
    };
  }

  static URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  static WebPubSubRequest.Builder request(HttpMethod method) {
    return WebPubSubRequest.of("sendToAll", "chat", method).path("/x");
  }

  static WebPubSubResponse send(HttpTransport transport, WebPubSubRequest request, String path) {
    return send(transport, request, path, PropagationHeaders.NONE);
  }

  static WebPubSubResponse send(
      HttpTransport transport, WebPubSubRequest request, String path, HttpHeaders propagation) {
    WebPubSubResponse response =
        transport.send(request, url(path), "tok-1", propagation).block(Duration.ofSeconds(10));
    assertThat(response).isNotNull();
    return response;
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aBodyIsSentWithItsContentTypeTheBearerTokenAndTheTraceHeaders(Kind kind) {
    HttpHeaders trace = new HttpHeaders();
    trace.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    WebPubSubRequest request =
        request(HttpMethod.POST)
            .body("héllo".getBytes(StandardCharsets.UTF_8), "text/plain;charset=UTF-8")
            .send()
            .build();

    WebPubSubResponse response =
        send(transport(kind, RESPONSE_TIMEOUT), request, "/status/202?api-version=1", trace);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.headers().getFirst("x-answer")).isEqualTo("yes");
    assertThat(response.body()).as("a success body of a send is not read").isEmpty();
    Received got = received.get(0);
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.uri()).isEqualTo("/status/202?api-version=1");
    assertThat(got.headers())
        .containsEntry("Authorization", "Bearer tok-1")
        .containsEntry("Content-Type", "text/plain;charset=UTF-8")
        .containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .containsEntry("Content-Length", "6");
    assertThat(got.body()).isEqualTo("héllo");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aRequestWithoutBodyHasNoContentType(Kind kind) {
    send(transport(kind, RESPONSE_TIMEOUT), request(HttpMethod.DELETE).build(), "/status/204");

    Received got = received.get(0);
    assertThat(got.method()).isEqualTo("DELETE");
    assertThat(got.headers()).doesNotContainKey("Content-Type");
    assertThat(got.body()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void theSuccessBodyIsReadOnlyForRequestsThatReadIt(Kind kind) {
    HttpTransport transport = transport(kind, RESPONSE_TIMEOUT);

    WebPubSubResponse read =
        send(transport, request(HttpMethod.GET).readsBody().build(), "/status/200");
    WebPubSubResponse notRead = send(transport, request(HttpMethod.GET).build(), "/status/200");
    WebPubSubResponse noSuccess = send(transport, request(HttpMethod.GET).build(), "/status/300");

    assertThat(read.bodyAsString()).isEqualTo("body of 200");
    assertThat(notRead.body()).isEmpty();
    assertThat(notRead.headers().getFirst("x-answer")).isEqualTo("yes");
    assertThat(noSuccess.bodyAsString()).isEqualTo("body of 300");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void errorBodiesAreAlwaysReadWithTheirHeaders(Kind kind) {
    HttpTransport transport = transport(kind, RESPONSE_TIMEOUT);

    WebPubSubResponse badRequest = send(transport, request(HttpMethod.PUT).build(), "/status/400");
    WebPubSubResponse unavailable = send(transport, request(HttpMethod.PUT).build(), "/status/503");

    assertThat(badRequest.statusCode()).isEqualTo(400);
    assertThat(badRequest.bodyAsString()).isEqualTo("body of 400");
    assertThat(badRequest.headers().getFirst("x-answer")).isEqualTo("yes");
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.bodyAsString()).isEqualTo("body of 503");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aBodyOverTheLimitIsNotReadToTheEnd(Kind kind) {
    Throwable failure =
        catchThrowable(
            () ->
                transport(kind, RESPONSE_TIMEOUT)
                    .send(
                        request(HttpMethod.GET).build(),
                        url("/large"),
                        "t",
                        PropagationHeaders.NONE)
                    .block(Duration.ofSeconds(10)));

    assertThat(failure).isInstanceOf(ReplyTooLargeException.class);
    assertThat(((ReplyTooLargeException) failure).statusCode()).isEqualTo(500);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void redirectsAreNotFollowed(Kind kind) {
    WebPubSubResponse response =
        send(transport(kind, RESPONSE_TIMEOUT), request(HttpMethod.GET).build(), "/redirect");

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().getFirst("Location")).isEqualTo("/status/200");
    assertThat(received).extracting(Received::uri).containsExactly("/redirect");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void reactorNettysResponseTimeoutEndsAnAttemptWithoutAnswer(Kind kind) {
    HttpTransport transport = transport(kind, Duration.ofMillis(200));

    Throwable failure =
        catchThrowable(
            () ->
                transport
                    .send(
                        request(HttpMethod.GET).build(), url("/slow"), "t", PropagationHeaders.NONE)
                    .block(Duration.ofSeconds(4)));

    assertThat(HttpWebPubSubExchange.isResponseTimeout(failure)).as("%s", failure).isTrue();
    assertThat(transport.enforcesResponseTimeout()).isTrue();
  }

  @Test
  void theWebClientTransportEnforcesTheTimeoutOnlyOnceItHasSeenAReactorNettyConnector() {
    HttpTransport netty = transport(Kind.WEB_CLIENT, RESPONSE_TIMEOUT);
    HttpTransport jdk =
        new WebClientTransport(
            WebClient.builder().clientConnector(new JdkClientHttpConnector()).build(),
            RESPONSE_TIMEOUT);

    assertThat(netty.enforcesResponseTimeout()).isFalse();
    send(netty, request(HttpMethod.GET).build(), "/status/200");
    send(jdk, request(HttpMethod.GET).build(), "/status/200");
    send(netty, request(HttpMethod.GET).build(), "/status/200");

    assertThat(netty.enforcesResponseTimeout()).isTrue();
    assertThat(jdk.enforcesResponseTimeout()).isFalse();
    assertThat(received).hasSize(3);
  }

  @Test
  void theReactorNettyTransportTurnsRedirectFollowingOff() {
    WebPubSubResponse response =
        send(
            new ReactorNettyTransport(HttpClient.create().followRedirect(true), RESPONSE_TIMEOUT),
            request(HttpMethod.GET).build(),
            "/redirect");

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(received).extracting(Received::uri).containsExactly("/redirect");
  }

  @Test
  void theReactorNettyTransportAlwaysEnforcesTheTimeout() {
    assertThat(transport(Kind.REACTOR_NETTY, RESPONSE_TIMEOUT).enforcesResponseTimeout()).isTrue();
  }

  @Test
  void toStringShowsTheResponseTimeout() {
    assertThat(transport(Kind.WEB_CLIENT, RESPONSE_TIMEOUT))
        .hasToString("WebClientTransport[responseTimeout=PT10S]");
    assertThat(transport(Kind.REACTOR_NETTY, RESPONSE_TIMEOUT))
        .hasToString("ReactorNettyTransport[responseTimeout=PT10S]");
  }

  // ---- Transports: what the template's builder makes ----

  @Test
  void theReactorNettyTransportOfTheBuilderSetsTheConnectTimeoutOnlyWhenGiven() {
    List<Object> connectTimeouts = new CopyOnWriteArrayList<>();
    HttpClient client =
        HttpClient.newConnection()
            .doOnConnect(
                config ->
                    connectTimeouts.add(
                        config.options().get(ChannelOption.CONNECT_TIMEOUT_MILLIS)));

    send(
        Transports.reactorNetty(client, Duration.ofMillis(1234), RESPONSE_TIMEOUT),
        request(HttpMethod.GET).build(),
        "/status/200");
    send(
        Transports.reactorNetty(client, Duration.ofDays(365), RESPONSE_TIMEOUT),
        request(HttpMethod.GET).build(),
        "/status/200");
    send(
        Transports.reactorNetty(
            client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 777), null, RESPONSE_TIMEOUT),
        request(HttpMethod.GET).build(),
        "/status/200");

    assertThat(connectTimeouts).containsExactly(1234, Integer.MAX_VALUE, 777);
  }

  @Test
  void theWebClientTransportOfTheBuilderReplacesTheConnectorOnlyForAConnectTimeout() {
    List<String> viaApplicationConnector = new CopyOnWriteArrayList<>();
    WebClient.Builder application =
        WebClient.builder()
            .clientConnector(
                new ReactorClientHttpConnector(
                    HttpClient.create()
                        .doOnRequest(
                            (request, connection) -> viaApplicationConnector.add(request.uri()))));

    send(
        Transports.webClient(application, null, RESPONSE_TIMEOUT),
        request(HttpMethod.GET).build(),
        "/status/200?a");
    send(
        Transports.webClient(application, Duration.ofSeconds(3), RESPONSE_TIMEOUT),
        request(HttpMethod.GET).build(),
        "/status/200?b");
    send(
        new WebClientTransport(application.build(), RESPONSE_TIMEOUT),
        request(HttpMethod.GET).build(),
        "/status/200?c");

    assertThat(received)
        .extracting(Received::uri)
        .containsExactly("/status/200?a", "/status/200?b", "/status/200?c");
    assertThat(viaApplicationConnector)
        .as("the application's builder is not changed")
        .containsExactly("/status/200?a", "/status/200?c");
  }
}
