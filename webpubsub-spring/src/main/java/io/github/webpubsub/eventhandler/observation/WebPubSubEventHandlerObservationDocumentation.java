package io.github.webpubsub.eventhandler.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * Documents the observation recorded for every request to the event handler endpoint.
 *
 * @since 0.1.0
 */
public enum WebPubSubEventHandlerObservationDocumentation implements ObservationDocumentation {

  /** One request from the service: the handshake or an event, from arrival to answer. */
  REQUESTS {
    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>>
        getDefaultConvention() {
      return DefaultWebPubSubEventHandlerObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return LowCardinalityKeyNames.values();
    }
  };

  /**
   * Low-cardinality tags.
   *
   * @since 0.1.0
   */
  public enum LowCardinalityKeyNames implements KeyName {

    /** Always {@code webpubsub} (OpenTelemetry's {@code messaging.system}). */
    MESSAGING_SYSTEM {
      @Override
      public String asString() {
        return "messaging.system";
      }
    },

    /** Kind of request, e.g. {@code connect} or {@code user}. */
    EVENT_TYPE {
      @Override
      public String asString() {
        return "webpubsub.event.type";
      }
    },

    /** Hub of the event ({@code none} before the signature was verified). */
    HUB {
      @Override
      public String asString() {
        return "webpubsub.hub";
      }
    },

    /** {@code SUCCESS}, {@code REJECTED}, {@code CLIENT_ERROR} or {@code SERVER_ERROR}. */
    OUTCOME {
      @Override
      public String asString() {
        return "outcome";
      }
    },

    /** HTTP status of the answer. */
    STATUS {
      @Override
      public String asString() {
        return "status";
      }
    }
  }
}
