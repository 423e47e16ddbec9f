package io.github.webpubsub.core;

import io.github.webpubsub.core.internal.Arguments;
import java.time.Duration;

/**
 * How failed requests are retried: at most {@code maxRetries} more attempts, with exponential
 * backoff and jitter from {@code firstBackoff} up to {@code maxBackoff}, unless the service asks
 * for a delay ({@code Retry-After}, {@code retry-after-ms}, {@code x-ms-retry-after-ms}).
 *
 * <p>Idempotent operations are retried after connection errors, timeouts and the statuses 408, 429,
 * 500, 502, 503 and 504. Sends are retried by default only where the service cannot have accepted
 * the message: the connection could not be established, 408, 429, or 503 with a retry delay header.
 * {@code retrySendsAfterServerErrors} lets sends be retried on every condition an idempotent
 * operation is, at the risk of a message being delivered twice.
 *
 * @param maxRetries attempts after the first one (0 disables retries)
 * @param firstBackoff delay before the first retry, doubled for each further retry
 * @param maxBackoff upper bound of the computed delay
 * @param retrySendsAfterServerErrors whether sends are also retried after 500, 502, 504, a
 *     connection reset or a timeout
 * @since 0.1.0
 */
public record WebPubSubRetrySettings(
    int maxRetries,
    Duration firstBackoff,
    Duration maxBackoff,
    boolean retrySendsAfterServerErrors) {

  /** Validates the settings. */
  public WebPubSubRetrySettings {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative but was " + maxRetries);
    }
    Arguments.notNull("firstBackoff", firstBackoff);
    Arguments.notNull("maxBackoff", maxBackoff);
    if (firstBackoff.isNegative()) {
      throw new IllegalArgumentException(
          "firstBackoff must not be negative but was " + firstBackoff);
    }
    if (maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff must not be shorter than firstBackoff but was " + maxBackoff);
    }
  }

  /** Three retries, 800 ms first backoff, 8 s maximum, sends not retried after server errors. */
  public static WebPubSubRetrySettings defaults() {
    return new WebPubSubRetrySettings(3, Duration.ofMillis(800), Duration.ofSeconds(8), false);
  }

  /** These settings with no retries at all. */
  public static WebPubSubRetrySettings none() {
    return new WebPubSubRetrySettings(0, Duration.ZERO, Duration.ZERO, false);
  }
}
