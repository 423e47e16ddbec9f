package io.github.webpubsub.core.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the {@code webpubsub.client.requests} observation and its key values. Define a bean of this
 * type (or set one on {@link io.github.webpubsub.core.WebPubSubTemplate.Builder}) to replace {@link
 * DefaultWebPubSubObservationConvention}, typically by extending it.
 *
 * @since 0.1.0
 */
public interface WebPubSubObservationConvention
    extends ObservationConvention<WebPubSubObservationContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof WebPubSubObservationContext;
  }
}
