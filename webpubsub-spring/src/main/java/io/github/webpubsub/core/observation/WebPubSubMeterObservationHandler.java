package io.github.webpubsub.core.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The metrics of {@link io.github.webpubsub.core.WebPubSubTemplate} operations: the meters
 * Micrometer's {@link DefaultMeterObservationHandler} records for an observation, with the same
 * names, tags and values, plus the size of each request body. With the default convention the
 * observation's name is {@code webpubsub.client.requests}:
 *
 * <ul>
 *   <li>the timer named as the observation, tagged with its low-cardinality key values and {@code
 *       error} (the simple name of the observation's error, or {@code none});
 *   <li>the long task timer {@code <name>.active}, tagged with the key values the observation
 *       started with, unless {@link DefaultMeterObservationHandler.IgnoredMeters#LONG_TASK_TIMER}
 *       is ignored;
 *   <li>a counter {@code <name>.<event>} per event, such as {@code retry};
 *   <li>the distribution summary {@value #PAYLOAD_METRIC_NAME} (base unit bytes) of operations that
 *       send a body, tagged with the low-cardinality key values, recorded once per operation
 *       whatever its outcome (retries resend the same bytes).
 * </ul>
 *
 * <p>Unlike the default handler it looks each timer, long task timer and summary up once per set of
 * tags, not on every send: an application sends to a handful of hubs with a handful of outcomes,
 * and every send then records into meters it already holds, as Spring Kafka's {@code
 * MicrometerHolder} does. The meters of at most {@value #MAX_CACHED} tag sets are held (for the
 * start and for the stop of observations); beyond them a meter is looked up in the registry each
 * time. A meter removed from the registry (or a cleared registry) is let go, also when the removal
 * races with a send that is registering it, so a removed meter is not recorded into again. Like any
 * held meter, a held one does not see a {@link io.micrometer.core.instrument.config.MeterFilter}
 * configured after it was registered: configure filters before the first send, as Spring Boot does.
 *
 * <p>Register one instance per observation registry, ahead of {@link
 * DefaultMeterObservationHandler} in one {@link
 * io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler}, so that
 * Web PubSub observations are recorded once, by this handler (two meter handlers registered side by
 * side would both record them). Spring Boot groups its meter observation handler beans that way, in
 * their order; the starter's auto-configuration declares this one at order 0, before Boot's
 * unordered default handler.
 *
 * @since 0.1.0
 */
public class WebPubSubMeterObservationHandler
    implements MeterObservationHandler<WebPubSubObservationContext> {

  /** Name of the distribution summary of request body sizes. */
  public static final String PAYLOAD_METRIC_NAME = "webpubsub.client.payload";

  /** Most tag sets whose meters are held, at the start and at the stop. */
  static final int MAX_CACHED = 1024;

  private static final String ERROR_NONE = "none";

  private final MeterRegistry meterRegistry;

  private final Clock clock;

  private final boolean longTaskTimer;

  /** The timer (and body size summary) of each name, tag set and error at the stop. */
  private final Map<MeterKey, Stopped> stopped = new ConcurrentHashMap<>();

  private final Map<MeterKey, LongTaskTimer> longTaskTimers = new ConcurrentHashMap<>();

  /** Counts removals from the registry: a meter registered across one is not held. */
  private final AtomicLong removals = new AtomicLong();

  /**
   * Creates a handler recording every meter into the given registry.
   *
   * @param meterRegistry where the meters are registered
   * @since 0.1.0
   */
  public WebPubSubMeterObservationHandler(MeterRegistry meterRegistry) {
    this(meterRegistry, new DefaultMeterObservationHandler.IgnoredMeters[0]);
  }

  /**
   * Creates a handler recording into the given registry, leaving out the given meters, as {@link
   * DefaultMeterObservationHandler#DefaultMeterObservationHandler(MeterRegistry,
   * DefaultMeterObservationHandler.IgnoredMeters...)} does (Spring Boot passes {@code
   * management.metrics.observations.ignored-meters}).
   *
   * @param meterRegistry where the meters are registered
   * @param metersToIgnore the meters not to record
   * @since 0.1.0
   */
  public WebPubSubMeterObservationHandler(
      MeterRegistry meterRegistry, DefaultMeterObservationHandler.IgnoredMeters... metersToIgnore) {
    this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry must not be null");
    Objects.requireNonNull(metersToIgnore, "metersToIgnore must not be null");
    this.clock = meterRegistry.config().clock();
    boolean longTaskTimer = true;
    for (DefaultMeterObservationHandler.IgnoredMeters ignored : metersToIgnore) {
      if (ignored == DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER) {
        longTaskTimer = false;
      }
    }
    this.longTaskTimer = longTaskTimer;
    meterRegistry.config().onMeterRemoved(this::forgetMeter);
  }

  @Override
  public void onStart(WebPubSubObservationContext context) {
    LongTaskTimer.Sample active = null;
    if (this.longTaskTimer) {
      active =
          held(
                  this.longTaskTimers,
                  new MeterKey(name(context), context.getLowCardinalityKeyValues(), ERROR_NONE),
                  (held) -> true,
                  (key) ->
                      LongTaskTimer.builder(key.name() + ".active")
                          .tags(tags(key.keyValues()))
                          .register(this.meterRegistry))
              .start();
    }
    context.meterSample = new Sample(this.clock.monotonicTime(), active);
  }

  @Override
  public void onStop(WebPubSubObservationContext context) {
    if (!(context.meterSample instanceof Sample sample)) {
      return;
    }
    context.meterSample = null;
    long elapsed = this.clock.monotonicTime() - sample.startNanos();
    MeterKey key =
        new MeterKey(name(context), context.getLowCardinalityKeyValues(), errorValue(context));
    boolean payload = context.hasPayload();
    Stopped meters =
        held(
            this.stopped,
            key,
            (held) -> held.payload() != null || !payload,
            (registered) -> register(registered, payload));
    meters.timer().record(elapsed, TimeUnit.NANOSECONDS);
    if (sample.active() != null) {
      sample.active().stop();
    }
    if (context.hasPayload() && meters.payload() != null) {
      meters.payload().record(context.getPayloadBytes());
    }
  }

  private Stopped register(MeterKey key, boolean payload) {
    List<Tag> tags = tags(key.keyValues());
    Timer timer =
        Timer.builder(key.name()).tags(tags).tag("error", key.error()).register(this.meterRegistry);
    if (!payload) {
      return new Stopped(timer, null);
    }
    return new Stopped(
        timer,
        DistributionSummary.builder(PAYLOAD_METRIC_NAME)
            .description("Size of the request bodies sent to Azure Web PubSub")
            .baseUnit(BaseUnits.BYTES)
            .tags(tags)
            .register(this.meterRegistry));
  }

  @Override
  public void onEvent(Observation.Event event, WebPubSubObservationContext context) {
    // Rare (a retry): looked up each time.
    Counter.builder(name(context) + "." + event.getName())
        .tags(tags(context.getLowCardinalityKeyValues()))
        .register(this.meterRegistry)
        .increment();
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return context instanceof WebPubSubObservationContext;
  }

  /**
   * What is held for the key when it does for this observation, else what is registered now, held
   * unless the bound is reached (a held entry may still be replaced) or a meter was removed
   * meanwhile: the removal may have been of this very meter, after it was registered and before it
   * was held.
   */
  private <V> V held(
      Map<MeterKey, V> held, MeterKey key, Predicate<V> usable, Function<MeterKey, V> register) {
    V value = held.get(key);
    if (value != null && usable.test(value)) {
      return value;
    }
    long removalsBefore = this.removals.get();
    value = register.apply(key);
    if (held.size() < MAX_CACHED || held.containsKey(key)) {
      held.put(key, value);
      if (this.removals.get() != removalsBefore) {
        held.remove(key, value);
      }
    }
    return value;
  }

  /** Lets go of the removed meter wherever it is held; every other meter stays held. */
  private void forgetMeter(Meter removed) {
    this.removals.incrementAndGet();
    this.stopped.values().removeIf((held) -> held.timer() == removed || held.payload() == removed);
    this.longTaskTimers.values().removeIf((held) -> held == removed);
  }

  private static List<Tag> tags(KeyValues keyValues) {
    List<Tag> tags = new ArrayList<>();
    for (KeyValue keyValue : keyValues) {
      tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
    }
    return tags;
  }

  /** The observation's name: its convention's, or the default one for a context never named. */
  private static String name(Observation.Context context) {
    String name = context.getName();
    return (name != null) ? name : DefaultWebPubSubObservationConvention.NAME;
  }

  private static String errorValue(Observation.Context context) {
    Throwable error = context.getError();
    return (error != null) ? error.getClass().getSimpleName() : ERROR_NONE;
  }

  /** What tells one meter of a kind from another. */
  private record MeterKey(String name, KeyValues keyValues, String error) {}

  /** The meters recorded at the stop of observations with one key. */
  private record Stopped(Timer timer, @Nullable DistributionSummary payload) {}

  /** When an observation started, and its long task timer's sample. */
  record Sample(long startNanos, LongTaskTimer.@Nullable Sample active) {}

  @Override
  public String toString() {
    return "WebPubSubMeterObservationHandler["
        + this.meterRegistry.getClass().getSimpleName()
        + "]";
  }
}
