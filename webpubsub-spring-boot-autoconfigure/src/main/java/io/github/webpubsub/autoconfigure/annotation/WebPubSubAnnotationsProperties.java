package io.github.webpubsub.autoconfigure.annotation;

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
  private FailureMode failureMode = FailureMode.PROPAGATE;

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
  public FailureMode getFailureMode() {
    return this.failureMode;
  }

  /** Sets what happens when a publish fails. */
  public void setFailureMode(FailureMode failureMode) {
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

  /**
   * What happens when publishing an annotated method's result fails.
   *
   * @since 0.1.0
   */
  public enum FailureMode {
    /** The error reaches the caller: thrown, or signalled by the returned Mono, Flux or future. */
    PROPAGATE,
    /** The error is logged as a warning and the caller receives the result as if it succeeded. */
    LOG
  }
}
