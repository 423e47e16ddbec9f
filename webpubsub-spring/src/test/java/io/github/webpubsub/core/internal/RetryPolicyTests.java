package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.netty.channel.ChannelException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.netty.channel.AbortedException;

class RetryPolicyTests {

  static final WebPubSubRequest SEND =
      WebPubSubRequest.of("sendToAll", "chat", HttpMethod.POST)
          .path("/api/hubs/chat/:send")
          .send()
          .build();

  static final WebPubSubRequest PUT =
      WebPubSubRequest.of("addUserToGroup", "chat", HttpMethod.PUT).path("/x").build();

  final RetryPolicy policy =
      new RetryPolicy(
          new WebPubSubRetrySettings(3, Duration.ofMillis(100), Duration.ofMillis(250), false));

  final RetryPolicy optedIn =
      new RetryPolicy(
          new WebPubSubRetrySettings(3, Duration.ofMillis(100), Duration.ofMillis(250), true));

  static WebPubSubResponse status(int status, String... headerPairs) {
    HttpHeaders headers = new HttpHeaders();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    return new WebPubSubResponse(status, headers, new byte[0]);
  }

  static WebClientRequestException transport(Throwable cause) {
    return new WebClientRequestException(
        cause, HttpMethod.POST, URI.create("http://h/"), new HttpHeaders());
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504})
  void idempotentOperationsRetryTransientStatuses(int status) {
    assertThat(this.policy.delayBeforeRetry(PUT, 0, status(status), null)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 413, 415, 501, 505})
  void otherStatusesAreNeverRetried(int status) {
    assertThat(this.optedIn.delayBeforeRetry(PUT, 0, status(status), null)).isNull();
  }

  @Test
  void sendsRetryOnlyWhereTheServiceCannotHaveAcceptedThem() {
    assertThat(this.policy.delayBeforeRetry(SEND, 0, status(408), null)).isNotNull();
    assertThat(this.policy.delayBeforeRetry(SEND, 0, status(429), null)).isNotNull();
    assertThat(this.policy.delayBeforeRetry(SEND, 0, status(503, "Retry-After", "2"), null))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(this.policy.delayBeforeRetry(SEND, 0, status(503), null)).isNull();
    assertThat(this.policy.delayBeforeRetry(SEND, 0, status(500), null)).isNull();
    assertThat(this.policy.delayBeforeRetry(SEND, 0, status(502), null)).isNull();
    assertThat(this.policy.delayBeforeRetry(SEND, 0, status(504), null)).isNull();
    assertThat(
            this.policy.delayBeforeRetry(SEND, 0, null, transport(new ConnectException("refused"))))
        .isNotNull();
    assertThat(this.policy.delayBeforeRetry(SEND, 0, null, transport(new IOException("reset"))))
        .isNull();
    assertThat(this.policy.delayBeforeRetry(SEND, 0, null, new TimeoutException())).isNull();
  }

  @Test
  void sendsRetryLikeIdempotentOperationsWhenOptedIn() {
    assertThat(this.optedIn.delayBeforeRetry(SEND, 0, status(500), null)).isNotNull();
    assertThat(this.optedIn.delayBeforeRetry(SEND, 0, status(504), null)).isNotNull();
    assertThat(this.optedIn.delayBeforeRetry(SEND, 0, null, transport(new IOException("reset"))))
        .isNotNull();
    assertThat(this.optedIn.delayBeforeRetry(SEND, 0, null, new TimeoutException())).isNotNull();
  }

  @Test
  void errorsThatAreNotTransportFailuresAreNotRetried() {
    assertThat(this.optedIn.delayBeforeRetry(PUT, 0, null, new IllegalStateException("bug")))
        .isNull();
  }

  @Test
  void retriesStopAtMaxRetries() {
    assertThat(this.policy.delayBeforeRetry(PUT, 2, status(503), null)).isNotNull();
    assertThat(this.policy.delayBeforeRetry(PUT, 3, status(503), null)).isNull();
  }

  @Test
  void backoffGrowsWithJitterAndIsCapped() {
    assertThat(this.policy.backoff(0)).isBetween(Duration.ofMillis(80), Duration.ofMillis(120));
    assertThat(this.policy.backoff(1)).isBetween(Duration.ofMillis(160), Duration.ofMillis(240));
    assertThat(this.policy.backoff(5)).isBetween(Duration.ofMillis(200), Duration.ofMillis(250));
  }

  @Test
  void serverDelayHeadersAreHonouredInOrder() {
    assertThat(
            this.policy.delayBeforeRetry(
                PUT, 0, status(429, "x-ms-retry-after-ms", "1500", "Retry-After", "9"), null))
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(this.policy.delayBeforeRetry(PUT, 0, status(429, "retry-after-ms", "70"), null))
        .isEqualTo(Duration.ofMillis(70));
    assertThat(this.policy.delayBeforeRetry(PUT, 0, status(429, "Retry-After", "3"), null))
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void retryAfterAsAnHttpDateIsHonoured() {
    String inTenSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));

    Duration delay =
        this.policy.delayBeforeRetry(PUT, 0, status(429, "Retry-After", inTenSeconds), null);

    assertThat(delay).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
  }

  @Test
  void retryAfterDateInThePastMeansRetryNow() {
    String aMinuteAgo =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(1));

    assertThat(this.policy.delayBeforeRetry(PUT, 0, status(429, "Retry-After", aMinuteAgo), null))
        .isEqualTo(Duration.ZERO);
    // A 503 with such a header still marks a send as not accepted: it is retried, at once.
    assertThat(this.policy.delayBeforeRetry(SEND, 0, status(503, "Retry-After", aMinuteAgo), null))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void negativeServerDelaysMeanRetryNow() {
    assertThat(this.policy.delayBeforeRetry(PUT, 0, status(429, "Retry-After", "-5"), null))
        .isEqualTo(Duration.ZERO);
    assertThat(this.policy.delayBeforeRetry(PUT, 0, status(429, "retry-after-ms", "-5"), null))
        .isEqualTo(Duration.ZERO);
    assertThat(this.policy.delayBeforeRetry(PUT, 0, status(429, "Retry-After", " 0 "), null))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void unreadableDelayHeadersFallThroughToTheNextOrToBackoff() {
    assertThat(
            this.policy.delayBeforeRetry(
                PUT, 0, status(429, "x-ms-retry-after-ms", "soon", "retry-after-ms", "40"), null))
        .isEqualTo(Duration.ofMillis(40));
    assertThat(
            this.policy.delayBeforeRetry(
                PUT, 0, status(429, "retry-after-ms", "x", "Retry-After", "2"), null))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(this.policy.delayBeforeRetry(PUT, 0, status(429, "Retry-After", "tomorrow"), null))
        .isBetween(Duration.ofMillis(80), Duration.ofMillis(120));
    // A 503 without a readable delay is no sign that a send was refused.
    assertThat(this.policy.delayBeforeRetry(SEND, 0, status(503, "Retry-After", "later"), null))
        .isNull();
  }

  @Test
  void theLastAllowedRetryIsMadeAndNoneAfterIt() {
    RetryPolicy once =
        new RetryPolicy(
            new WebPubSubRetrySettings(1, Duration.ofMillis(10), Duration.ofMillis(10), false));

    assertThat(once.delayBeforeRetry(PUT, 0, status(503), null))
        .isBetween(Duration.ofMillis(8), Duration.ofMillis(12));
    assertThat(once.delayBeforeRetry(PUT, 1, status(503), null)).isNull();
    assertThat(
            new RetryPolicy(WebPubSubRetrySettings.none())
                .delayBeforeRetry(PUT, 0, status(503), null))
        .isNull();
    assertThat(once.settings().maxRetries()).isEqualTo(1);
  }

  @Test
  void requestsMarkedNotRetryableAreNeverRetried() {
    WebPubSubRequest health =
        WebPubSubRequest.of("getServiceStatus", null, HttpMethod.HEAD)
            .path("/api/health")
            .noRetry()
            .build();

    assertThat(this.optedIn.delayBeforeRetry(health, 0, status(503), null)).isNull();
    assertThat(this.optedIn.delayBeforeRetry(health, 0, null, transport(new ConnectException("x"))))
        .isNull();
  }

  @Test
  void noAnswerAndNoErrorIsNotRetried() {
    assertThat(this.optedIn.delayBeforeRetry(PUT, 0, null, null)).isNull();
  }

  @Test
  void timeoutsOfIdempotentOperationsAreRetriedButAreNotConnectionFailures() {
    assertThat(this.policy.delayBeforeRetry(PUT, 0, null, new TimeoutException())).isNotNull();
    assertThat(RetryPolicy.isConnectionNotEstablished(new TimeoutException())).isFalse();
  }

  @Test
  void backoffDoublesFromTheFirstBackoffUntilTheMaximum() {
    RetryPolicy wide =
        new RetryPolicy(
            new WebPubSubRetrySettings(30, Duration.ofMillis(100), Duration.ofDays(30), false));

    assertThat(wide.backoff(2)).isBetween(Duration.ofMillis(320), Duration.ofMillis(480));
    assertThat(wide.backoff(3)).isBetween(Duration.ofMillis(640), Duration.ofMillis(960));
    // The exponent stops growing at 20 doublings.
    Duration twenty = Duration.ofMillis(100L << 20);
    assertThat(wide.backoff(25))
        .isBetween(twenty.multipliedBy(8).dividedBy(10), twenty.multipliedBy(12).dividedBy(10));
  }

  @Test
  void connectionFailuresAreRecognisedThroughTheCauseChain() {
    assertThat(RetryPolicy.isConnectionNotEstablished(transport(new ConnectException("refused"))))
        .isTrue();
    assertThat(
            RetryPolicy.isConnectionNotEstablished(transport(new IOException("Connection reset"))))
        .isFalse();
  }

  @Test
  void reactorNettysUnwrappedChannelErrorsAreTransportFailures() {
    AbortedException closedWhileSending = new AbortedException("Connection has been closed");
    assertThat(RetryPolicy.isTransportError(closedWhileSending)).isTrue();
    assertThat(RetryPolicy.isTransportError(new ChannelException("channel failed"))).isTrue();
    assertThat(this.policy.delayBeforeRetry(PUT, 0, null, closedWhileSending)).isNotNull();
    // The connection existed: a send may have reached the service, so it is not retried.
    assertThat(this.policy.delayBeforeRetry(SEND, 0, null, closedWhileSending)).isNull();
    assertThat(RetryPolicy.isTransportError(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void connectionFailuresOfEveryKindAreRecognised() {
    assertThat(RetryPolicy.isConnectionNotEstablished(new java.net.UnknownHostException("h")))
        .isTrue();
    assertThat(RetryPolicy.isConnectionNotEstablished(new java.net.NoRouteToHostException("h")))
        .isTrue();
    assertThat(
            RetryPolicy.isConnectionNotEstablished(
                transport(new io.netty.channel.ConnectTimeoutException("connect timed out"))))
        .isTrue();
    assertThat(RetryPolicy.isConnectionNotEstablished(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void anIoExceptionDeepInTheCauseChainIsATransportFailure() {
    assertThat(
            RetryPolicy.isTransportError(
                new IllegalStateException("wrapped", new RuntimeException(new IOException("x")))))
        .isTrue();
  }

  /** A throwable whose cause is itself (some libraries' do that): the cause chain ends there. */
  static final class SelfCaused extends RuntimeException {
    @Override
    public synchronized Throwable getCause() {
      return this;
    }
  }

  @Test
  void aCauseChainThatLoopsOnItselfEnds() {
    assertThat(RetryPolicy.isConnectionNotEstablished(new SelfCaused())).isFalse();
    assertThat(RetryPolicy.isTransportError(new SelfCaused())).isFalse();
  }

  @Test
  void nettysConnectTimeoutMeansTheConnectionWasNeverEstablished() {
    assertThat(
            RetryPolicy.isConnectionNotEstablished(
                transport(new io.netty.channel.ConnectTimeoutException("connect timed out"))))
        .isTrue();
  }

  @Test
  void aTimeoutIsNeverTakenForAConnectionNotEstablishedWhateverItsCause() {
    TimeoutException timeout = new TimeoutException("no answer");
    timeout.initCause(new ConnectException("refused"));

    assertThat(RetryPolicy.isConnectionNotEstablished(timeout)).isFalse();
  }
}
