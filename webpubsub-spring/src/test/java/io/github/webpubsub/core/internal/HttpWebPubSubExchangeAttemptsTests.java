package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.webpubsub.core.WebPubSubException;
import io.github.webpubsub.core.WebPubSubRequestException;
import io.github.webpubsub.core.WebPubSubResponseException;
import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;

/**
 * What each attempt of an exchange sends (URL, signed audience, token, trace headers), and how its
 * failures are retried and turned into exceptions, against a scripted transport on virtual time.
 */
class HttpWebPubSubExchangeAttemptsTests {

  static final String ENDPOINT = "https://contoso.example:8443";

  static final String AT = " on hub 'chat' at contoso.example:8443";

  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

  final VirtualTimeScheduler time = VirtualTimeScheduler.create();

  final ScriptedTransport transport = new ScriptedTransport();

  /** Audiences the authorizer was asked to sign, one per attempt. */
  final List<String> signed = new CopyOnWriteArrayList<>();

  final RequestAuthorizer authorizer =
      audience -> {
        this.signed.add(audience);
        return Mono.just("token-" + this.signed.size());
      };

  @AfterEach
  void disposeTime() {
    this.time.dispose();
  }

  /** One attempt as the transport received it. */
  record Attempt(WebPubSubRequest request, URI target, String token, HttpHeaders propagation) {}

  /** Answers each attempt with the next scripted answer; records what it was asked to send. */
  static final class ScriptedTransport implements HttpTransport {

    final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    final Deque<Mono<WebPubSubResponse>> answers = new ArrayDeque<>();

    boolean enforcesResponseTimeout;

    ScriptedTransport answer(Mono<WebPubSubResponse> answer) {
      this.answers.add(answer);
      return this;
    }

    @Override
    public Mono<WebPubSubResponse> send(
        WebPubSubRequest request, URI target, String token, HttpHeaders propagation) {
      this.attempts.add(new Attempt(request, target, token, propagation));
      Mono<WebPubSubResponse> next = this.answers.poll();
      return (next != null) ? next : Mono.error(new AssertionError("no answer scripted"));
    }

    @Override
    public boolean enforcesResponseTimeout() {
      return this.enforcesResponseTimeout;
    }

    @Override
    public String toString() {
      return "ScriptedTransport";
    }
  }

  static Mono<WebPubSubResponse> status(int status, String... headerPairs) {
    HttpHeaders headers = new HttpHeaders();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    return Mono.just(new WebPubSubResponse(status, headers, new byte[0]));
  }

  HttpWebPubSubExchange exchange(@Nullable String reverseProxy, int maxRetries) {
    return new HttpWebPubSubExchange(
        this.transport,
        ENDPOINT,
        reverseProxy,
        this.authorizer,
        new RetryPolicy(
            new WebPubSubRetrySettings(
                maxRetries, Duration.ofSeconds(1), Duration.ofSeconds(1), false)),
        RESPONSE_TIMEOUT,
        this.time);
  }

  static WebPubSubRequest send() {
    return WebPubSubRequest.of("sendToAll", "chat", HttpMethod.POST)
        .path("/api/hubs/chat/:send")
        .encodedQuery("api-version=2024-12-01")
        .body("hi".getBytes(StandardCharsets.UTF_8), "text/plain")
        .send()
        .build();
  }

  /** Idempotent: retried after timeouts and server errors. */
  static WebPubSubRequest put() {
    return WebPubSubRequest.of("addUserToGroup", "chat", HttpMethod.PUT)
        .path("/api/hubs/chat/users/u1/groups/g1")
        .encodedQuery("api-version=2024-12-01")
        .build();
  }

  static final String SEND_URL = ENDPOINT + "/api/hubs/chat/:send?api-version=2024-12-01";

  /** The outcome of a mono that must have ended by now (virtual time does not move by itself). */
  static Throwable failureOf(Mono<WebPubSubResponse> mono) {
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    mono.subscribe(response -> {}, failure::set);
    Throwable error = failure.get();
    assertThat(error).as("the exchange failed").isNotNull();
    return error;
  }

  // ---- URL, audience, token ----

