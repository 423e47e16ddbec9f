package io.github.webpubsub.eventhandler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.eventhandler.WebPubSubConnectionContext;
import io.github.webpubsub.eventhandler.WebPubSubEvent;
import io.github.webpubsub.eventhandler.WebPubSubEventRejectedException;
import io.github.webpubsub.eventhandler.WebPubSubEventType;
import io.github.webpubsub.eventhandler.observation.WebPubSubEventHandlerObservationContext;
import io.github.webpubsub.eventhandler.observation.WebPubSubEventHandlerObservationConvention;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The core on its own, with no web stack: the request is a plain object. */
class EventHandlerCoreTests {

  private static final String KEY = "core-test-access-key";

  private static final String CONNECTION_ID = "conn1";

  private final List<Object> published = new ArrayList<>();

  private final ListenerRegistry registry = new ListenerRegistry();

  private EventHandlerCore core(List<String> keys) {
    return core(keys, ObservationRegistry.NOOP, null);
  }

  private EventHandlerCore core(
      List<String> keys,
      ObservationRegistry observationRegistry,
      @Nullable WebPubSubEventHandlerObservationConvention convention) {
    return new EventHandlerCore(
        this.registry,
        () -> keys,
        () -> URI.create("http://localhost:8080"),
        List.of(),
        List.of(),
        16,
        JsonMapper.builder().build(),
        this.published::add,
        () -> observationRegistry,
        convention);
  }

  @Test
  void withoutAccessKeysEveryEventIsAnswered401() {
    StepVerifier.create(core(List.of()).handle(post("azure.webpubsub.sys.connected", "{}")))
        .assertNext(response -> assertThat(response.status()).isEqualTo(401))
        .verifyComplete();
    assertThat(this.published).isEmpty();
  }

  @Test
  void newerWebPubSubEventTypesAreAcceptedWithoutDispatch() {
    StepVerifier.create(core(List.of(KEY)).handle(post("azure.webpubsub.sys.future", "{}")))
        .assertNext(response -> assertThat(response.status()).isEqualTo(204))
        .verifyComplete();
    assertThat(this.published).isEmpty();
  }

  @Test
  void foreignCloudEventTypesAreAnswered400() {
    StepVerifier.create(core(List.of(KEY)).handle(post("com.example.order", "{}")))
        .assertNext(
            response -> {
              assertThat(response.status()).isEqualTo(400);
              assertThat(new String(response.body(), StandardCharsets.UTF_8))
                  .isEqualTo("ce-type 'com.example.order' is not a Web PubSub event");
            })
        .verifyComplete();
  }

  @Test
  void bodyLimitAppliesBeforeTheListenerRuns() {
    StepVerifier.create(
            core(List.of(KEY)).handle(post("azure.webpubsub.user.message", "x".repeat(17))))
        .assertNext(response -> assertThat(response.status()).isEqualTo(413))
        .verifyComplete();
  }

  @Test
  void rejectionFromAUserEventListenerIsAnsweredWithItsStatusAndReason() throws Exception {
    this.registry.register(
        new ListenerMethod(
            WebPubSubEventType.USER,
            "message",
            "",
            () -> new TestListeners(),
            TestListeners.class.getDeclaredMethod("handle", WebPubSubConnectionContext.class)));
    StepVerifier.create(core(List.of(KEY)).handle(post("azure.webpubsub.user.message", "hi")))
        .assertNext(
            response -> {
              assertThat(response.status()).isEqualTo(403);
              assertThat(new String(response.body(), StandardCharsets.UTF_8))
                  .isEqualTo("not in hub chat");
            })
        .verifyComplete();
    assertThat(this.published).isEmpty();
  }

