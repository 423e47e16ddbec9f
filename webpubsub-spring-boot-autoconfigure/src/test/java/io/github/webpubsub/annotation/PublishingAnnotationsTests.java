package io.github.webpubsub.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.annotation.RecordingWebPubSubOperations.Send;
import io.github.webpubsub.autoconfigure.annotation.WebPubSubAnnotationsAutoConfiguration;
import io.github.webpubsub.core.WebPubSubContentType;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.AliasFor;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Which annotations a method gets: repeated, composed, inherited and class-level ones. */
class PublishingAnnotationsTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class, WebPubSubAnnotationsAutoConfiguration.class))
          .withBean(RecordingWebPubSubOperations.class);

  @Test
  void repeatedAnnotationsPublishToEachInOrder() {
    assertSends(
        MultiService.class,
        MultiService::repeated,
        List.of("sendToGroup:first", "sendToGroup:second", "sendToGroup:third"));
  }

  @Test
  void differentAnnotationsPublishInDeclarationOrder() {
    assertSends(
        MultiService.class,
        MultiService::mixed,
        List.of("sendToUser:ann", "sendToAll:null", "sendToConnection:conn-1"));
  }

  @Test
  void explicitContainerIsExpanded() {
    assertSends(
        MultiService.class, MultiService::container, List.of("sendToGroup:x", "sendToGroup:y"));
  }

  @Test
  void monoIsPublishedToEveryAnnotationBeforeItCompletes() {
    this.runner
        .withBean(MultiService.class)
        .run(
            (context) -> {
              StepVerifier.create(context.getBean(MultiService.class).reactive())
                  .expectNext("hi")
                  .verifyComplete();
              assertThat(targets(context)).containsExactly("sendToGroup:a", "sendToUser:b");
            });
  }

  @Test
  void composedAnnotationOverridesTheMetaAnnotationThroughAliasFor() {
    this.runner
        .withBean(ComposedService.class)
        .run(
            (context) -> {
              context.getBean(ComposedService.class).score("42");
              List<Send> sends = context.getBean(RecordingWebPubSubOperations.class).sends();
              assertThat(sends)
                  .singleElement()
                  .satisfies(
                      (send) -> {
                        assertThat(send.hub()).isEqualTo("games");
                        assertThat(send.target()).isEqualTo("game-42");
                        assertThat(send.options().getContentType())
                            .isEqualTo(WebPubSubContentType.JSON);
                      });
            });
  }

  @Test
  void composedAnnotationCanCarrySeveralTargets() {
    assertSends(
        ComposedService.class,
        ComposedService::audited,
        List.of("sendToGroup:audit", "sendToGroup:audit-archive", "sendToAll:null"));
  }

  @Test
  void classLevelAnnotationAppliesToPublicMethods() {
    assertSends(FeedService.class, (service) -> service.post("hi"), List.of("sendToGroup:feed"));
  }

  @Test
  void methodAnnotationBeatsTheClassAnnotation() {
    assertSends(FeedService.class, FeedService::adminOnly, List.of("sendToUser:admin"));
  }

  @Test
  void classLevelAnnotationIgnoresNonPublicAndObjectMethods() {
    assertSends(
        FeedService.class,
        (service) -> service.helper() + service.toString() + service.hashCode(),
        List.of());
  }

  @Test
  void interfaceMethodAnnotationIsInherited() {
    this.runner
        .withBean(EmailNotifier.class)
        .run(
            (context) -> {
              assertThat(context.getBean(Notifier.class).notify("ann")).isEqualTo("hi ann");
              assertThat(targets(context)).containsExactly("sendToUser:ann");
            });
  }

  @Test
  void unresolvablePlaceholderFailsStartup() {
    assertStartupFailure(
        MissingPlaceholder.class,
        "@SendToGroup on PublishingAnnotationsTests.MissingPlaceholder.send(): group"
            + " '${chat.missing}' has a placeholder that cannot be resolved: Could not resolve"
            + " placeholder 'chat.missing' in value \"${chat.missing}\"");
  }

  @Test
  void invalidExpressionFailsStartup() {
    assertStartupFailure(
        InvalidExpression.class,
        "@SendToGroup on PublishingAnnotationsTests.InvalidExpression.send(String): group"
            + " 'room-#{#room ==}' is not a valid SpEL expression: ");
  }

  @Test
  void invalidConditionFailsStartup() {
    assertStartupFailure(
        InvalidCondition.class,
        "@SendToAll on PublishingAnnotationsTests.InvalidCondition.send(): condition '#result >'"
            + " is not a valid SpEL expression: ");
  }

  @Test
  void missingTargetFailsStartup() {
    assertStartupFailure(
        MissingTarget.class,
        "@SendToUser on PublishingAnnotationsTests.MissingTarget.send(): userId must not be"
            + " empty");
  }

  @Test
  void twoContentTypesFailStartup() {
    assertStartupFailure(
        TwoContentTypes.class,
        "@SendToGroup on PublishingAnnotationsTests.TwoContentTypes.send(): contentType takes at"
            + " most one value but was [TEXT, JSON]");
  }

  @Test
  void annotationOnAFinalMethodFailsStartup() {
    assertStartupFailure(
        FinalMethod.class,
        "@SendToConnection on PublishingAnnotationsTests.FinalMethod.send(): the method must not"
            + " be private, static or final, because a proxy cannot intercept it");
  }

  private <T> void assertSends(Class<T> type, Function<T, Object> call, List<String> expected) {
    this.runner
        .withBean(type)
        .run(
            (context) -> {
              call.apply(context.getBean(type));
              assertThat(targets(context)).containsExactlyElementsOf(expected);
            });
  }

  private static List<String> targets(AssertableApplicationContext context) {
    return context.getBean(RecordingWebPubSubOperations.class).sends().stream()
        .map((send) -> send.operation() + ":" + send.target())
        .toList();
  }

  private void assertStartupFailure(Class<?> type, String messageStart) {
    this.runner
        .withBean(type)
        .run(
            (context) -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              while (failure != null
                  && !(failure instanceof IllegalStateException
                      && String.valueOf(failure.getMessage()).startsWith("@SendTo"))) {
                failure = failure.getCause();
              }
              assertThat(failure).as("cause naming the annotation").isNotNull();
              assertThat(failure.getMessage()).startsWith(messageStart);
            });
  }

  static class MultiService {

    @SendToGroup("first")
    @SendToGroup("second")
    @SendToGroup("third")
    public String repeated() {
      return "hi";
    }

    @SendToUser("ann")
    @SendToAll
    @SendToConnection("conn-1")
    public String mixed() {
      return "hi";
    }

    @SendToGroup.List({@SendToGroup("x"), @SendToGroup("y")})
    public String container() {
      return "hi";
    }

    @SendToGroup("a")
    @SendToUser("b")
    public Mono<String> reactive() {
      return Mono.just("hi");
    }
  }

  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @SendToGroup(hub = "games", contentType = WebPubSubContentType.JSON)
  @interface ToGame {

    @AliasFor(annotation = SendToGroup.class, attribute = "group")
    String value();
  }

  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @SendToGroup("audit")
  @SendToGroup("audit-archive")
  @SendToAll
  @interface Audited {}

  static class ComposedService {

    @ToGame("game-#{#gameId}")
    public String score(String gameId) {
      return "1:0";
    }

    @Audited
    public String audited() {
      return "hi";
    }
  }

  @SendToGroup("feed")
  static class FeedService {

    public String post(String text) {
      return text;
    }

    @SendToUser("admin")
    public String adminOnly() {
      return "hi";
    }

    String helper() {
      return "helper";
    }
  }

  interface Notifier {

    @SendToUser("#{#userId}")
    String notify(String userId);
  }

  static class EmailNotifier implements Notifier {

    @Override
    public String notify(String userId) {
      return "hi " + userId;
    }
  }

  static class MissingPlaceholder {

    @SendToGroup("${chat.missing}")
    public String send() {
      return "hi";
    }
  }

  static class InvalidExpression {

    @SendToGroup("room-#{#room ==}")
    public String send(String room) {
      return "hi";
    }
  }

  static class InvalidCondition {

    @SendToAll(condition = "#result >")
    public String send() {
      return "hi";
    }
  }

  static class MissingTarget {

    @SendToUser
    public String send() {
      return "hi";
    }
  }

  static class TwoContentTypes {

    @SendToGroup(
        value = "room",
        contentType = {WebPubSubContentType.TEXT, WebPubSubContentType.JSON})
    public String send() {
      return "hi";
    }
  }

  static class FinalMethod {

    @SendToConnection("conn-1")
    public final String send() {
      return "hi";
    }
  }
}
