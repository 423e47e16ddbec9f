package io.github.webpubsub.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.webpubsub.annotation.RecordingWebPubSubOperations.Send;
import io.github.webpubsub.autoconfigure.annotation.WebPubSubAnnotationsAutoConfiguration;
import io.github.webpubsub.core.SendOptions;
import io.github.webpubsub.core.WebPubSubException;
import io.github.webpubsub.core.WebPubSubResponseException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

@ExtendWith(OutputCaptureExtension.class)
class PublishingReturnTypesTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class, WebPubSubAnnotationsAutoConfiguration.class))
          .withBean(RecordingWebPubSubOperations.class)
          .withBean(ChatService.class);

  private final WebPubSubException serviceError =
      new WebPubSubResponseException(
          "sendToGroup failed with 500 InternalServerError", 500, "InternalError", null);

  @Test
  void plainValueIsPublishedBeforeTheMethodReturns() {
    this.runner.run(
        (context) -> {
          RecordingWebPubSubOperations recorder =
              context.getBean(RecordingWebPubSubOperations.class);
          String result = context.getBean(ChatService.class).plain("hello");
          assertThat(result).isEqualTo("hello");
          assertThat(recorder.sends())
              .containsExactly(
                  new Send("sendToGroup", "chat", "room", "hello", SendOptions.defaults()));
        });
  }

  @Test
  void objectIsPublishedAsItIsWithTheContentTypeLeftToInference() {
    this.runner.run(
        (context) -> {
          RecordingWebPubSubOperations recorder =
              context.getBean(RecordingWebPubSubOperations.class);
          ChatMessage message = context.getBean(ChatService.class).message("ann", "hi");
          Send send = recorder.sends().get(0);
          assertThat(send.message()).isSameAs(message);
          assertThat(send.options().getContentType()).isNull();
        });
  }

  @Test
  void optionalIsUnwrappedAndEmptyOptionalPublishesNothing() {
    this.runner.run(
        (context) -> {
          RecordingWebPubSubOperations recorder =
              context.getBean(RecordingWebPubSubOperations.class);
          ChatService service = context.getBean(ChatService.class);
          assertThat(service.optional(null)).isEmpty();
          assertThat(recorder.sends()).isEmpty();
          assertThat(service.optional("hi")).contains("hi");
          assertThat(recorder.sends()).extracting(Send::message).containsExactly("hi");
        });
  }

  @Test
  void nullResultAndVoidMethodPublishNothing() {
    this.runner.run(
        (context) -> {
          ChatService service = context.getBean(ChatService.class);
          assertThat(service.nothing()).isNull();
          service.voidMethod();
          assertThat(service.calls()).isEqualTo(2);
          assertThat(context.getBean(RecordingWebPubSubOperations.class).sends()).isEmpty();
        });
  }

  @Test
  void monoPublishesOnlyWhenSubscribed() {
    this.runner.run(
        (context) -> {
          RecordingWebPubSubOperations recorder =
              context.getBean(RecordingWebPubSubOperations.class);
          Mono<String> mono = context.getBean(ChatService.class).mono("hi");
          assertThat(recorder.sends()).isEmpty();
          StepVerifier.create(mono).expectNext("hi").verifyComplete();
          assertThat(recorder.sends()).extracting(Send::message).containsExactly("hi");
        });
  }

  @Test
  void monoEmitsItsValueOnlyAfterThePublishSucceeded() {
    this.runner.run(
        (context) -> {
          RecordingWebPubSubOperations recorder =
              context.getBean(RecordingWebPubSubOperations.class);
          recorder.hold();
          AtomicReference<String> received = new AtomicReference<>();
          context.getBean(ChatService.class).mono("hi").subscribe(received::set);
          assertThat(recorder.heldCount()).isOne();
          assertThat(received).hasNullValue();
          recorder.release();
          assertThat(received).hasValue("hi");
        });
  }

  @Test
  void monoFailsWhenThePublishFails() {
    this.runner.run(
        (context) -> {
          context
              .getBean(RecordingWebPubSubOperations.class)
              .failSendsTo("room", this.serviceError);
          StepVerifier.create(context.getBean(ChatService.class).mono("hi"))
              .expectErrorSatisfies((error) -> assertThat(error).isSameAs(this.serviceError))
              .verify();
        });
  }

  @Test
  void emptyMonoAndMonoOfVoidPublishNothing() {
    this.runner.run(
        (context) -> {
          ChatService service = context.getBean(ChatService.class);
          StepVerifier.create(service.emptyMono()).verifyComplete();
          StepVerifier.create(service.monoVoid()).verifyComplete();
          assertThat(service.calls()).isEqualTo(1);
          assertThat(context.getBean(RecordingWebPubSubOperations.class).sends()).isEmpty();
        });
  }

  @Test
  void fluxPublishesEachElementInOrderBeforePassingItOn() {
    this.runner.run(
        (context) -> {
          RecordingWebPubSubOperations recorder =
              context.getBean(RecordingWebPubSubOperations.class);
          recorder.hold();
          List<String> received = new CopyOnWriteArrayList<>();
          AtomicBoolean completed = new AtomicBoolean();
          context
              .getBean(ChatService.class)
              .flux("a", "b", "c")
              .subscribe(received::add, null, () -> completed.set(true));
          assertThat(recorder.sends()).extracting(Send::message).containsExactly("a");
          assertThat(received).isEmpty();
          recorder.release();
          assertThat(received).containsExactly("a");
          assertThat(recorder.sends()).extracting(Send::message).containsExactly("a", "b");
          recorder.release();
          recorder.release();
          assertThat(received).containsExactly("a", "b", "c");
          assertThat(completed).isTrue();
          assertThat(recorder.sends()).extracting(Send::message).containsExactly("a", "b", "c");
        });
  }

  @Test
  void fluxFailsAtTheElementWhosePublishFailed() {
    this.runner.run(
        (context) -> {
          RecordingWebPubSubOperations recorder =
              context.getBean(RecordingWebPubSubOperations.class);
          recorder.failSendsTo("b", this.serviceError);
          StepVerifier.create(context.getBean(ChatService.class).fluxToGroupOfEachElement())
              .expectNext("a")
              .expectErrorSatisfies((error) -> assertThat(error).isSameAs(this.serviceError))
              .verify();
          assertThat(recorder.sends()).extracting(Send::target).containsExactly("a", "b");
        });
  }

  @Test
  void completableFutureCompletesAfterThePublishSucceeded() {
    this.runner.run(
        (context) -> {
          RecordingWebPubSubOperations recorder =
              context.getBean(RecordingWebPubSubOperations.class);
          recorder.hold();
          CompletableFuture<String> source = new CompletableFuture<>();
          CompletableFuture<String> result = context.getBean(ChatService.class).future(source);
          assertThat(recorder.sends()).isEmpty();
          source.complete("hi");
          assertThat(recorder.sends()).extracting(Send::message).containsExactly("hi");
          assertThat(result).isNotDone();
          recorder.release();
          assertThat(result).isCompletedWithValue("hi");
        });
  }

  @Test
  void completableFutureFailsWhenThePublishFails() {
    this.runner.run(
        (context) -> {
          context
              .getBean(RecordingWebPubSubOperations.class)
              .failSendsTo("room", this.serviceError);
          CompletableFuture<String> result =
              context.getBean(ChatService.class).future(CompletableFuture.completedFuture("hi"));
          assertThatThrownBy(result::get)
              .isInstanceOf(ExecutionException.class)
              .cause()
              .isSameAs(this.serviceError);
        });
  }

  @Test
  void plainValueThrowsTheFailedPublishFromTheMethod() {
    this.runner.run(
        (context) -> {
          context
              .getBean(RecordingWebPubSubOperations.class)
              .failSendsTo("room", this.serviceError);
          assertThatThrownBy(() -> context.getBean(ChatService.class).plain("hi"))
              .isSameAs(this.serviceError);
        });
  }

  @Test
  void plainValueOnNonBlockingThreadFailsBeforeTheMethodRuns() {
    this.runner.run(
        (context) -> {
          ChatService service = context.getBean(ChatService.class);
          StepVerifier.create(
                  Mono.fromCallable(() -> service.plain("hi")).subscribeOn(Schedulers.parallel()))
              .expectErrorSatisfies(
                  (error) ->
                      assertThat(error)
                          .isInstanceOf(IllegalStateException.class)
                          .hasMessageContaining(
                              "@SendToGroup on PublishingReturnTypesTests.ChatService.plain(String)")
                          .hasMessageContaining("non-blocking thread 'parallel-")
                          .hasMessageContaining("return Mono or Flux"))
              .verify();
          assertThat(service.calls()).isEqualTo(0);
          assertThat(context.getBean(RecordingWebPubSubOperations.class).sends()).isEmpty();
        });
  }

  @Test
  void plainValueWaitsForThePublishAtMostTheBlockTimeout() {
    this.runner
        .withPropertyValues("webpubsub.annotations.block-timeout=200ms")
        .run(
            (context) -> {
              RecordingWebPubSubOperations recorder =
                  context.getBean(RecordingWebPubSubOperations.class);
              recorder.hold();
              assertThatThrownBy(() -> context.getBean(ChatService.class).plain("hi"))
                  .isInstanceOf(WebPubSubException.class)
                  .hasMessage(
                      "Publishing the result of PublishingReturnTypesTests.ChatService.plain(String)"
                          + " did not complete within PT0.2S"
                          + " (webpubsub.annotations.block-timeout)");
              recorder.release();
            });
  }

  @Test
  void failureModeLogReturnsThePlainValueAndLogsTheFailure(CapturedOutput output) {
    this.runner
        .withPropertyValues("webpubsub.annotations.failure-mode=log")
        .run(
            (context) -> {
              context
                  .getBean(RecordingWebPubSubOperations.class)
                  .failSendsTo("room", this.serviceError);
              assertThat(context.getBean(ChatService.class).plain("hi")).isEqualTo("hi");
              assertThat(output)
                  .contains(
                      "Publishing with @SendToGroup on"
                          + " PublishingReturnTypesTests.ChatService.plain(String) failed; the"
                          + " result is returned anyway (webpubsub.annotations.failure-mode=log)")
                  .contains("sendToGroup failed with 500 InternalServerError");
            });
  }

  @Test
  void failureModeLogLetsMonoAndFluxContinue(CapturedOutput output) {
    this.runner
        .withPropertyValues("webpubsub.annotations.failure-mode=log")
        .run(
            (context) -> {
              RecordingWebPubSubOperations recorder =
                  context.getBean(RecordingWebPubSubOperations.class);
              recorder.failSendsTo("room", this.serviceError);
              recorder.failSendsTo("b", this.serviceError);
              ChatService service = context.getBean(ChatService.class);
              StepVerifier.create(service.mono("hi")).expectNext("hi").verifyComplete();
              StepVerifier.create(service.fluxToGroupOfEachElement())
                  .expectNext("a", "b", "c")
                  .verifyComplete();
              assertThat(recorder.sends())
                  .extracting(Send::target)
                  .containsExactly("room", "a", "b", "c");
              assertThat(output)
                  .contains("Publishing with @SendToGroup on")
                  .contains("ChatService.fluxToGroupOfEachElement() failed");
            });
  }

  @Test
  void failureModeLogPublishesPlainValuesInTheBackgroundOnNonBlockingThreads() {
    this.runner
        .withPropertyValues("webpubsub.annotations.failure-mode=log")
        .run(
            (context) -> {
              ChatService service = context.getBean(ChatService.class);
              StepVerifier.create(
                      Mono.fromCallable(() -> service.plain("hi"))
                          .subscribeOn(Schedulers.parallel()))
                  .expectNext("hi")
                  .verifyComplete();
              await()
                  .atMost(Duration.ofSeconds(5))
                  .untilAsserted(
                      () ->
                          assertThat(context.getBean(RecordingWebPubSubOperations.class).sends())
                              .extracting(Send::message)
                              .containsExactly("hi"));
            });
  }

  record ChatMessage(String author, String text) {}

  static class ChatService {

    private final AtomicInteger calls = new AtomicInteger();

    public int calls() {
      return this.calls.get();
    }

    @SendToGroup("room")
    public String plain(String text) {
      this.calls.incrementAndGet();
      return text;
    }

    @SendToGroup("room")
    public ChatMessage message(String author, String text) {
      return new ChatMessage(author, text);
    }

    @SendToGroup("room")
    public Optional<String> optional(@Nullable String text) {
      return Optional.ofNullable(text);
    }

    @SendToGroup("room")
    public @Nullable String nothing() {
      this.calls.incrementAndGet();
      return null;
    }

    @SendToGroup("room")
    public void voidMethod() {
      this.calls.incrementAndGet();
    }

    @SendToGroup("room")
    public Mono<String> mono(String text) {
      return Mono.just(text);
    }

    @SendToGroup("room")
    public Mono<String> emptyMono() {
      return Mono.empty();
    }

    @SendToGroup("room")
    public Mono<Void> monoVoid() {
      return Mono.fromRunnable(this.calls::incrementAndGet);
    }

    @SendToGroup("room")
    public Flux<String> flux(String... texts) {
      return Flux.just(texts);
    }

    @SendToGroup("#{#result}")
    public Flux<String> fluxToGroupOfEachElement() {
      return Flux.just("a", "b", "c");
    }

    @SendToGroup("room")
    public CompletableFuture<String> future(CompletableFuture<String> source) {
      return source;
    }
  }
}
