package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.core.WebPubSubRequestException;
import io.github.webpubsub.core.WebPubSubResponseException;
import io.github.webpubsub.core.observation.DefaultWebPubSubObservationConvention;
import io.github.webpubsub.core.observation.WebPubSubObservationContext;
import io.github.webpubsub.core.observation.WebPubSubObservationConvention;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * One observation per operation around a delegate exchange: what it records for an answer, an
 * error, a cancellation and each retry, and what the delegate sees in its Reactor context.
 */
class ObservedWebPubSubExchangeTests {

  static final URI ENDPOINT = URI.create("https://contoso.example:8443");

  final TestObservationRegistry registry = TestObservationRegistry.create();

  /** The delegate's view of the context of the last exchange. */
  final AtomicReference<@Nullable ContextView> seen = new AtomicReference<>();

  static WebPubSubRequest sendToGroup() {
    return WebPubSubRequest.of("sendToGroup", "chat", HttpMethod.POST)
        .path("/api/hubs/chat/groups/")
        .target("group", "g1")
        .body("hello".getBytes(StandardCharsets.UTF_8), "text/plain")
        .send()
        .build();
  }

  static WebPubSubResponse answer(int status, String... headerPairs) {
    HttpHeaders headers = new HttpHeaders();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    return new WebPubSubResponse(status, headers, new byte[0]);
  }

  /** A delegate that records its context and answers with the given mono. */
  WebPubSubExchange delegate(Mono<WebPubSubResponse> result) {
    return request ->
        Mono.deferContextual(
            context -> {
              this.seen.set(context);
              return result;
            });
  }

  ObservedWebPubSubExchange observed(
      WebPubSubExchange delegate, @Nullable WebPubSubObservationConvention convention) {
    return new ObservedWebPubSubExchange(delegate, this.registry, convention, ENDPOINT);
  }

  WebPubSubObservationContext onlyContext() {
    List<Observation.Context> contexts = new ArrayList<>();
    TestObservationRegistryAssert.assertThat(this.registry)
        .hasNumberOfObservationsEqualTo(1)
        .hasSingleObservationThat()
        .satisfies(observation -> contexts.add((Observation.Context) observation));
    return (WebPubSubObservationContext) contexts.get(0);
  }

  @Test
  void aNoopRegistryLeavesTheExchangeAsItIs() {
    Mono<WebPubSubResponse> answer = Mono.just(answer(202));
    ObservedWebPubSubExchange observed =
        new ObservedWebPubSubExchange(request -> answer, ObservationRegistry.NOOP, null, ENDPOINT);

    assertThat(observed.exchange(sendToGroup())).isSameAs(answer);
  }

  @Test
  void anAnswerIsOneStoppedObservationWithTheRequestsDetailsAndTheStatus() {
    WebPubSubResponse response = answer(202, "x-ms-request-id", "r-1");

    StepVerifier.create(observed(delegate(Mono.just(response)), null).exchange(sendToGroup()))
        .expectNext(response)
        .expectComplete()
        .verify(Duration.ofSeconds(5));

    TestObservationRegistryAssert.assertThat(this.registry)
        .hasSingleObservationThat()
        .hasNameEqualTo(DefaultWebPubSubObservationConvention.NAME)
        .hasContextualNameEqualTo("webpubsub sendToGroup")
        .hasBeenStarted()
        .hasBeenStopped()
        .doesNotHaveError()
        .hasLowCardinalityKeyValue("webpubsub.hub", "chat")
        .hasLowCardinalityKeyValue("status", "202")
        .hasLowCardinalityKeyValue("outcome", "SUCCESS")
        .hasLowCardinalityKeyValue("server.address", "contoso.example")
        .hasLowCardinalityKeyValue("server.port", "8443")
        .hasHighCardinalityKeyValue("webpubsub.group", "g1")
        .hasHighCardinalityKeyValue("webpubsub.attempts", "1");
    WebPubSubObservationContext context = onlyContext();
    assertThat(context.getOperation()).isEqualTo("sendToGroup");
    assertThat(context.getHub()).isEqualTo("chat");
    assertThat(context.getGroup()).isEqualTo("g1");
    assertThat(context.getUserId()).isNull();
    assertThat(context.getConnectionId()).isNull();
    assertThat(context.hasPayload()).isTrue();
    assertThat(context.getPayloadBytes()).isEqualTo(5);
    assertThat(context.getEndpoint()).isEqualTo(ENDPOINT);
    assertThat(context.getStatusCode()).isEqualTo(202);
    assertThat(context.isNoAnswer()).isFalse();
    assertThat(context.getFailure()).isNull();
    assertThat(context.getResponse()).isSameAs(response.headers());
  }

