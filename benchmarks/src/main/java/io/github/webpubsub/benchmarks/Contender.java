package io.github.webpubsub.benchmarks;

import reactor.core.publisher.Mono;

/** One way of publishing a text message to a group; the benchmark times {@link #send}. */
interface Contender extends AutoCloseable {

  /** Short name for tables. */
  String name();

  /** Sends {@code message} to {@code group} as {@code text/plain}; completes on the 202. */
  Mono<Void> send(String group, String message);

  /** What the contender is set up as, checked after the run (throws if it is not as intended). */
  default String check() {
    return name();
  }

  @Override
  default void close() {}
}
