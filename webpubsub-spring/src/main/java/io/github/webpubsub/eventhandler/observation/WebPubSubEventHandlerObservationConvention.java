package io.github.webpubsub.eventhandler.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of event handler requests; declare a bean to replace {@link
 * DefaultWebPubSubEventHandlerObservationConvention}.
 *
 * @since 0.1.0
 */
public interface WebPubSubEventHandlerObservationConvention
    extends ObservationConvention<WebPubSubEventHandlerObservationContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof WebPubSubEventHandlerObservationContext;
  }
}
