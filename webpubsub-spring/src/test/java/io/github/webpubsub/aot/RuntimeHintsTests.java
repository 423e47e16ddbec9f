package io.github.webpubsub.aot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.annotation.internal.PublishExpressionRoot;
import io.github.webpubsub.eventhandler.WebPubSubConnectRequest;
import io.github.webpubsub.eventhandler.WebPubSubConnectedListener;
import io.github.webpubsub.eventhandler.WebPubSubConnectionContext;
import io.github.webpubsub.eventhandler.WebPubSubDisconnectedRequest;
import io.github.webpubsub.eventhandler.WebPubSubEventListener;
import io.github.webpubsub.eventhandler.WebPubSubInvocationListener;
import io.github.webpubsub.eventhandler.WebPubSubMqttConnectInfo;
import io.github.webpubsub.eventhandler.WebPubSubMqttDisconnectInfo;
import io.github.webpubsub.eventhandler.WebPubSubMqttDisconnectPacket;
import io.github.webpubsub.eventhandler.WebPubSubMqttUserProperty;
import java.security.Principal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;
import reactor.core.publisher.Mono;

/** What a native image needs from the library, as Spring's AOT processing collects it. */
class RuntimeHintsTests {

  private final RuntimeHints hints = new RuntimeHints();

  RuntimeHintsTests() {
    List<RuntimeHintsRegistrar> registrars =
        SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
            .load(RuntimeHintsRegistrar.class);
    List<RuntimeHintsRegistrar> ours =
        registrars.stream()
            .filter((registrar) -> registrar.getClass().getName().startsWith("io.github.webpubsub"))
            .toList();
    assertThat(ours).hasSize(2);
    ours.forEach((registrar) -> registrar.registerHints(this.hints, getClass().getClassLoader()));
  }

  @Test
  void eventBodiesThatJacksonBindsAreRegistered() {
    assertThat(RuntimeHintsPredicates.reflection().onType(WebPubSubConnectRequest.class))
        .accepts(this.hints);
    assertThat(RuntimeHintsPredicates.reflection().onType(WebPubSubDisconnectedRequest.class))
        .accepts(this.hints);
  }

  @Test
  void mqttMembersOfTheEventBodiesAreRegistered() {
    for (Class<?> type :
        List.of(
            WebPubSubMqttConnectInfo.class,
            WebPubSubMqttUserProperty.class,
            WebPubSubMqttDisconnectInfo.class,
            WebPubSubMqttDisconnectPacket.class)) {
      assertThat(RuntimeHintsPredicates.reflection().onType(type)).accepts(this.hints);
    }
  }

  @Test
  void invocationListenerMethodsAreInvocableAndTheirPayloadsBindable() {
    new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, Calculator.class);

    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Calculator.class, "add"))
        .accepts(this.hints);
    assertThat(RuntimeHintsPredicates.reflection().onType(Operands.class)).accepts(this.hints);
    assertThat(RuntimeHintsPredicates.reflection().onType(Result.class)).accepts(this.hints);
  }

  record Operands(int a, int b) {}

  record Result(int value) {}

  static class Calculator {

    @WebPubSubInvocationListener("add")
    Mono<Result> add(Operands operands) {
      return Mono.just(new Result(operands.a() + operands.b()));
    }
  }

  @Test
  void publishingExpressionRootIsReadableBySpel() {
    assertThat(
            RuntimeHintsPredicates.reflection()
                .onType(PublishExpressionRoot.class)
                .withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS))
        .accepts(this.hints);
  }

  @Test
  void listenerMethodsAreInvocableAndTheirPayloadsBindable() {
    new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, Listeners.class);

    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "message"))
        .accepts(this.hints);
    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "connected"))
        .accepts(this.hints);
    assertThat(RuntimeHintsPredicates.reflection().onType(Move.class)).accepts(this.hints);
    assertThat(RuntimeHintsPredicates.reflection().onType(Verdict.class)).accepts(this.hints);
    assertThat(RuntimeHintsPredicates.reflection().onType(Unused.class)).rejects(this.hints);
  }

  record Move(String from, String to) {}

  record Verdict(boolean legal) {}

  record Unused(String nothing) {}

  static class Listeners {

    @WebPubSubEventListener("move")
    Mono<Verdict> message(Move move, WebPubSubConnectionContext context, Principal caller) {
      return Mono.just(new Verdict(true));
    }

    @WebPubSubConnectedListener
    void connected(WebPubSubConnectionContext context) {}
  }
}
