package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.netty.channel.ChannelException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.netty.channel.AbortedException;

/**
 * Decides whether a failed attempt is retried and after which delay.
 *
 * <p>Idempotent operations: connection errors, timeouts, 408, 429, 500, 502, 503, 504. Sends: only
 * where the service cannot have accepted the message (connection not established, 408, 429, 503
 * with a retry delay header), unless {@link WebPubSubRetrySettings#retrySendsAfterServerErrors()}.
 */
public final class RetryPolicy {

  private final WebPubSubRetrySettings settings;

  /** Creates a policy with the given settings. */
  public RetryPolicy(WebPubSubRetrySettings settings) {
    this.settings = settings;
  }

  /** The settings. */
  public WebPubSubRetrySettings settings() {
    return this.settings;
  }

  /**
   * The delay before the next attempt, or {@code null} when the failure is final.
   *
   * @param request the request that failed
   * @param retriesSoFar retries already made (0 after the first attempt)
   * @param response the error answer, or {@code null} when none was received
   * @param error the transport failure or timeout when no answer was received
   */
  public @Nullable Duration delayBeforeRetry(
      WebPubSubRequest request,
      int retriesSoFar,
      @Nullable WebPubSubResponse response,
      @Nullable Throwable error) {
    if (!request.retryable() || retriesSoFar >= this.settings.maxRetries()) {
      return null;
    }
    boolean freely = !request.send() || this.settings.retrySendsAfterServerErrors();
    Duration serverDelay = null;
    boolean retry;
    if (response != null) {
      int status = response.statusCode();
      serverDelay = serverDelay(response.headers());
      retry =
          switch (status) {
            case 408, 429 -> true;
            case 503 -> freely || serverDelay != null;
            case 500, 502, 504 -> freely;
            default -> false;
          };
    } else {
      retry =
          error != null
              && (isTransportError(error) || error instanceof TimeoutException)
              && (freely || isConnectionNotEstablished(error));
    }
    if (!retry) {
      return null;
    }
    return (serverDelay != null) ? serverDelay : backoff(retriesSoFar);
  }

  /** Exponential backoff with ±20 % jitter, capped at the maximum. */
  Duration backoff(int retriesSoFar) {
    long first = this.settings.firstBackoff().toMillis();
    long max = this.settings.maxBackoff().toMillis();
    long exponential = first << Math.min(retriesSoFar, 20);
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return Duration.ofMillis(Math.min(max, Math.round(Math.min(exponential, max) * jitter)));
  }

  /**
   * Delay the service asked for: {@code x-ms-retry-after-ms}, {@code retry-after-ms}, {@code
   * Retry-After}.
   */
  static @Nullable Duration serverDelay(HttpHeaders headers) {
    for (String name : new String[] {"x-ms-retry-after-ms", "retry-after-ms"}) {
      String millis = headers.getFirst(name);
      if (millis != null) {
        try {
          return Duration.ofMillis(Math.max(0, Long.parseLong(millis.trim())));
        } catch (NumberFormatException ex) {
          // fall through to the next header
        }
      }
    }
    String retryAfter = headers.getFirst(HttpHeaders.RETRY_AFTER);
    if (retryAfter == null) {
      return null;
    }
    String value = retryAfter.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
    } catch (NumberFormatException ex) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  /** Whether the failure happened before a connection existed, so nothing was sent. */
  static boolean isConnectionNotEstablished(Throwable error) {
    if (error instanceof TimeoutException) {
      return false;
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      // Netty's ConnectTimeoutException is a ConnectException.
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * Whether the failure is a transport (I/O) error, as opposed to a timeout or a bug: WebClient's
   * request exception, any {@link IOException}, and Reactor Netty's and Netty's own channel errors
   * (a connection closed while the request was written, a channel failure), which Reactor Netty
   * signals unwrapped when the template sends through it directly.
   */
  static boolean isTransportError(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof WebClientRequestException
          || t instanceof IOException
          || t instanceof AbortedException
          || t instanceof ChannelException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
