package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubRequestException;
import io.github.webpubsub.core.WebPubSubResponseException;
import io.github.webpubsub.core.observation.DefaultWebPubSubObservationConvention;
import io.github.webpubsub.core.observation.WebPubSubObservationContext;
import io.github.webpubsub.core.observation.WebPubSubObservationConvention;
import io.github.webpubsub.core.observation.WebPubSubObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;

/**
 * Observes every exchange as {@code webpubsub.client.requests}: one observation per operation,
 * spanning all its attempts, with a {@code retry} event per retry. The observation is the parent of
 * the WebClient's per-attempt {@code http.client.requests}. Costs one {@link
 * ObservationRegistry#isNoop()} check when the registry is a no-op.
 */
public final class ObservedWebPubSubExchange implements WebPubSubExchange {

  private final WebPubSubExchange delegate;

  private final ObservationRegistry registry;

  private final @Nullable WebPubSubObservationConvention convention;

  private final URI endpoint;

  /**
   * Wraps an exchange.
   *
   * @param delegate the exchange that sends
   * @param registry where observations are made
   * @param convention replaces the default convention, or {@code null}
   * @param endpoint the service endpoint, reported as {@code server.address}/{@code server.port}
   */
  public ObservedWebPubSubExchange(
      WebPubSubExchange delegate,
      ObservationRegistry registry,
      @Nullable WebPubSubObservationConvention convention,
      URI endpoint) {
    this.endpoint = endpoint;
    this.delegate = delegate;
    this.registry = registry;
    this.convention = convention;
  }

  @Override
  public Mono<WebPubSubResponse> exchange(WebPubSubRequest request) {
    if (this.registry.isNoop()) {
      return this.delegate.exchange(request);
    }
    return Mono.deferContextual(
        view -> {
          WebPubSubObservationContext context = context(request, this.endpoint);
          Observation observation =
              WebPubSubObservationDocumentation.CLIENT_REQUESTS.observation(
                  this.convention,
                  DefaultWebPubSubObservationConvention.INSTANCE,
                  () -> context,
                  this.registry);
          if (observation.isNoop()) {
            return this.delegate.exchange(request);
          }
          Observation parent = view.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
          if (parent != null) {
            observation.parentObservation(parent);
          }
          Recorder recorder =
              new Recorder(
                  observation,
                  context,
                  (this.convention != null)
                      ? this.convention
                      : DefaultWebPubSubObservationConvention.INSTANCE);
          observation.start();
          return this.delegate
              .exchange(request)
              .doOnSuccess(recorder::answered)
              .doOnError(recorder::failed)
              .doOnCancel(recorder::cancelled)
              .contextWrite(
                  c -> {
                    reactor.util.context.Context updated =
                        c.put(ObservationThreadLocalAccessor.KEY, observation)
                            .put(RetryListener.KEY, recorder);
                    HttpHeaders carrier = context.getCarrier();
                    return (carrier != null && !carrier.isEmpty())
                        ? updated.put(PropagationHeaders.KEY, carrier)
                        : updated;
                  });
        });
  }

  private static WebPubSubObservationContext context(WebPubSubRequest request, URI endpoint) {
    Map<String, String> targets = request.targets();
    byte[] body = request.body();
    return new WebPubSubObservationContext(
        request.operation(),
        request.hub(),
        targets.get("group"),
        targets.get("userId"),
        targets.get("connectionId"),
        (body != null) ? body.length : -1,
        endpoint);
  }

  @Override
  public String toString() {
    return "ObservedWebPubSubExchange[" + this.delegate + "]";
  }

  /** Moves one observation through retries to its single stop. */
  private static final class Recorder implements RetryListener {

    private final Observation observation;

    private final WebPubSubObservationContext context;

    private final ObservationConvention<WebPubSubObservationContext> convention;

    private final AtomicBoolean stopped = new AtomicBoolean();

    Recorder(
        Observation observation,
        WebPubSubObservationContext context,
        ObservationConvention<WebPubSubObservationContext> convention) {
      this.observation = observation;
      this.context = context;
      this.convention = convention;
    }

    @Override
    public void retrying(int retry, @Nullable WebPubSubResponse response, Throwable failure) {
      if (this.stopped.get()) {
        return;
      }
      this.context.setStatusCode((response != null) ? response.statusCode() : 0);
      this.context.setNoAnswer(failure instanceof WebPubSubRequestException);
      this.context.setFailure(failure);
      // The event's counter takes the key values of this moment: those of the failed attempt
      // (from the custom or default convention: a global convention cannot be looked up here).
      this.observation.lowCardinalityKeyValues(
          this.convention.getLowCardinalityKeyValues(this.context));
      this.observation.event(WebPubSubObservationDocumentation.Events.RETRY);
      this.context.setAttempts(retry + 1);
    }

    void answered(@Nullable WebPubSubResponse response) {
      if (this.stopped.compareAndSet(false, true)) {
        this.context.setStatusCode((response != null) ? response.statusCode() : 0);
        this.context.setNoAnswer(false);
        this.context.setFailure(null);
        if (response != null) {
          this.context.setResponse(response.headers());
        }
        this.observation.stop();
      }
    }

    void failed(Throwable error) {
      if (this.stopped.compareAndSet(false, true)) {
        this.context.setStatusCode(
            (error instanceof WebPubSubResponseException ex) ? ex.getStatusCode() : 0);
        this.context.setNoAnswer(error instanceof WebPubSubRequestException);
        this.context.setFailure(error);
        this.observation.error(error);
        this.observation.stop();
      }
    }

    void cancelled() {
      if (this.stopped.compareAndSet(false, true)) {
        this.context.setStatusCode(0);
        this.context.setNoAnswer(false);
        this.context.setFailure(null);
        this.observation.stop();
      }
    }
  }
}
