package io.github.webpubsub.annotation;

/**
 * What happens when publishing an annotated method's result fails.
 *
 * @since 0.1.0
 */
public enum PublishingFailureMode {

  /** The error reaches the caller: thrown, or signalled by the returned Mono, Flux or future. */
  PROPAGATE,

  /** The error is logged as a warning and the caller receives the result as if it succeeded. */
  LOG
}
