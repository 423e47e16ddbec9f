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
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.springframework.http.HttpHeaders;
import reactor.core.CoreSubscriber;
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
    return new ObservedMono(this, request);
  }

  private static Context context(WebPubSubRequest request, URI endpoint) {
    Map<String, String> targets = request.targets();
    byte[] body = request.body();
    return new Context(
        request.operation(),
        request.hub(),
        targets.get("group"),
        targets.get("userId"),
        targets.get("connectionId"),
        (body != null) ? body.length : -1,
        endpoint);
  }

  /**
   * One observed exchange: on subscription it starts the observation (child of the subscriber's
   * {@code ObservationThreadLocalAccessor.KEY}) and subscribes the {@link Recorder} to the
   * delegate's exchange. One operator instead of a {@code deferContextual}, three peeks and a
   * {@code contextWrite}: fewer objects per send.
   */
  private static final class ObservedMono extends Mono<WebPubSubResponse> {

    private final ObservedWebPubSubExchange owner;

    private final WebPubSubRequest request;

    ObservedMono(ObservedWebPubSubExchange owner, WebPubSubRequest request) {
      this.owner = owner;
      this.request = request;
    }

    @Override
    public void subscribe(CoreSubscriber<? super WebPubSubResponse> actual) {
      ObservedWebPubSubExchange owner = this.owner;
      Context context = context(this.request, owner.endpoint);
      Observation observation =
          WebPubSubObservationDocumentation.CLIENT_REQUESTS.observation(
              owner.convention,
              DefaultWebPubSubObservationConvention.INSTANCE,
              () -> context,
              owner.registry);
      if (observation.isNoop()) {
        owner.delegate.exchange(this.request).subscribe(actual);
        return;
      }
      Observation parent =
          actual.currentContext().getOrDefault(ObservationThreadLocalAccessor.KEY, null);
      if (parent != null) {
        observation.parentObservation(parent);
      }
      Recorder recorder =
          new Recorder(
              actual,
              observation,
              context,
              (owner.convention != null)
                  ? owner.convention
                  : DefaultWebPubSubObservationConvention.INSTANCE);
      context.recorder = recorder;
      observation.start();
      recorder.startedWith(context.headersIfCreated());
      owner.delegate.exchange(this.request).subscribe(recorder);
    }
  }

  /**
   * The context, with access to its outgoing headers without creating them; the exchange's retry
   * listener, found through the observation in the Reactor context (see {@link
   * RetryListener#of(reactor.util.context.ContextView)}), which then needs no entry of its own.
   */
  private static final class Context extends WebPubSubObservationContext implements RetryListener {

    private @Nullable Recorder recorder;

    Context(
        String operation,
        @Nullable String hub,
        @Nullable String group,
        @Nullable String userId,
        @Nullable String connectionId,
        long payloadBytes,
        URI endpoint) {
      super(operation, hub, group, userId, connectionId, payloadBytes, endpoint);
    }

    @Nullable HttpHeaders headersIfCreated() {
      return getCarrierIfCreated();
    }

    @Override
    public void retrying(int retry, @Nullable WebPubSubResponse response, Throwable failure) {
      Recorder recorder = this.recorder;
      if (recorder != null) {
        recorder.retrying(retry, response, failure);
      }
    }
  }

  @Override
  public String toString() {
    return "ObservedWebPubSubExchange[" + this.delegate + "]";
  }

  /**
   * Moves one observation through retries to its single stop, passing the exchange's signals on:
   * the answer (or an empty completion), the error or a cancellation stops it once.
   */
  private static final class Recorder implements CoreSubscriber<WebPubSubResponse>, Subscription {

    private static final AtomicIntegerFieldUpdater<Recorder> STOPPED =
        AtomicIntegerFieldUpdater.newUpdater(Recorder.class, "stopped");

    private final CoreSubscriber<? super WebPubSubResponse> actual;

    private final Observation observation;

    private final WebPubSubObservationContext context;

    private final ObservationConvention<WebPubSubObservationContext> convention;

    private reactor.util.context.Context subscriberContext;

    private @Nullable Subscription upstream;

    private volatile int stopped;

    Recorder(
        CoreSubscriber<? super WebPubSubResponse> actual,
        Observation observation,
        WebPubSubObservationContext context,
        ObservationConvention<WebPubSubObservationContext> convention) {
      this.actual = actual;
      this.observation = observation;
      this.context = context;
      this.convention = convention;
      this.subscriberContext = actual.currentContext();
    }

    /**
     * The context the exchange sees, once the observation has started (and a propagating handler
     * may have written headers): the observation as parent of the transport's own (its context
     * passes retries on to this recorder), and the headers to send.
     */
    void startedWith(@Nullable HttpHeaders propagation) {
      reactor.util.context.Context updated =
          this.subscriberContext.put(ObservationThreadLocalAccessor.KEY, this.observation);
      this.subscriberContext =
          (propagation != null && !propagation.isEmpty())
              ? updated.put(PropagationHeaders.KEY, propagation)
              : updated;
    }

    @Override
    public reactor.util.context.Context currentContext() {
      return this.subscriberContext;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
      this.upstream = subscription;
      this.actual.onSubscribe(this);
    }

    @Override
    public void onNext(WebPubSubResponse response) {
      answered(response);
      this.actual.onNext(response);
    }

    @Override
    public void onError(Throwable error) {
      failed(error);
      this.actual.onError(error);
    }

    @Override
    public void onComplete() {
      answered(null);
      this.actual.onComplete();
    }

    @Override
    public void request(long n) {
      Subscription upstream = this.upstream;
      if (upstream != null) {
        upstream.request(n);
      }
    }

    @Override
    public void cancel() {
      cancelled();
      Subscription upstream = this.upstream;
      if (upstream != null) {
        upstream.cancel();
      }
    }

    private boolean stop() {
      return STOPPED.compareAndSet(this, 0, 1);
    }

    /** A retry of the operation, passed on by its context (the exchange's retry listener). */
    void retrying(int retry, @Nullable WebPubSubResponse response, Throwable failure) {
      if (this.stopped != 0) {
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
      if (stop()) {
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
      if (stop()) {
        this.context.setStatusCode(
            (error instanceof WebPubSubResponseException ex) ? ex.getStatusCode() : 0);
        this.context.setNoAnswer(error instanceof WebPubSubRequestException);
        this.context.setFailure(error);
        this.observation.error(error);
        this.observation.stop();
      }
    }

    void cancelled() {
      if (stop()) {
        this.context.setStatusCode(0);
        this.context.setNoAnswer(false);
        this.context.setFailure(null);
        this.observation.stop();
      }
    }
  }
}
