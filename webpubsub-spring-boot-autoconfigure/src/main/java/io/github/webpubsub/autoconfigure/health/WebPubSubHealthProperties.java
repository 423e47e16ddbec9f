package io.github.webpubsub.autoconfigure.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the Web PubSub health indicator.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("webpubsub.health")
public class WebPubSubHealthProperties {

  /**
   * Time the health check may take before the service is reported down. Keep it above the first
   * request's warm-up time of a cold JVM (about a second on small machines).
   */
  private Duration timeout = Duration.ofSeconds(5);

  public Duration getTimeout() {
    return this.timeout;
  }

  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }
}
