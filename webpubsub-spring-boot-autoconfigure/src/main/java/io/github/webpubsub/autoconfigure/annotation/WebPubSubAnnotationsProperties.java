package io.github.webpubsub.autoconfigure.annotation;

import io.github.webpubsub.annotation.PublishingFailureMode;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of annotation-driven publishing ({@code webpubsub.annotations.*}).
 *
 * @since 0.1.0
 */
@ConfigurationProperties("webpubsub.annotations")
public class WebPubSubAnnotationsProperties {

  /** Whether to publish the results of methods annotated with @SendToGroup and kin. */
  private boolean enabled = true;

  /** What happens when a publish fails: the caller sees the error, or it is only logged. */
  private PublishingFailureMode failureMode = PublishingFailureMode.PROPAGATE;

  /** How long a method with a plain (non-reactive) return type waits for its publish. */
  private Duration blockTimeout = Duration.ofSeconds(30);

  /** Whether annotation-driven publishing is on. */
  public boolean isEnabled() {
    return this.enabled;
  }

  /** Sets whether annotation-driven publishing is on. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** What happens when a publish fails. */
  public PublishingFailureMode getFailureMode() {
    return this.failureMode;
  }

  /** Sets what happens when a publish fails. */
  public void setFailureMode(PublishingFailureMode failureMode) {
    this.failureMode = failureMode;
  }

  /** How long a plain return type waits for its publish. */
  public Duration getBlockTimeout() {
    return this.blockTimeout;
  }

  /** Sets how long a plain return type waits for its publish. */
  public void setBlockTimeout(Duration blockTimeout) {
    this.blockTimeout = blockTimeout;
  }
}
