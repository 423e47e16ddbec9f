package io.github.webpubsub.core.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Records the request body of every observed operation that has one in the distribution summary
 * {@value #METRIC_NAME} (base unit bytes), tagged like the operation's timer. Recorded once per
 * operation when it ends, whatever its outcome; retries resend the same bytes and are counted by
 * {@code webpubsub.client.requests.retry}.
 *
 * @since 0.1.0
 */
public class WebPubSubPayloadObservationHandler
    implements ObservationHandler<WebPubSubObservationContext> {

  /** Name of the distribution summary. */
  public static final String METRIC_NAME = "webpubsub.client.payload";

  private final MeterRegistry meterRegistry;

  /**
   * Creates a handler recording into the given registry.
   *
   * @param meterRegistry where the summary is registered
   * @since 0.1.0
   */
  public WebPubSubPayloadObservationHandler(MeterRegistry meterRegistry) {
    this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry must not be null");
  }

  @Override
  public void onStop(WebPubSubObservationContext context) {
    if (!context.hasPayload()) {
      return;
    }
    List<Tag> tags = new ArrayList<>(6);
    for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
      tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
    }
    DistributionSummary.builder(METRIC_NAME)
        .description("Size of the request bodies sent to Azure Web PubSub")
        .baseUnit(BaseUnits.BYTES)
        .tags(tags)
        .register(this.meterRegistry)
        .record(context.getPayloadBytes());
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return context instanceof WebPubSubObservationContext;
  }
}
