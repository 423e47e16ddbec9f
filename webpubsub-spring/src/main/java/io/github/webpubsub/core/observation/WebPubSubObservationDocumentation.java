package io.github.webpubsub.core.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of {@link io.github.webpubsub.core.WebPubSubTemplate}: their name, key values
 * and events.
 *
 * @since 0.1.0
 */
public enum WebPubSubObservationDocumentation implements ObservationDocumentation {

  /**
   * One REST operation of the template, from its first attempt to its final answer or failure,
   * retries and their delays included. With metrics, a timer {@code webpubsub.client.requests}
   * tagged with the low-cardinality key values, and a counter {@code
   * webpubsub.client.requests.retry} per retry.
   */
  CLIENT_REQUESTS {
    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>>
        getDefaultConvention() {
      return DefaultWebPubSubObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return LowCardinalityKeyNames.values();
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
      return HighCardinalityKeyNames.values();
    }

    @Override
    public Observation.Event[] getEvents() {
      return Events.values();
    }
  };

  /**
   * Key values that become metric tags: few distinct values each.
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

    /**
     * REST operation id, e.g. {@code sendToGroup} (OpenTelemetry's {@code
     * messaging.operation.name}).
     */
    OPERATION {
      @Override
      public String asString() {
        return "messaging.operation.name";
      }
    },

    /** Hub of the operation, {@code none} for service-wide operations. */
    HUB {
      @Override
      public String asString() {
        return "webpubsub.hub";
      }
    },

    /**
     * HTTP status of the answer; {@code IO_ERROR} when the service could not be reached or did not
     * answer in time, {@code CLIENT_ERROR} when no request could be made, {@code NONE} before any
     * answer (in flight, or cancelled).
     */
    STATUS {
      @Override
      public String asString() {
        return "status";
      }
    },

    /**
     * Class of the status: {@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}, or {@code
     * UNKNOWN} without an answer.
     */
    OUTCOME {
      @Override
      public String asString() {
        return "outcome";
      }
    },

    /**
     * Simple class name of the failure, or {@code none}, as Spring's HTTP client observations name
     * it; for a service that gave no answer, the name of the underlying cause (e.g. {@code
     * TimeoutException}, {@code WebClientRequestException}).
     */
    EXCEPTION {
      @Override
      public String asString() {
        return "exception";
      }
    },

    /** Host of the service endpoint (OpenTelemetry's {@code server.address}). */
    SERVER_ADDRESS {
      @Override
      public String asString() {
        return "server.address";
      }
    },

    /** Port of the service endpoint, the scheme's default when not given. */
    SERVER_PORT {
      @Override
      public String asString() {
        return "server.port";
      }
    }
  }

  /**
   * Key values for traces only, never metric tags.
   *
   * @since 0.1.0
   */
  public enum HighCardinalityKeyNames implements KeyName {

    /** Group the operation targets. */
    GROUP {
      @Override
      public String asString() {
        return "webpubsub.group";
      }
    },

    /** User the operation targets. */
    USER_ID {
      @Override
      public String asString() {
        return "webpubsub.user.id";
      }
    },

    /** Connection the operation targets. */
    CONNECTION_ID {
      @Override
      public String asString() {
        return "webpubsub.connection.id";
      }
    },

    /** Attempts made: {@code 1} plus the retries. */
    ATTEMPTS {
      @Override
      public String asString() {
        return "webpubsub.attempts";
      }
    }
  }

  /**
   * Events of the observation; with metrics, each becomes a counter {@code
   * webpubsub.client.requests.<event>} tagged with the low-cardinality key values at that moment.
   *
   * @since 0.1.0
   */
  public enum Events implements Observation.Event {

    /**
     * An attempt failed and will be retried; the key values describe the failed attempt (e.g.
     * {@code status=503}).
     */
    RETRY {
      @Override
      public String getName() {
        return "retry";
      }
    }
  }
}
