package io.github.webpubsub.core.internal;

import org.jspecify.annotations.Nullable;

/**
 * Told by {@link HttpWebPubSubExchange} when a failed attempt is about to be retried. An exchange
 * decorator puts one into the Reactor context under {@link #KEY}; without one nothing is done.
 */
@FunctionalInterface
public interface RetryListener {

  /** Key of the listener in the Reactor context. */
  Class<RetryListener> KEY = RetryListener.class;

  /**
   * Called before the delay of a retry.
   *
   * @param retry number of the coming retry, {@code 1} for the first
   * @param response the failed attempt's answer, or {@code null} when there was none
   * @param failure the failed attempt's error
   */
  void retrying(int retry, @Nullable WebPubSubResponse response, Throwable failure);
}