  @Test
  void customObservationConventionNamesAndTagsTheObservation() {
    List<Observation.Context> stopped = new ArrayList<>();
    ObservationRegistry observationRegistry = ObservationRegistry.create();
    observationRegistry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<>() {
              @Override
              public void onStop(Observation.Context context) {
                stopped.add(context);
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }
            });
    WebPubSubEventHandlerObservationConvention convention =
        new WebPubSubEventHandlerObservationConvention() {
          @Override
          public String getName() {
            return "chat.upstream";
          }

          @Override
          public KeyValues getLowCardinalityKeyValues(
              WebPubSubEventHandlerObservationContext context) {
            return KeyValues.of("kind", context.getEventType() + "/" + context.getStatus());
          }
        };
    StepVerifier.create(
            core(List.of(KEY), observationRegistry, convention)
                .handle(post("azure.webpubsub.sys.connected", "{}")))
        .expectNextCount(1)
        .verifyComplete();
    assertThat(stopped)
        .singleElement()
        .satisfies(
            context -> {
              assertThat(context.getName()).isEqualTo("chat.upstream");
              assertThat(context.getLowCardinalityKeyValues())
                  .containsExactly(KeyValue.of("kind", "connected/204"));
            });
  }

  @Test
  void withoutEventNameHeaderADottedUserEventNameIsTakenFromTheType() throws Exception {
    this.registry.register(
        new ListenerMethod(
            WebPubSubEventType.USER,
            "chat.v2",
            "",
            () -> new TestListeners(),
            TestListeners.class.getDeclaredMethod("name", WebPubSubConnectionContext.class)));
    EventHandlerRequest request = post("azure.webpubsub.user.chat.v2", "hi");
    request.headers().remove("ce-eventName");
    StepVerifier.create(core(List.of(KEY)).handle(request))
        .assertNext(
            response ->
                assertThat(new String(response.body(), StandardCharsets.UTF_8))
                    .isEqualTo("chat.v2"))
        .verifyComplete();
  }

  private final List<WebPubSubEventHandlerObservationContext> stopped = new ArrayList<>();

  private final List<Throwable> observedErrors = new ArrayList<>();

  private ObservationRegistry recordingRegistry() {
    ObservationRegistry observationRegistry = ObservationRegistry.create();
    observationRegistry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<WebPubSubEventHandlerObservationContext>() {
              @Override
              public void onError(WebPubSubEventHandlerObservationContext context) {
                EventHandlerCoreTests.this.observedErrors.add(context.getError());
              }

              @Override
              public void onStop(WebPubSubEventHandlerObservationContext context) {
                EventHandlerCoreTests.this.stopped.add(context);
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return context instanceof WebPubSubEventHandlerObservationContext;
              }
            });
    return observationRegistry;
  }

  @Test
  void theObservationNamesTheHubAndRecordsWhatTheConnectListenerDidWrong() throws Exception {
    this.registry.register(
        new ListenerMethod(
            WebPubSubEventType.CONNECT,
            "",
            "",
            () -> new TestListeners(),
            TestListeners.class.getDeclaredMethod("wrongAnswer")));
    EventHandlerCore core = core(List.of(KEY), recordingRegistry(), null);

    StepVerifier.create(core.handle(post("azure.webpubsub.sys.connect", "{}")))
        .assertNext(response -> assertThat(response.status()).isEqualTo(500))
        .verifyComplete();

    assertThat(this.stopped)
        .singleElement()
        .satisfies(
            context -> {
              assertThat(context.getEventType()).isEqualTo("connect");
              assertThat(context.getHub()).isEqualTo("chat");
              assertThat(context.getStatus()).isEqualTo(500);
            });
    assertThat(this.observedErrors).hasSize(1);
    assertThat(this.observedErrors.get(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Connect listener EventHandlerCoreTests.TestListeners.wrongAnswer answered"
                + " java.lang.String; expected WebPubSubConnectResponse");
  }

  @Test
  void aRequestCancelledWhileTheListenerRunsIsStillObservedWithItsEventAndHub() throws Exception {
    this.registry.register(
        new ListenerMethod(
            WebPubSubEventType.USER,
            "message",
            "",
            () -> new TestListeners(),
            TestListeners.class.getDeclaredMethod("never")));
    EventHandlerCore core = core(List.of(KEY), recordingRegistry(), null);

    core.handle(post("azure.webpubsub.user.message", "hi")).subscribe().dispose();

    assertThat(this.stopped)
        .singleElement()
        .satisfies(
            context -> {
              assertThat(context.getEventType()).isEqualTo("user");
              assertThat(context.getHub()).isEqualTo("chat");
              assertThat(context.getStatus()).isZero();
            });
    assertThat(this.observedErrors).isEmpty();
  }

  static class TestListeners {

    Object wrongAnswer() {
      return "yes";
    }

    Mono<String> never() {
      return Mono.never();
    }

    String name(WebPubSubConnectionContext context) {
      return context.getEventName();
    }

    Mono<String> handle(WebPubSubConnectionContext context) {
      return Mono.error(
          WebPubSubEventRejectedException.forbidden("not in hub " + context.getHub()));
    }
  }

  @Test
  void repeatedCeHeaderIsAnswered400BeforeAnythingRuns() {
    EventHandlerRequest request = post("azure.webpubsub.sys.connected", "{}");
    request.headers().add("ce-userId", "eve");
    request.headers().add("ce-userId", "admin");

    StepVerifier.create(core(List.of(KEY)).handle(request))
        .assertNext(
            response -> {
              assertThat(response.status()).isEqualTo(400);
              assertThat(new String(response.body(), StandardCharsets.UTF_8))
                  .isEqualTo(
                      "Header ce-userId appears more than once; CloudEvents attributes have one"
                          + " value");
            })
        .verifyComplete();
    assertThat(this.published).isEmpty();
  }

  @Test
  void percentEncodedUserIdsArriveAsIssued() {
    EventHandlerRequest first = post("azure.webpubsub.sys.connected", "{}");
    first.headers().set("ce-userId", "%E6%9D%8E%E9%9B%B7");
    EventHandlerRequest second = post("azure.webpubsub.sys.connected", "{}");
    second.headers().set("ce-userId", "eve%0D%0Ace-connectionState:%20x");

    EventHandlerCore core = core(List.of(KEY));
    StepVerifier.create(core.handle(first).then(core.handle(second)))
        .assertNext(response -> assertThat(response.status()).isEqualTo(204))
        .verifyComplete();
    assertThat(this.published)
        .extracting(event -> ((WebPubSubEvent) event).getContext().getUserId())
        .containsExactly("李雷", "eve\r\nce-connectionState: x");
  }

  @Test
  void listenerTakesTheSignedCallerAsAPrincipal() throws Exception {
    this.registry.register(
        new ListenerMethod(
            WebPubSubEventType.USER,
            "message",
            "",
            PrincipalListener::new,
            PrincipalListener.class.getDeclaredMethod(
                "handle", java.security.Principal.class, String.class)));
    EventHandlerRequest signedIn = post("azure.webpubsub.user.message", "hi");
    signedIn.headers().set("ce-userId", "%E6%9D%8E%E9%9B%B7");
    EventHandlerRequest anonymous = post("azure.webpubsub.user.message", "hi");

    EventHandlerCore core = core(List.of(KEY));
    StepVerifier.create(core.handle(signedIn).concatWith(core.handle(anonymous)))
        .assertNext(
            response ->
                assertThat(new String(response.body(), StandardCharsets.UTF_8))
                    .isEqualTo("李雷 says hi"))
        .assertNext(
            response ->
                assertThat(new String(response.body(), StandardCharsets.UTF_8))
                    .isEqualTo("anonymous says hi"))
        .verifyComplete();
  }

  static class PrincipalListener {

    String handle(java.security.@Nullable Principal caller, String text) {
      return ((caller != null) ? caller.getName() : "anonymous") + " says " + text;
    }
  }

  @Test
  void malformedPercentEncodingIsAnswered400() {
    EventHandlerRequest request = post("azure.webpubsub.sys.connected", "{}");
    request.headers().set("ce-userId", "bad%zz");

    StepVerifier.create(core(List.of(KEY)).handle(request))
        .assertNext(
            response -> {
              assertThat(response.status()).isEqualTo(400);
              assertThat(new String(response.body(), StandardCharsets.UTF_8))
                  .isEqualTo(
                      "Header ce-userId is not percent-encoded UTF-8 (CloudEvents HTTP binding)");
            })
        .verifyComplete();
  }

  private static EventHandlerRequest post(String ceType, String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.set("ce-type", ceType);
    headers.set("ce-hub", "chat");
    headers.set("ce-connectionId", CONNECTION_ID);
    headers.set("ce-eventName", ceType.substring(ceType.lastIndexOf('.') + 1));
    headers.set("ce-signature", SignatureValidator.signature(KEY, CONNECTION_ID));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return new EventHandlerRequest() {
      @Override
      public String method() {
        return "POST";
      }

      @Override
      public HttpHeaders headers() {
        return headers;
      }

      @Override
      public Mono<byte[]> body(int maxBytes) {
        return (bytes.length > maxBytes)
            ? Mono.error(new PayloadTooLargeException(maxBytes))
            : Mono.just(bytes);
      }
    };
  }
}
