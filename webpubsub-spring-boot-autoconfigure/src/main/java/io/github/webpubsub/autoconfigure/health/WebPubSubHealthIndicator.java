package io.github.webpubsub.autoconfigure.health;

import io.github.webpubsub.core.WebPubSubException;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubResponseException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/**
 * Reports whether the Web PubSub service answers its health endpoint ({@code HEAD /api/health}). UP
 * carries the endpoint's host and the round-trip time; DOWN the status the service answered, or the
 * type of the failure and a message naming host, port and cause. Never a key or a token.
 *
 * @since 0.1.0
 */
public class WebPubSubHealthIndicator extends AbstractReactiveHealthIndicator {

  private final WebPubSubOperations operations;

  private final @Nullable String host;

  private final Duration timeout;

  /**
   * Creates an indicator.
   *
   * @param operations the operations whose service is checked
   * @param endpoint the service endpoint (only its host is reported), or {@code null} when unknown
   * @param timeout how long the check may take before the service is reported down
   */
  public WebPubSubHealthIndicator(
      WebPubSubOperations operations, @Nullable URI endpoint, Duration timeout) {
    super("Azure Web PubSub health check failed");
    this.operations = operations;
    this.host = (endpoint != null) ? endpoint.getHost() : null;
    this.timeout = timeout;
  }

  @Override
  protected Mono<Health> doHealthCheck(Health.Builder builder) {
    if (this.host != null) {
      builder.withDetail("endpoint", this.host);
    }
    return Mono.defer(
        () -> {
          long start = System.nanoTime();
          return this.operations
              .checkServiceHealth()
              .timeout(this.timeout)
              .then(
                  Mono.fromSupplier(
                      () ->
                          builder
                              .up()
                              .withDetail(
                                  "responseTime",
                                  Duration.ofNanos(System.nanoTime() - start).toMillis() + "ms")
                              .build()))
              .onErrorResume((ex) -> Mono.just(down(builder, ex)));
        });
  }

  private Health down(Health.Builder builder, Throwable ex) {
    builder.down();
    if (ex instanceof WebPubSubResponseException answer) {
      builder.withDetail("status", answer.getStatusCode());
    } else if (ex instanceof TimeoutException) {
      builder.withDetail("error", "timeout after " + this.timeout.toMillis() + "ms");
    } else {
      Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
      builder.withDetail("error", cause.getClass().getName());
      if (ex instanceof WebPubSubException failure && failure.getMessage() != null) {
        // Names the operation, host and port and the cause's message; never a key or a token.
        builder.withDetail("message", failure.getMessage());
      }
    }
    return builder.build();
  }
}