  @Test
  void attemptGoesToTheEndpointPlusPathAndIsSignedForThatUrl() {
    this.transport.answer(status(202));
    WebPubSubRequest request = send();

    StepVerifier.create(exchange(null, 3).exchange(request))
        .assertNext(response -> assertThat(response.statusCode()).isEqualTo(202))
        .expectComplete()
        .verify(Duration.ofSeconds(5));

    assertThat(this.signed).containsExactly(SEND_URL);
    Attempt attempt = this.transport.attempts.get(0);
    assertThat(attempt.target()).isEqualTo(URI.create(SEND_URL));
    assertThat(attempt.token()).isEqualTo("token-1");
    assertThat(attempt.request()).isSameAs(request);
    assertThat(attempt.propagation()).isSameAs(PropagationHeaders.NONE);
  }

  @Test
  void absoluteUrlOfARequestIsUsedAsIs() {
    String next = "https://contoso.example:8443/api/hubs/chat/groups/g/connections?page=2";
    this.transport.answer(status(200));

    exchange(null, 3)
        .exchange(
            WebPubSubRequest.of("listConnectionsInGroup", "chat", HttpMethod.GET)
                .absoluteUrl(next)
                .build())
        .block(Duration.ofSeconds(1));

    assertThat(this.signed).containsExactly(next);
    assertThat(this.transport.attempts.get(0).target()).isEqualTo(URI.create(next));
  }

  @Test
  void throughAReverseProxyTheWireUrlIsTheProxysAndTheSignedAudienceTheServices() {
    this.transport.answer(status(202)).answer(status(200));
    HttpWebPubSubExchange exchange = exchange("http://gateway.local:8080/wps", 3);

    exchange.exchange(send()).block(Duration.ofSeconds(1));
    String next = ENDPOINT + "/api/hubs/chat/groups/g/connections?page=2&x=a%20b";
    exchange
        .exchange(
            WebPubSubRequest.of("listConnectionsInGroup", "chat", HttpMethod.GET)
                .absoluteUrl(next)
                .build())
        .block(Duration.ofSeconds(1));

    assertThat(this.signed).containsExactly(SEND_URL, next);
    assertThat(this.transport.attempts)
        .extracting(Attempt::target)
        .containsExactly(
            URI.create("http://gateway.local:8080/wps/api/hubs/chat/:send?api-version=2024-12-01"),
            URI.create(
                "http://gateway.local:8080/wps/api/hubs/chat/groups/g/connections?page=2&x=a%20b"));
  }

  @Test
  void throughAReverseProxyAUrlWithoutQueryGetsNoQuestionMark() {
    this.transport.answer(status(202));

    exchange("http://gateway.local", 3)
        .exchange(WebPubSubRequest.of("op", "chat", HttpMethod.GET).path("/api/hubs/chat").build())
        .block(Duration.ofSeconds(1));

    assertThat(this.transport.attempts.get(0).target())
        .isEqualTo(URI.create("http://gateway.local/api/hubs/chat"));
  }

  @Test
  void anUnparsableUrlFailsBeforeAnythingIsSignedOrSent() {
    WebPubSubRequest request =
        WebPubSubRequest.of("sendToAll", "chat", HttpMethod.POST).path("/api/hubs/a b").build();

    Throwable failure = failureOf(exchange(null, 3).exchange(request));

    assertThat(failure)
        .isExactlyInstanceOf(WebPubSubException.class)
        .hasMessage(
            "sendToAll on hub 'chat' has an invalid URL: Illegal character in path at index 39: "
                + ENDPOINT
                + "/api/hubs/a b")
        .hasCauseInstanceOf(IllegalArgumentException.class);
    Throwable serviceWide =
        failureOf(
            exchange(null, 3)
                .exchange(
                    WebPubSubRequest.of("getServiceStatus", null, HttpMethod.HEAD)
                        .path("/api/health ")
                        .build()));
    assertThat(serviceWide)
        .hasMessageStartingWith("getServiceStatus has an invalid URL: Illegal character");
    assertThat(this.signed).isEmpty();
    assertThat(this.transport.attempts).isEmpty();
  }

  @Test
  void traceHeadersOfTheContextReachEveryAttempt() {
    HttpHeaders trace = new HttpHeaders();
    trace.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    this.transport.answer(status(503, "retry-after-ms", "10")).answer(status(202));

    StepVerifier.create(
            exchange(null, 3)
                .exchange(put())
                .contextWrite(Context.of(PropagationHeaders.KEY, trace)))
        .then(() -> this.time.advanceTimeBy(Duration.ofMillis(10)))
        .expectNextCount(1)
        .expectComplete()
        .verify(Duration.ofSeconds(5));

    assertThat(this.transport.attempts)
        .extracting(Attempt::propagation)
        .containsExactly(trace, trace);
  }

