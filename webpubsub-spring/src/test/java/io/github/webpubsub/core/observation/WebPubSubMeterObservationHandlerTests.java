package io.github.webpubsub.core.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.core.WebPubSubResponseException;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * The meter handler against Micrometer's default handler: the same meters for the same
 * observations, held between sends without ever recording into a meter the registry dropped.
 */
class WebPubSubMeterObservationHandlerTests {

  private static final URI ENDPOINT = URI.create("https://example.webpubsub.azure.com");

  private final MockClock clock = new MockClock();

  /** Records what the default handler records, and the body size the way the handler should. */
  private final MeterRegistry expected = new SimpleMeterRegistry(SimpleConfig.DEFAULT, this.clock);

  private final MeterRegistry actual = new SimpleMeterRegistry(SimpleConfig.DEFAULT, this.clock);

  private final ObservationRegistry reference = ObservationRegistry.create();

  private final ObservationRegistry observed = ObservationRegistry.create();

  WebPubSubMeterObservationHandlerTests() {
    this.reference
        .observationConfig()
        .observationHandler(new DefaultMeterObservationHandler(this.expected))
        .observationHandler(new PayloadReference(this.expected));
    this.observed
        .observationConfig()
        .observationHandler(new WebPubSubMeterObservationHandler(this.actual));
  }

  @Test
  void shouldRecordTheMetersOfTheDefaultHandlerAndThePayloadSummary() {
    Consumer<ObservationRegistry> operations =
        (registry) -> {
          operation(registry, "sendToGroup", "chat", 5, 202, null, 7);
          operation(registry, "sendToGroup", "chat", 9, 202, null, 3);
          operation(registry, "sendToGroup", "news", 2, 202, null, 1);
          operation(registry, "closeConnection", "chat", -1, 204, null, 11);
          operation(
              registry,
              "sendToAll",
              "chat",
              4,
              404,
              new WebPubSubResponseException("not found", 404, null, "req-1"),
              2);
          retried(registry);
        };
    operations.accept(this.reference);
    operations.accept(this.observed);

    assertThat(snapshot(this.actual)).isEqualTo(snapshot(this.expected));
    assertThat(this.actual.get("webpubsub.client.requests").timers()).hasSize(5);
    assertThat(
            this.actual
                .get("webpubsub.client.requests")
                .tags("webpubsub.hub", "chat", "messaging.operation.name", "sendToGroup")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isEqualTo(10.0);
    assertThat(
            this.actual
                .get("webpubsub.client.requests")
                .tag("error", "WebPubSubResponseException")
                .timer()
                .count())
        .isOne();
    assertThat(this.actual.get("webpubsub.client.requests.retry").counter().count()).isOne();
    // Two hubs and a failure for operations with a body (closeConnection has none).
    assertThat(this.actual.get(WebPubSubMeterObservationHandler.PAYLOAD_METRIC_NAME).summaries())
        .hasSize(3);
  }

  @Test
  void activeOperationsShouldBeCountedWithTheKeyValuesTheyStartedWith() {
    Observation observation = observation(this.observed, "sendToGroup", "chat", 5);
    observation.start();

    assertThat(
            this.actual
                .get("webpubsub.client.requests.active")
                .tags("webpubsub.hub", "chat", "status", "NONE")
                .longTaskTimer()
                .activeTasks())
        .isOne();
    WebPubSubObservationContext context = (WebPubSubObservationContext) observation.getContext();
    context.setStatusCode(202);
    observation.stop();
    assertThat(this.actual.get("webpubsub.client.requests.active").longTaskTimer().activeTasks())
        .isZero();
    assertThat(this.actual.get("webpubsub.client.requests").tag("status", "202").timer().count())
        .isOne();
  }

  @Test
  void ignoredLongTaskTimerShouldNotBeRegistered() {
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new WebPubSubMeterObservationHandler(
                this.actual, DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER));

    operation(registry, "sendToGroup", "chat", 5, 202, null, 1);

    assertThat(this.actual.find("webpubsub.client.requests.active").meters()).isEmpty();
    assertThat(this.actual.get("webpubsub.client.requests").timer().count()).isOne();
  }

