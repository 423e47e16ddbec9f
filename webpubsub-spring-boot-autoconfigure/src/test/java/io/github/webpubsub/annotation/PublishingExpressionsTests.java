package io.github.webpubsub.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.webpubsub.annotation.RecordingWebPubSubOperations.Send;
import io.github.webpubsub.autoconfigure.annotation.WebPubSubAnnotationsAutoConfiguration;
import io.github.webpubsub.core.SendOptions;
import io.github.webpubsub.core.WebPubSubContentType;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class PublishingExpressionsTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class, WebPubSubAnnotationsAutoConfiguration.class))
          .withPropertyValues("chat.announcements=announcements", "chat.support-hub=support")
          .withBean(RecordingWebPubSubOperations.class)
          .withBean("roomNames", RoomNames.class)
          .withBean(RoomService.class);

  @Test
  void templateMixesLiteralTextWithArgumentsByName() {
    run((service) -> service.post("42", "hi"), send("sendToGroup", "chat", "room-42", "hi"));
  }

  @Test
  void placeholderIsResolvedFromTheEnvironment() {
    run((service) -> service.announce("hi"), send("sendToGroup", "chat", "announcements", "hi"));
  }

  @Test
  void resultIsAvailableAsHashResult() {
    run(
        (service) -> service.reply("hi"),
        (send) -> {
          assertThat(send.target()).isEqualTo("lobby");
          assertThat(send.message()).isEqualTo(new ChatMessage("lobby", "hi"));
        });
  }

  @Test
  void argumentsAreAvailableByIndex() {
    run((service) -> service.byIndex("7", "hi"), send("sendToGroup", "chat", "7", "hi"));
  }

  @Test
  void rootOffersTheMethodAndBeanReferencesResolve() {
    run(
        (service) -> service.rootAndBean("lobby"),
        send("sendToGroup", "chat", "public-lobby-rootAndBean", "lobby"));
  }

  @Test
  void nonStringTargetIsConvertedToText() {
    run((service) -> service.toUser(42L), send("sendToUser", "chat", "42", "for 42"));
  }

  @Test
  void connectionTargetIsEvaluated() {
    run(
        (service) -> service.toConnection("conn-1"),
        send("sendToConnection", "chat", "conn-1", "pong"));
  }

  @Test
  void literalHubIsBoundOnceThroughForHub() {
    this.runner.run(
        (context) -> {
          RoomService service = context.getBean(RoomService.class);
          service.toSupportHub("a");
          service.toSupportHub("b");
          RecordingWebPubSubOperations recorder =
              context.getBean(RecordingWebPubSubOperations.class);
          assertThat(recorder.sends()).extracting(Send::hub).containsExactly("support", "support");
          assertThat(recorder.hubViews()).containsExactly("support");
        });
  }

  @Test
  void hubCanBeAnExpression() {
    run((service) -> service.toHubOf("games", "hi"), send("sendToGroup", "games", "room", "hi"));
  }

  @Test
  void excludedTakesLiteralsSingleIdsAndCollectionsAndSkipsNulls() {
    run(
        (service) -> service.excluding("conn-1", List.of("conn-2", "conn-3"), null, "hi"),
        (send) ->
            assertThat(send.options())
                .isEqualTo(
                    SendOptions.defaults().excluding("conn-0", "conn-1", "conn-2", "conn-3")));
  }

  @Test
  void sendToAllExcludesTheSender() {
    run(
        (service) -> service.toAll("conn-9"),
        (send) -> {
          assertThat(send.operation()).isEqualTo("sendToAll");
          assertThat(send.options()).isEqualTo(SendOptions.defaults().excluding("conn-9"));
        });
  }

  @Test
  void explicitContentTypeIsPassedOn() {
    run(
        (service) -> service.asJson("{\"a\":1}"),
        (send) ->
            assertThat(send.options())
                .isEqualTo(SendOptions.defaults().contentType(WebPubSubContentType.JSON)));
  }

  @Test
  void conditionReadsResultAndArguments() {
    this.runner.run(
        (context) -> {
          RoomService service = context.getBean(RoomService.class);
          assertThat(service.conditional(false, "hello")).isEqualTo("hello");
          assertThat(service.conditional(true, "hello")).isEqualTo("hello");
          assertThat(service.conditional(false, "hi")).isEqualTo("hi");
          assertThat(context.getBean(RecordingWebPubSubOperations.class).sends())
              .extracting(Send::message)
              .containsExactly("hello");
        });
  }

  @Test
  void targetEvaluatingToNullIsRejectedBeforeAnythingIsSent() {
    this.runner.run(
        (context) -> {
          assertThatIllegalArgumentException()
              .isThrownBy(() -> context.getBean(RoomService.class).toRoom(null))
              .withMessage(
                  "@SendToGroup on PublishingExpressionsTests.RoomService.toRoom(String): group"
                      + " '#{#room}' must not evaluate to null or blank but was null");
          assertThat(context.getBean(RecordingWebPubSubOperations.class).sends()).isEmpty();
        });
  }

  @Test
  void expressionThatFailsNamesTheAttributeAndTheMethod() {
    this.runner.run(
        (context) -> {
          assertThatIllegalArgumentException()
              .isThrownBy(() -> context.getBean(RoomService.class).broken("hi"))
              .withMessageStartingWith(
                  "@SendToGroup on PublishingExpressionsTests.RoomService.broken(String): could"
                      + " not evaluate group '#{#missing.length()}': ");
          assertThat(context.getBean(RecordingWebPubSubOperations.class).sends()).isEmpty();
        });
  }

  private void run(Consumer<RoomService> call, Consumer<Send> expectation) {
    this.runner.run(
        (AssertableApplicationContext context) -> {
          call.accept(context.getBean(RoomService.class));
          List<Send> sends = context.getBean(RecordingWebPubSubOperations.class).sends();
          assertThat(sends).hasSize(1);
          expectation.accept(sends.get(0));
        });
  }

  private static Consumer<Send> send(String operation, String hub, String target, Object message) {
    return (send) ->
        assertThat(send)
            .isEqualTo(new Send(operation, hub, target, message, SendOptions.defaults()));
  }

  record ChatMessage(String room, String text) {}

  public static class RoomNames {

    public String prefix() {
      return "public";
    }
  }

  static class RoomService {

    @SendToGroup("room-#{#roomId}")
    public String post(String roomId, String text) {
      return text;
    }

    @SendToGroup("${chat.announcements}")
    public String announce(String text) {
      return text;
    }

    @SendToGroup(group = "#{#result.room}")
    public ChatMessage reply(String text) {
      return new ChatMessage("lobby", text);
    }

    @SendToGroup("#{#p0}")
    public String byIndex(String room, String text) {
      return text;
    }

    @SendToGroup("#{@roomNames.prefix()}-#{#room}-#{#root.method.name}")
    public String rootAndBean(String room) {
      return room;
    }

    @SendToUser("#{#userId}")
    public String toUser(Long userId) {
      return "for " + userId;
    }

    @SendToConnection(connectionId = "#{#connectionId}")
    public String toConnection(String connectionId) {
      return "pong";
    }

    @SendToGroup(value = "room", hub = "${chat.support-hub}")
    public String toSupportHub(String text) {
      return text;
    }

    @SendToGroup(value = "room", hub = "#{#hub}")
    public String toHubOf(String hub, String text) {
      return text;
    }

    @SendToGroup(
        value = "room",
        excluded = {"conn-0", "#{#sender}", "#{#muted}", "#{#nobody}"})
    public String excluding(
        String sender, List<String> muted, @Nullable String nobody, String text) {
      return text;
    }

    @SendToAll(excluded = "#{#sender}")
    public String toAll(String sender) {
      return "to all";
    }

    @SendToGroup(value = "room", contentType = WebPubSubContentType.JSON)
    public String asJson(String json) {
      return json;
    }

    @SendToGroup(value = "room", condition = "#result.length() > 2 && !#quiet")
    public String conditional(boolean quiet, String text) {
      return text;
    }

    @SendToGroup("#{#room}")
    public String toRoom(@Nullable String room) {
      return "hi";
    }

    @SendToGroup("#{#missing.length()}")
    public String broken(String text) {
      return text;
    }
  }
}