  // ---- answers ----

  @Test
  void notFoundIsTheAnswerOnlyOfRequestsThatSaySo() {
    this.transport.answer(status(404)).answer(status(404));
    HttpWebPubSubExchange exchange = exchange(null, 3);

    WebPubSubResponse exists =
        exchange
            .exchange(
                WebPubSubRequest.of("groupExists", "chat", HttpMethod.HEAD)
                    .path("/api/hubs/chat/groups/g1")
                    .notFoundIsAnswer()
                    .build())
            .block(Duration.ofSeconds(1));
    Throwable failure = failureOf(exchange.exchange(put()));

    assertThat(exists).isNotNull();
    assertThat(exists.statusCode()).isEqualTo(404);
    assertThat(failure)
        .isInstanceOf(WebPubSubResponseException.class)
        .hasMessage("addUserToGroup" + AT + " failed with status 404 Not Found");
    assertThat(this.transport.attempts).hasSize(2);
  }

  @Test
  void successStatusesAreAnswersAndTheFirstNonSuccessIsAnError() {
    this.transport.answer(status(200)).answer(status(299)).answer(status(300)).answer(status(199));
    HttpWebPubSubExchange exchange = exchange(null, 0);

    assertThat(exchange.exchange(put()).block(Duration.ofSeconds(1)).statusCode()).isEqualTo(200);
    assertThat(exchange.exchange(put()).block(Duration.ofSeconds(1)).statusCode()).isEqualTo(299);
    assertThat(failureOf(exchange.exchange(put())))
        .hasMessage("addUserToGroup" + AT + " failed with status 300 Multiple Choices");
    assertThat(failureOf(exchange.exchange(put())))
        .hasMessage("addUserToGroup" + AT + " failed with status 199");
  }

  // ---- retries ----

  @Test
  void retryWaitsTheServersDelaySignsAgainAndTellsTheListener() {
    this.transport.answer(status(503, "retry-after-ms", "1500")).answer(status(202));
    List<String> told = new ArrayList<>();
    RetryListener listener =
        (retry, response, failure) ->
            told.add(
                retry
                    + " "
                    + ((response != null) ? response.statusCode() : "-")
                    + " "
                    + failure.getMessage());

    StepVerifier.create(
            exchange(null, 3)
                .exchange(send())
                .contextWrite(Context.of(RetryListener.KEY, listener)))
        .expectSubscription()
        .then(() -> this.time.advanceTimeBy(Duration.ofMillis(1499)))
        .then(() -> assertThat(this.transport.attempts).hasSize(1))
        .then(() -> this.time.advanceTimeBy(Duration.ofMillis(1)))
        .assertNext(response -> assertThat(response.statusCode()).isEqualTo(202))
        .expectComplete()
        .verify(Duration.ofSeconds(5));

    assertThat(told)
        .containsExactly("1 503 sendToAll" + AT + " failed with status 503 Service Unavailable");
    assertThat(this.signed).containsExactly(SEND_URL, SEND_URL);
    assertThat(this.transport.attempts)
        .extracting(Attempt::token)
        .containsExactly("token-1", "token-2");
  }

  @Test
  void afterTheLastRetryTheLastFailureIsTheError() {
    this.transport
        .answer(status(500, "retry-after-ms", "5"))
        .answer(status(502, "retry-after-ms", "5"))
        .answer(status(504, "x-ms-request-id", "r-3"));
    List<Integer> retries = new ArrayList<>();

    StepVerifier.create(
            exchange(null, 2)
                .exchange(put())
                .contextWrite(
                    Context.of(
                        RetryListener.KEY,
                        (RetryListener) (retry, response, failure) -> retries.add(retry))))
        .then(() -> this.time.advanceTimeBy(Duration.ofMillis(10)))
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .isInstanceOf(WebPubSubResponseException.class)
                    .hasMessage(
                        "addUserToGroup"
                            + AT
                            + " failed with status 504 Gateway Timeout (request id r-3)"))
        .verify(Duration.ofSeconds(1));