  @Test
  void meterRemovedFromTheRegistryShouldBeRegisteredAgainNotRecordedInto() {
    operation(this.observed, "sendToGroup", "chat", 5, 202, null, 1);
    Timer first = this.actual.get("webpubsub.client.requests").timer();
    DistributionSummary firstPayload =
        this.actual.get(WebPubSubMeterObservationHandler.PAYLOAD_METRIC_NAME).summary();
    this.actual.remove(first);

    operation(this.observed, "sendToGroup", "chat", 5, 202, null, 1);

    Timer second = this.actual.get("webpubsub.client.requests").timer();
    assertThat(second).isNotSameAs(first);
    assertThat(second.count()).isOne();
    assertThat(first.count()).isOne();
    assertThat(this.actual.get(WebPubSubMeterObservationHandler.PAYLOAD_METRIC_NAME).summary())
        .isSameAs(firstPayload);

    this.actual.clear();
    operation(this.observed, "sendToGroup", "chat", 5, 202, null, 1);

    assertThat(this.actual.get("webpubsub.client.requests").timer().count()).isOne();
    assertThat(
            this.actual.get(WebPubSubMeterObservationHandler.PAYLOAD_METRIC_NAME).summary().count())
        .isOne();
    assertThat(this.actual.get("webpubsub.client.requests.active").longTaskTimer()).isNotNull();
  }

  @Test
  void meterRemovedWhileItIsBeingRegisteredShouldNotBeHeld() {
    // The removal comes between the timer's registration and the handler holding it, as a
    // concurrent removal can: here synchronously, when the payload summary registered after the
    // timer is added.
    java.util.concurrent.atomic.AtomicBoolean removedOnce =
        new java.util.concurrent.atomic.AtomicBoolean();
    this.actual
        .config()
        .onMeterAdded(
            (meter) -> {
              if (meter instanceof DistributionSummary && removedOnce.compareAndSet(false, true)) {
                this.actual.remove(this.actual.get("webpubsub.client.requests").timer());
              }
            });

    operation(this.observed, "sendToGroup", "chat", 5, 202, null, 1);
    operation(this.observed, "sendToGroup", "chat", 5, 202, null, 1);

    assertThat(removedOnce).isTrue();
    assertThat(this.actual.get("webpubsub.client.requests").timer().count())
        .as("the second send registered a timer again instead of recording into the removed one")
        .isOne();
  }

