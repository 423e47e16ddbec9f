package io.github.webpubsub.eventhandler.observation;

import io.github.webpubsub.eventhandler.observation.WebPubSubEventHandlerObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The default convention: name {@code webpubsub.eventhandler.requests}, low-cardinality tags {@code
 * messaging.system}, {@code webpubsub.event.type}, {@code webpubsub.hub}, {@code outcome} ({@code
 * SUCCESS}, {@code REJECTED} for 401/403, {@code CLIENT_ERROR}, {@code SERVER_ERROR}) and {@code
 * status}.
 *
 * @since 0.1.0
 */
public class DefaultWebPubSubEventHandlerObservationConvention
    implements WebPubSubEventHandlerObservationConvention {

  /** Shared instance. */
  public static final DefaultWebPubSubEventHandlerObservationConvention INSTANCE =
      new DefaultWebPubSubEventHandlerObservationConvention();

  /** Name of the observation. */
  public static final String NAME = "webpubsub.eventhandler.requests";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(WebPubSubEventHandlerObservationContext context) {
    return "webpubsub event " + context.getEventType();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(WebPubSubEventHandlerObservationContext context) {
    return KeyValues.of(
        LowCardinalityKeyNames.MESSAGING_SYSTEM.withValue("webpubsub"),
        LowCardinalityKeyNames.EVENT_TYPE.withValue(context.getEventType()),
        LowCardinalityKeyNames.HUB.withValue(context.getHub()),
        LowCardinalityKeyNames.OUTCOME.withValue(outcome(context.getStatus())),
        LowCardinalityKeyNames.STATUS.withValue(Integer.toString(context.getStatus())));
  }

  private static String outcome(int status) {
    if (status >= 200 && status < 300) {
      return "SUCCESS";
    }
    if (status == 401 || status == 403) {
      return "REJECTED";
    }
    if (status >= 400 && status < 500) {
      return "CLIENT_ERROR";
    }
    return (status >= 500) ? "SERVER_ERROR" : "UNKNOWN";
  }
}