  @Test
  void aRequestWithoutBodyHasNoPayloadAndItsUserAndConnectionAreRecorded() {
    WebPubSubRequest request =
        WebPubSubRequest.of("removeUserFromGroup", "chat", HttpMethod.DELETE)
            .path("/api/hubs/chat/users/")
            .target("userId", "u1")
            .path("/connections/")
            .target("connectionId", "c1")
            .build();

    observed(delegate(Mono.just(answer(200))), null).exchange(request).block(Duration.ofSeconds(5));

    WebPubSubObservationContext context = onlyContext();
    assertThat(context.hasPayload()).isFalse();
    assertThat(context.getPayloadBytes()).isZero();
    assertThat(context.getUserId()).isEqualTo("u1");
    assertThat(context.getConnectionId()).isEqualTo("c1");
  }

  @Test
  void anEmptyCompletionStopsTheObservationWithoutStatus() {
    StepVerifier.create(observed(delegate(Mono.empty()), null).exchange(sendToGroup()))
        .expectComplete()
        .verify(Duration.ofSeconds(5));

    TestObservationRegistryAssert.assertThat(this.registry)
        .hasSingleObservationThat()
        .hasBeenStopped()
        .doesNotHaveError();
    WebPubSubObservationContext context = onlyContext();
    assertThat(context.getStatusCode()).isZero();
    assertThat(context.getResponse()).isNull();
  }

  @Test
  void anErrorAnswerIsRecordedWithItsStatus() {
    WebPubSubResponseException error =
        new WebPubSubResponseException(
            "sendToGroup failed with status 403", 403, "Forbidden", null);

    StepVerifier.create(observed(delegate(Mono.error(error)), null).exchange(sendToGroup()))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(error))
        .verify(Duration.ofSeconds(1));