    assertThat(retries).containsExactly(1, 2);
    assertThat(this.transport.attempts).hasSize(3);
  }

  @Test
  void eachRetryIsLoggedAtDebugWithItsDelayNumberAndCause() {
    Logger logger = (Logger) LoggerFactory.getLogger(HttpWebPubSubExchange.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    Level level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    try {
      this.transport.answer(status(429, "retry-after-ms", "250")).answer(status(202));

      StepVerifier.create(exchange(null, 3).exchange(send()))
          .then(() -> this.time.advanceTimeBy(Duration.ofMillis(250)))
          .expectNextCount(1)
          .expectComplete()
          .verify(Duration.ofSeconds(5));

      assertThat(appender.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly(
              "Retrying sendToAll"
                  + AT
                  + " in 250 ms (retry 1 of 3) after: sendToAll"
                  + AT
                  + " failed with status 429 Too Many Requests");
    } finally {
      logger.setLevel(level);
      logger.detachAppender(appender);
    }
  }

  // ---- failures without an answer ----

  @Test
  void noAnswerWithinTheResponseTimeoutIsATimeoutNamingIt() {
    this.transport.answer(Mono.never());

    StepVerifier.create(exchange(null, 0).exchange(put()))
        .expectSubscription()
        .then(() -> this.time.advanceTimeBy(RESPONSE_TIMEOUT.minusMillis(1)))
        .expectNoEvent(Duration.ZERO)
        .then(() -> this.time.advanceTimeBy(Duration.ofMillis(1)))
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .isExactlyInstanceOf(WebPubSubRequestException.class)
                    .hasMessage(
                        "addUserToGroup"
                            + AT
                            + " timed out: no answer within the response timeout of PT2S")
                    .hasCauseInstanceOf(TimeoutException.class))
        .verify(Duration.ofSeconds(1));
  }

  @Test
  void aTransportThatEnforcesTheTimeoutIsNotTimedOutAgainAndItsReadTimeoutIsATimeout() {
    this.transport.enforcesResponseTimeout = true;
    this.transport.answer(Mono.never()).answer(Mono.error(ReadTimeoutException.INSTANCE));
    HttpWebPubSubExchange exchange = exchange(null, 0);

    StepVerifier.create(exchange.exchange(put()))
        .expectSubscription()
        .then(() -> this.time.advanceTimeBy(Duration.ofHours(1)))
        .expectNoEvent(Duration.ZERO)
        .thenCancel()
        .verify(Duration.ofSeconds(1));
    Throwable failure = failureOf(exchange.exchange(put()));

    assertThat(failure)
        .isExactlyInstanceOf(WebPubSubRequestException.class)
        .hasMessage(
            "addUserToGroup" + AT + " timed out: no answer within the response timeout of PT2S");
    assertThat(failure.getCause())
        .isInstanceOf(TimeoutException.class)
        .hasMessage("No answer within the response timeout of PT2S")
        .hasCause(ReadTimeoutException.INSTANCE);
  }

  @Test
  void aReadTimeoutWrappedByTheClientIsATimeoutToo() {
    this.transport
        .answer(Mono.error(new IllegalStateException("wrapped", ReadTimeoutException.INSTANCE)))
        .answer(status(202));

    StepVerifier.create(exchange(null, 1).exchange(put()))
        .then(() -> this.time.advanceTimeBy(Duration.ofSeconds(1)))
        .expectNextCount(1)
        .expectComplete()
        .verify(Duration.ofSeconds(5));

    assertThat(this.transport.attempts).hasSize(2);
    assertThat(HttpWebPubSubExchange.isResponseTimeout(new IOException("reset"))).isFalse();
    assertThat(HttpWebPubSubExchange.isResponseTimeout(new SelfCaused())).isFalse();
  }

  /** A throwable whose cause is itself (some libraries' do that): the cause chain ends there. */
  static final class SelfCaused extends RuntimeException {
    @Override
    public synchronized Throwable getCause() {
      return this;
    }
  }

  @Test
  void aTransportErrorNamesItsRootCause() {
    this.transport.answer(
        Mono.error(new IOException("outer", new IOException("connection reset"))));

    Throwable failure = failureOf(exchange(null, 3).exchange(send()));

    assertThat(failure)
        .isExactlyInstanceOf(WebPubSubRequestException.class)
        .hasMessage(
            "sendToAll"
                + AT
                + " failed: could not reach the service (IOException: connection reset)");
    assertThat(this.transport.attempts).as("a send may have arrived: not retried").hasSize(1);
  }

  @Test
  void aSendIsRetriedWhenTheConnectionWasNeverEstablished() {
    this.transport.answer(Mono.error(new ConnectException("refused"))).answer(status(202));

    StepVerifier.create(exchange(null, 3).exchange(send()))
        .then(() -> this.time.advanceTimeBy(Duration.ofSeconds(2)))
        .expectNextCount(1)
        .expectComplete()
        .verify(Duration.ofSeconds(5));

    assertThat(this.transport.attempts).hasSize(2);
  }

  @Test
  void anOperationFailingEveryTimeIsTriedOncePlusItsRetriesNoMore() {
    this.transport
        .answer(Mono.error(new IOException("reset 1")))
        .answer(Mono.error(new IOException("reset 2")))
        .answer(Mono.error(new IOException("reset 3")))
        .answer(Mono.error(new IOException("reset 4")));

    StepVerifier.create(exchange(null, 2).exchange(put()))
        .then(() -> this.time.advanceTimeBy(Duration.ofSeconds(10)))
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .isExactlyInstanceOf(WebPubSubRequestException.class)
                    .hasMessage(
                        "addUserToGroup"
                            + AT
                            + " failed: could not reach the service (IOException: reset 3)"))
        .verify(Duration.ofSeconds(5));

    assertThat(this.transport.attempts).hasSize(3);
  }

  @Test
  void anAlreadyMappedFailureIsNeitherRewrappedNorRetried() {
    // E.g. a token provider built on this library failing with its exception, an I/O error inside.
    WebPubSubRequestException mapped =
        new WebPubSubRequestException("token service unreachable", new IOException("reset"));
    List<String> asked = new CopyOnWriteArrayList<>();
    HttpWebPubSubExchange exchange =
        new HttpWebPubSubExchange(
            this.transport,
            ENDPOINT,
            null,
            audience -> {
              asked.add(audience);
              return Mono.error(mapped);
            },
            new RetryPolicy(
                new WebPubSubRetrySettings(3, Duration.ofSeconds(1), Duration.ofSeconds(1), false)),
            RESPONSE_TIMEOUT,
            this.time);

    StepVerifier.create(exchange.exchange(put()))
        .then(() -> this.time.advanceTimeBy(Duration.ofSeconds(10)))
        .expectErrorSatisfies(error -> assertThat(error).isSameAs(mapped))
        .verify(Duration.ofSeconds(5));

    assertThat(asked).hasSize(1);
    assertThat(this.transport.attempts).isEmpty();
  }

  @Test
  void anErrorThatIsNoTransportFailurePassesUnchangedAndIsNotRetried() {
    IllegalStateException bug = new IllegalStateException("a bug");
    this.transport.answer(Mono.error(bug));

    assertThat(failureOf(exchange(null, 3).exchange(put()))).isSameAs(bug);
    assertThat(this.transport.attempts).hasSize(1);
  }

  @Test
  void anAnswerOverTheLimitIsAnErrorNamingTheOperation() {
    this.transport.answer(Mono.error(new ReplyTooLargeException(200)));

    assertThat(failureOf(exchange(null, 3).exchange(put())))
        .isExactlyInstanceOf(WebPubSubException.class)
        .hasMessage(
            "addUserToGroup"
                + AT
                + " answered with status 200 OK and a body over the limit of 1048576 bytes, not"
                + " read");
    assertThat(this.transport.attempts).hasSize(1);
  }

  @Test
  void aResponseShowsItsStatusAndSizeNotItsBody() {
    assertThat(
            new WebPubSubResponse(
                404, new HttpHeaders(), "secret".getBytes(StandardCharsets.UTF_8)))
        .hasToString("WebPubSubResponse[404, 6 bytes]");
  }

  @Test
  void toStringShowsTheSettingsButNoCredential() {
    assertThat(exchange("http://gateway.local", 3))
        .hasToString(
            "HttpWebPubSubExchange[transport=ScriptedTransport, endpoint="
                + ENDPOINT
                + ", reverseProxy=http://gateway.local, responseTimeout=PT2S]");
  }
}
