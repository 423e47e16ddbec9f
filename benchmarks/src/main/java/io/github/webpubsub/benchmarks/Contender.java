package io.github.webpubsub.benchmarks;

import reactor.core.publisher.Mono;

/** One way of publishing a text message to a group; the benchmark times {@link #send}. */
interface Contender extends AutoCloseable {

  /** Short name for tables. */
  String name();

  /** Sends {@code message} to {@code group} as {@code text/plain}; completes on the 202. */
  Mono<Void> send(String group, String message);

  @Override
  default void close() {}
}