    TestObservationRegistryAssert.assertThat(this.registry)
        .hasSingleObservationThat()
        .hasBeenStopped()
        .hasError(error)
        .hasLowCardinalityKeyValue("status", "403")
        .hasLowCardinalityKeyValue("outcome", "CLIENT_ERROR");
    WebPubSubObservationContext context = onlyContext();
    assertThat(context.getStatusCode()).isEqualTo(403);
    assertThat(context.isNoAnswer()).isFalse();
    assertThat(context.getFailure()).isSameAs(error);
  }

  @Test
  void aFailureWithoutAnswerIsRecordedAsNoAnswer() {
    WebPubSubRequestException error = new WebPubSubRequestException("could not reach", null);

    StepVerifier.create(observed(delegate(Mono.error(error)), null).exchange(sendToGroup()))
        .expectError(WebPubSubRequestException.class)
        .verify(Duration.ofSeconds(1));

    WebPubSubObservationContext context = onlyContext();
    assertThat(context.getStatusCode()).isZero();
    assertThat(context.isNoAnswer()).isTrue();
    assertThat(context.getFailure()).isSameAs(error);
    TestObservationRegistryAssert.assertThat(this.registry)
        .hasSingleObservationThat()
        .hasLowCardinalityKeyValue("status", "IO_ERROR");
  }

  @Test
  void aCancellationStopsTheObservationOnceAndCancelsTheDelegate() {
    PublisherProbe<WebPubSubResponse> probe = PublisherProbe.of(Mono.never());

    StepVerifier.create(observed(delegate(probe.mono()), null).exchange(sendToGroup()))
        .expectSubscription()
        .thenCancel()
        .verify(Duration.ofSeconds(1));

    probe.assertWasCancelled();
    TestObservationRegistryAssert.assertThat(this.registry)
        .hasSingleObservationThat()
        .hasBeenStopped()
        .doesNotHaveError();
    WebPubSubObservationContext context = onlyContext();
    assertThat(context.getStatusCode()).isZero();
    assertThat(context.isNoAnswer()).isFalse();
    assertThat(context.getFailure()).isNull();
  }

  @Test
  void demandIsPassedToTheDelegate() {
    PublisherProbe<WebPubSubResponse> probe = PublisherProbe.of(Mono.just(answer(202)));

    StepVerifier.create(observed(delegate(probe.mono()), null).exchange(sendToGroup()), 0)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(10))
        .thenRequest(1)
        .expectNextCount(1)
        .expectComplete()
        .verify(Duration.ofSeconds(5));

    probe.assertWasRequested();
  }

  @Test
  void theDelegateSeesTheObservationAsParentAndARetryListener() {
    observed(delegate(Mono.just(answer(202))), null)
        .exchange(sendToGroup())
        .block(Duration.ofSeconds(5));

    ContextView context = this.seen.get();
    assertThat(context).isNotNull();
    Observation observation = context.get(ObservationThreadLocalAccessor.KEY);
    assertThat(observation.getContext()).isSameAs(onlyContext());
    assertThat(RetryListener.of(context)).isSameAs(onlyContext());
    assertThat(context.size())
        .as("one entry: the observation, whose context is the retry listener")
        .isOne();
    assertThat(context.hasKey(PropagationHeaders.KEY))
        .as("no handler wrote headers: none are sent")
        .isFalse();
  }

  @Test
  void headersAPropagatingHandlerWroteAreHandedToTheDelegate() {
    this.registry.observationConfig().observationHandler(new TraceWriter());

    observed(delegate(Mono.just(answer(202))), null)
        .exchange(sendToGroup())
        .block(Duration.ofSeconds(5));

    HttpHeaders sent = this.seen.get().get(PropagationHeaders.KEY);
    assertThat(sent.toSingleValueMap())
        .containsExactlyEntriesOf(java.util.Map.of("traceparent", "00-abc-def-01"));
  }

  @Test
  void headersAskedForButLeftEmptyAreNotHandedOn() {
    this.registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<WebPubSubObservationContext>() {
              @Override
              public void onStart(WebPubSubObservationContext context) {
                context.getCarrier();
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return context instanceof WebPubSubObservationContext;
              }
            });

    observed(delegate(Mono.just(answer(202))), null)
        .exchange(sendToGroup())
        .block(Duration.ofSeconds(5));

    assertThat(this.seen.get().hasKey(PropagationHeaders.KEY)).isFalse();
  }

  /** Writes a trace header into the operation's carrier, as Micrometer Tracing's sender does. */
  static final class TraceWriter implements ObservationHandler<WebPubSubObservationContext> {
    @Override
    public void onStart(WebPubSubObservationContext context) {
      context.getCarrier().set("traceparent", "00-abc-def-01");
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return context instanceof WebPubSubObservationContext;
    }
  }

  @Test
  void aParentObservationInTheSubscribersContextBecomesTheParent() {
    Observation parent = Observation.start("parent", this.registry);

    observed(delegate(Mono.just(answer(202))), null)
        .exchange(sendToGroup())
        .contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, parent))
        .block(Duration.ofSeconds(5));
    parent.stop();

    Observation child = this.seen.get().get(ObservationThreadLocalAccessor.KEY);
    assertThat(child.getContext().getParentObservation()).isSameAs(parent);
  }

  @Test
  void eachRetryIsAnEventWithTheFailedAttemptsKeyValuesAndCountsTheAttempts() {
    List<String> retryStatuses = new ArrayList<>();
    this.registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<WebPubSubObservationContext>() {
              @Override
              public void onEvent(Observation.Event event, WebPubSubObservationContext context) {
                retryStatuses.add(
                    event.getName()
                        + " "
                        + context.getLowCardinalityKeyValue("status").getValue()
                        + " attempts="
                        + context.getAttempts()
                        + " noAnswer="
                        + context.isNoAnswer());
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return context instanceof WebPubSubObservationContext;
              }
            });
    WebPubSubExchange retrying =
        request ->
            Mono.deferContextual(
                context -> {
                  RetryListener listener = RetryListener.of(context);
                  WebPubSubResponseException failed =
                      new WebPubSubResponseException("503", 503, null, null);
                  listener.retrying(1, answer(503), failed);
                  listener.retrying(2, null, new WebPubSubRequestException("no answer", null));
                  return Mono.just(answer(202));
                });

    observed(retrying, null).exchange(sendToGroup()).block(Duration.ofSeconds(5));

    assertThat(retryStatuses)
        .containsExactly(
            "retry 503 attempts=1 noAnswer=false", "retry IO_ERROR attempts=2 noAnswer=true");
    WebPubSubObservationContext context = onlyContext();
    assertThat(context.getAttempts()).isEqualTo(3);
    assertThat(context.getStatusCode()).isEqualTo(202);
    assertThat(context.isNoAnswer()).isFalse();
    assertThat(context.getFailure()).isNull();
  }

  @Test
  void aRetryAfterTheObservationStoppedChangesNothing() {
    AtomicReference<@Nullable RetryListener> listener = new AtomicReference<>();
    WebPubSubExchange keepsListener =
        request ->
            Mono.deferContextual(
                context -> {
                  listener.set(RetryListener.of(context));
                  return Mono.just(answer(202));
                });
    observed(keepsListener, null).exchange(sendToGroup()).block(Duration.ofSeconds(5));

    listener.get().retrying(1, answer(503), new WebPubSubRequestException("late", null));

    WebPubSubObservationContext context = onlyContext();
    assertThat(context.getAttempts()).isEqualTo(1);
    assertThat(context.getStatusCode()).isEqualTo(202);
    assertThat(context.getFailure()).isNull();
    TestObservationRegistryAssert.assertThat(this.registry)
        .hasSingleObservationThat()
        .hasLowCardinalityKeyValue("status", "202");
  }

  @Test
  void aConventionReplacesTheDefaultForTheObservationAndItsRetryEvents() {
    List<String> eventStatuses = new ArrayList<>();
    this.registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<WebPubSubObservationContext>() {
              @Override
              public void onEvent(Observation.Event event, WebPubSubObservationContext context) {
                eventStatuses.add(context.getLowCardinalityKeyValue("custom.status").getValue());
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return context instanceof WebPubSubObservationContext;
              }
            });
    WebPubSubObservationConvention convention =
        new WebPubSubObservationConvention() {
          @Override
          public String getName() {
            return "custom.requests";
          }

          @Override
          public KeyValues getLowCardinalityKeyValues(WebPubSubObservationContext context) {
            return KeyValues.of(
                KeyValue.of("custom.hub", String.valueOf(context.getHub())),
                KeyValue.of("custom.status", Integer.toString(context.getStatusCode())));
          }
        };
    WebPubSubExchange retrying =
        request ->
            Mono.deferContextual(
                context -> {
                  RetryListener.of(context)
                      .retrying(1, answer(503), new WebPubSubRequestException("x", null));
                  return Mono.just(answer(202));
                });

    observed(retrying, convention).exchange(sendToGroup()).block(Duration.ofSeconds(5));

    TestObservationRegistryAssert.assertThat(this.registry)
        .hasSingleObservationThat()
        .hasNameEqualTo("custom.requests")
        .hasLowCardinalityKeyValue("custom.hub", "chat")
        .hasLowCardinalityKeyValue("custom.status", "202");
    assertThat(eventStatuses)
        .as("the failed attempt's, by the custom convention")
        .containsExactly("503");
  }

  @Test
  void aCancellationAfterARetryRecordsNeitherTheFailedAttemptsStatusNorItsFailure() {
    WebPubSubExchange retryingThenHanging =
        request ->
            Mono.deferContextual(
                context -> {
                  RetryListener.of(context)
                      .retrying(1, answer(503), new WebPubSubRequestException("no answer", null));
                  return Mono.never();
                });

    StepVerifier.create(observed(retryingThenHanging, null).exchange(sendToGroup()))
        .expectSubscription()
        .thenCancel()
        .verify(Duration.ofSeconds(5));

    WebPubSubObservationContext context = onlyContext();
    assertThat(context.getStatusCode()).isZero();
    assertThat(context.isNoAnswer()).isFalse();
    assertThat(context.getFailure()).isNull();
    assertThat(context.getAttempts()).isEqualTo(2);
    TestObservationRegistryAssert.assertThat(this.registry)
        .hasSingleObservationThat()
        .hasBeenStopped()
        .hasLowCardinalityKeyValue("status", "NONE")
        .hasLowCardinalityKeyValue("exception", "none");
  }

  @Test
  void anObservationDisabledByAPredicateLeavesTheDelegateSubscribedDirectly() {
    this.registry.observationConfig().observationPredicate((name, context) -> false);

    StepVerifier.create(observed(delegate(Mono.just(answer(202))), null).exchange(sendToGroup()))
        .expectNextCount(1)
        .expectComplete()
        .verify(Duration.ofSeconds(5));

    TestObservationRegistryAssert.assertThat(this.registry).doesNotHaveAnyObservation();
    assertThat(RetryListener.of(this.seen.get())).isNull();
  }

  @Test
  void toStringNamesTheDelegate() {
    WebPubSubExchange delegate =
        new WebPubSubExchange() {
          @Override
          public Mono<WebPubSubResponse> exchange(WebPubSubRequest request) {
            return Mono.empty();
          }

          @Override
          public String toString() {
            return "Delegate";
          }
        };
    assertThat(observed(delegate, null)).hasToString("ObservedWebPubSubExchange[Delegate]");
  }
}
