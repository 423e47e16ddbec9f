package io.github.webpubsub.core.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * Told by {@link HttpWebPubSubExchange} when a failed attempt is about to be retried. Found in the
 * Reactor context by {@link #of(ContextView)}: under {@link #KEY}, or as the context of the
 * observation under {@link ObservationThreadLocalAccessor#KEY} (as {@link
 * ObservedWebPubSubExchange} does, one context entry instead of two); without one nothing is done.
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

  /**
   * The listener of an exchange's subscriber context.
   *
   * @param context the subscriber context
   * @return the listener under {@link #KEY}, else the context of the current observation when it is
   *     a listener, else {@code null}
   */
  static @Nullable RetryListener of(ContextView context) {
    RetryListener listener = context.getOrDefault(KEY, null);
    if (listener != null) {
      return listener;
    }
    Object observation = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
    return (observation instanceof Observation current
            && current.getContext() instanceof RetryListener observed)
        ? observed
        : null;
  }
}