  @Test
  void moreTagSetsThanAreHeldShouldStillBeRecordedEachIntoItsOwnMeters() {
    int hubs = WebPubSubMeterObservationHandler.MAX_CACHED + 100;
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < hubs; i++) {
        operation(this.observed, "sendToGroup", "hub" + i, i, 202, null, 1);
      }
    }

    assertThat(this.actual.get("webpubsub.client.requests").timers()).hasSize(hubs);
    assertThat(this.actual.get("webpubsub.client.requests").timers())
        .allSatisfy((timer) -> assertThat(timer.count()).isEqualTo(2));
    assertThat(this.actual.get(WebPubSubMeterObservationHandler.PAYLOAD_METRIC_NAME).summaries())
        .allSatisfy((summary) -> assertThat(summary.count()).isEqualTo(2));
  }

  @Test
  void renamedObservationShouldBeRecordedUnderItsName() {
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(new WebPubSubMeterObservationHandler(this.actual));
    WebPubSubObservationConvention renamed =
        new DefaultWebPubSubObservationConvention() {
          @Override
          public String getName() {
            return "chat.pushes";
          }
        };
    Observation observation =
        WebPubSubObservationDocumentation.CLIENT_REQUESTS.observation(
            renamed,
            DefaultWebPubSubObservationConvention.INSTANCE,
            () -> context("sendToGroup", "chat", 5),
            registry);
    observation.start().stop();
    operation(registry, "sendToGroup", "chat", 5, 0, null, 0);

    assertThat(this.actual.get("chat.pushes").timer().count()).isOne();
    assertThat(this.actual.get("chat.pushes.active").longTaskTimer()).isNotNull();
    assertThat(this.actual.get("webpubsub.client.requests").timer().count()).isOne();
  }

  @Test
  void shouldSupportOnlyWebPubSubContexts() {
    WebPubSubMeterObservationHandler handler = new WebPubSubMeterObservationHandler(this.actual);

    assertThat(handler.supportsContext(context("sendToAll", "chat", 1))).isTrue();
    assertThat(handler.supportsContext(new Observation.Context())).isFalse();
  }

  @Test
  void stopWithoutStartShouldRecordNothing() {
    WebPubSubMeterObservationHandler handler = new WebPubSubMeterObservationHandler(this.actual);
    WebPubSubObservationContext context = context("sendToAll", "chat", 1);
    context.setName("webpubsub.client.requests");

    handler.onStop(context);

    assertThat(this.actual.getMeters()).isEmpty();
  }

  private static WebPubSubObservationContext context(String operation, String hub, long payload) {
    return new WebPubSubObservationContext(operation, hub, "g", null, null, payload, ENDPOINT);
  }

  private Observation observation(
      ObservationRegistry registry, String operation, String hub, long payload) {
    WebPubSubObservationContext context = context(operation, hub, payload);
    return WebPubSubObservationDocumentation.CLIENT_REQUESTS.observation(
        null, DefaultWebPubSubObservationConvention.INSTANCE, () -> context, registry);
  }

  /** One operation as the template observes it: started, answered or failed, stopped. */
  private void operation(
      ObservationRegistry registry,
      String operation,
      String hub,
      long payload,
      int status,
      Throwable failure,
      long millis) {
    Observation observation = observation(registry, operation, hub, payload);
    WebPubSubObservationContext context = (WebPubSubObservationContext) observation.getContext();
    observation.start();
    this.clock.add(Duration.ofMillis(millis));
    context.setStatusCode(status);
    if (failure != null) {
      context.setFailure(failure);
      observation.error(failure);
    } else {
      context.setResponse(new HttpHeaders());
    }
    observation.stop();
  }

  /** An operation answered 503 once, then 200: a retry event with the key values of the 503. */
  private void retried(ObservationRegistry registry) {
    Observation observation = observation(registry, "addUserToGroup", "chat", -1);
    WebPubSubObservationContext context = (WebPubSubObservationContext) observation.getContext();
    observation.start();
    context.setStatusCode(503);
    observation.lowCardinalityKeyValues(
        DefaultWebPubSubObservationConvention.INSTANCE.getLowCardinalityKeyValues(context));
    observation.event(WebPubSubObservationDocumentation.Events.RETRY);
    context.setAttempts(2);
    this.clock.add(Duration.ofMillis(4));
    context.setStatusCode(200);
    observation.stop();
  }

  /** Every meter's id (name, type, tags, unit, description) and its measurements. */
  private static Map<String, String> snapshot(MeterRegistry registry) {
    Map<String, String> meters = new TreeMap<>();
    for (Meter meter : registry.getMeters()) {
      Meter.Id id = meter.getId();
      StringBuilder key = new StringBuilder(id.getName()).append(' ').append(id.getType());
      for (Tag tag : id.getTagsAsIterable()) {
        key.append(' ').append(tag.getKey()).append('=').append(tag.getValue());
      }
      key.append(" unit=")
          .append(id.getBaseUnit())
          .append(" description=")
          .append(id.getDescription());
      meters.put(key.toString(), String.valueOf(meter.measure()));
    }
    return meters;
  }

  /** The payload summary as it was recorded before the handler held its meters. */
  private static final class PayloadReference
      implements ObservationHandler<WebPubSubObservationContext> {

    private final MeterRegistry registry;

    PayloadReference(MeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void onStop(WebPubSubObservationContext context) {
      if (!context.hasPayload()) {
        return;
      }
      DistributionSummary.Builder builder =
          DistributionSummary.builder("webpubsub.client.payload")
              .description("Size of the request bodies sent to Azure Web PubSub")
              .baseUnit(BaseUnits.BYTES);
      for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
        builder.tag(keyValue.getKey(), keyValue.getValue());
      }
      builder.register(this.registry).record(context.getPayloadBytes());
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return context instanceof WebPubSubObservationContext;
    }
  }
}
