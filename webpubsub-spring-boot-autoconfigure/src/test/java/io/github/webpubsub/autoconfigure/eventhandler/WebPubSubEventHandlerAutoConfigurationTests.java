package io.github.webpubsub.autoconfigure.eventhandler;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.annotation.RecordingWebPubSubOperations;
import io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration;
import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.autoconfigure.annotation.WebPubSubAnnotationsAutoConfiguration;
import io.github.webpubsub.autoconfigure.health.WebPubSubHealthContributorAutoConfiguration;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubTemplate;
import io.github.webpubsub.eventhandler.WebPubSubConnectListener;
import io.github.webpubsub.eventhandler.WebPubSubConnectionContext;
import io.github.webpubsub.eventhandler.WebPubSubEventHandler;
import io.github.webpubsub.eventhandler.WebPubSubEventListener;
import io.github.webpubsub.eventhandler.WebPubSubInvocationListener;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

class WebPubSubEventHandlerAutoConfigurationTests {

  private final ReactiveWebApplicationContextRunner reactiveRunner =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JacksonAutoConfiguration.class, WebPubSubEventHandlerAutoConfiguration.class))
          .withUserConfiguration(Details.class);

  @Test
  void reactiveApplicationGetsAWebFluxRouterFunction() {
    this.reactiveRunner.run(
        context -> {
          assertThat(context).hasSingleBean(WebPubSubEventHandler.class);
          assertThat(context).hasBean("webPubSubEventHandlerRouterFunction");
          assertThat(context.getBean("webPubSubEventHandlerRouterFunction"))
              .isInstanceOf(RouterFunction.class);
          assertThat(context).doesNotHaveBean("webPubSubEventHandlerServletRouterFunction");
        });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void applicationWithItsOwnOperationsAndNoPropertiesStartsAndSaysTheHandlerHasNoKey(
      CapturedOutput output) {
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JacksonAutoConfiguration.class,
                WebClientAutoConfiguration.class,
                WebPubSubAutoConfiguration.class,
                WebPubSubHealthContributorAutoConfiguration.class,
                WebPubSubAnnotationsAutoConfiguration.class,
                WebPubSubEventHandlerAutoConfiguration.class))
        .withBean(WebPubSubOperations.class, RecordingWebPubSubOperations::new)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(RecordingWebPubSubOperations.class);
              assertThat(context).doesNotHaveBean(WebPubSubTemplate.class);
              assertThat(context).hasSingleBean(WebPubSubEventHandler.class);
              assertThat(output)
                  .contains(
                      "Web PubSub event handler has no access key to check ce-signature with;"
                          + " every event will be answered 401. Set"
                          + " webpubsub.connection-string or webpubsub.access-key.");
            });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void listenersInAnApplicationThatIsNotAWebApplicationAreReportedWithTheStarterToAdd(
      CapturedOutput output) {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                WebPubSubEventHandlerAutoConfiguration.class,
                WebPubSubListenersWithoutWebAutoConfiguration.class))
        .withUserConfiguration(Listeners.class, InvocationListener.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(WebPubSubEventHandler.class);
              assertThat(output)
                  .contains("Web PubSub listener methods [")
                  .contains(".onMessage")
                  .contains(".onConnect")
                  .contains("InvocationListener.place")
                  .contains(
                      "will never run: this is not a web application, so no endpoint receives"
                          + " the service's events. Add spring-boot-starter-webflux (or"
                          + " spring-boot-starter-web)");
            });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void webApplicationDoesNotReportListenersAsUnserved(CapturedOutput output) {
    this.reactiveRunner
        .withConfiguration(
            AutoConfigurations.of(WebPubSubListenersWithoutWebAutoConfiguration.class))
        .withUserConfiguration(Listeners.class)
        .withPropertyValues("webpubsub.hub=chat")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(output).doesNotContain("will never run").doesNotContain("but not");
            });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void listenersForAnotherHubThanTheDefaultOneAreReportedNamingBoth(CapturedOutput output) {
    this.reactiveRunner
        .withUserConfiguration(Listeners.class)
        .withPropertyValues("webpubsub.hub=demo")
        .run(
            context ->
                assertThat(output)
                    .contains(
                        "Web PubSub listeners name hub(s) [chat] but not webpubsub.hub 'demo':"
                            + " clients of hub 'demo' get no events handled here"));
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void listenersForHubsTheHandlerRefusesAreReported(CapturedOutput output) {
    this.reactiveRunner
        .withUserConfiguration(Listeners.class)
        .withPropertyValues("webpubsub.event-handler.hubs=news")
        .run(
            context ->
                assertThat(output)
                    .contains(
                        "Web PubSub listeners for hub(s) [chat] will never run:"
                            + " webpubsub.event-handler.hubs=news refuses their events."));
  }

  @Test
  void servletApplicationGetsAnMvcRouterFunction() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JacksonAutoConfiguration.class, WebPubSubEventHandlerAutoConfiguration.class))
        .withUserConfiguration(Details.class)
        .run(
            context -> {
              assertThat(context.getBean("webPubSubEventHandlerServletRouterFunction"))
                  .isInstanceOf(org.springframework.web.servlet.function.RouterFunction.class);
              assertThat(context).doesNotHaveBean("webPubSubEventHandlerRouterFunction");
            });
  }

  @Test
  void disabledEventHandlerServesNothing() {
    this.reactiveRunner
        .withPropertyValues("webpubsub.event-handler.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(WebPubSubEventHandler.class));
  }

  @Test
  void nonWebApplicationServesNothing() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JacksonAutoConfiguration.class, WebPubSubEventHandlerAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(WebPubSubEventHandler.class));
  }

  @Test
  void withoutJacksonServesNothing() {
    this.reactiveRunner
        .withClassLoader(new FilteredClassLoader(JsonMapper.class))
        .run(context -> assertThat(context).doesNotHaveBean(WebPubSubEventHandler.class));
  }

  @Test
  void listenersOnAnyBeanAreRegistered() {
    this.reactiveRunner
        .withUserConfiguration(Listeners.class)
        .run(
            context ->
                assertThat(context.getBean(WebPubSubEventHandler.class).getListenerHubs())
                    .containsExactly("chat"));
  }

  @Test
  void twoListenersForTheSameEventAndHubFailStartupNamingBoth() {
    this.reactiveRunner
        .withUserConfiguration(Listeners.class, DuplicateListeners.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasMessageContaining(".onMessage")
                    .hasMessageContaining("DuplicateListeners.again")
                    .hasMessageContaining("user event 'message' of hub 'chat'"));
  }

  @Test
  void invocationListenerForAnEventAnEventListenerServesFailsStartupSayingWhy() {
    this.reactiveRunner
        .withUserConfiguration(Listeners.class, InvocationForAnEventListenersEvent.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasMessageContaining(".onMessage")
                    .hasMessageContaining("InvocationForAnEventListenersEvent.invoke")
                    .hasMessageContaining("user event 'message' of hub 'chat'")
                    .hasMessageContaining(
                        "the service sends an invocation as the user event of the same name"));
  }

  @Test
  void invocationListenerIsRegisteredForItsHub() {
    this.reactiveRunner
        .withUserConfiguration(InvocationListener.class)
        .run(
            context ->
                assertThat(context.getBean(WebPubSubEventHandler.class).getListenerHubs())
                    .containsExactly("orders"));
  }

  @Test
  void invocationListenerWithoutEventNameFailsStartup() {
    this.reactiveRunner
        .withUserConfiguration(InvocationWithoutEventName.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasMessageContaining(
                        "@WebPubSubInvocationListener on InvocationWithoutEventName.handle needs"
                            + " an event name"));
  }

  @Test
  void methodWithAnEventAndAnInvocationAnnotationFailsStartup() {
    this.reactiveRunner
        .withUserConfiguration(EventAndInvocation.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasMessageContaining(
                        "EventAndInvocation.handle has more than one @WebPubSub*Listener"));
  }

  @Test
  void connectListenerReturningAStringFailsStartup() {
    this.reactiveRunner
        .withUserConfiguration(BadConnectListener.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasMessageContaining("BadConnectListener.connect returns String")
                    .hasMessageContaining("WebPubSubConnectResponse"));
  }

  @Test
  void listenerWithTwoDataParametersFailsStartup() {
    this.reactiveRunner
        .withUserConfiguration(TwoDataParameters.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasMessageContaining("TwoDataParameters.handle declares more than one data"));
  }

  @Test
  void eventListenerWithoutEventNameFailsStartup() {
    this.reactiveRunner
        .withUserConfiguration(NoEventName.class)
        .run(
            context ->
                assertThat(context).getFailure().hasMessageContaining("needs an event name"));
  }

  @Test
  void pathWithoutLeadingSlashFailsStartupNamingTheProperty() {
    this.reactiveRunner
        .withPropertyValues("webpubsub.event-handler.path=eventhandler")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("webpubsub.event-handler.path")
                    .hasMessageContaining("'eventhandler'"));
  }

  @Test
  void propertiesBindWithDefaults() {
    this.reactiveRunner
        .withPropertyValues(
            "webpubsub.event-handler.hubs=chat,news",
            "webpubsub.event-handler.allowed-origins=*",
            "webpubsub.event-handler.max-body-size=2MB")
        .run(
            context -> {
              WebPubSubEventHandlerProperties properties =
                  context.getBean(WebPubSubEventHandlerProperties.class);
              assertThat(properties.getPath()).isEqualTo("/eventhandler");
              assertThat(properties.getHubs()).containsExactly("chat", "news");
              assertThat(properties.getAllowedOrigins()).containsExactly("*");
              assertThat(properties.getMaxBodySize().toBytes()).isEqualTo(2 * 1024 * 1024);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class Details {

    @Bean
    WebPubSubConnectionDetails webPubSubConnectionDetails() {
      return new WebPubSubConnectionDetails() {
        @Override
        public URI getEndpoint() {
          return URI.create("https://contoso.webpubsub.azure.com");
        }

        @Override
        public String getAccessKey() {
          return "access-key-with-at-least-32-bytes-0000";
        }

        @Override
        public List<String> getAccessKeys() {
          return List.of(getAccessKey());
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Listeners {

    @Bean
    Object listeners() {
      return new Object() {
        @WebPubSubEventListener(hub = "chat", event = "message")
        String onMessage(String text) {
          return text;
        }

        @WebPubSubConnectListener
        Mono<Void> onConnect(WebPubSubConnectionContext context) {
          return Mono.empty();
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class DuplicateListeners {

    @Bean
    DuplicateListeners duplicate() {
      return new DuplicateListeners();
    }

    @WebPubSubEventListener(hub = "CHAT", event = "Message")
    void again() {}
  }

  static class InvocationForAnEventListenersEvent {

    @WebPubSubInvocationListener(hub = "chat", event = "message")
    String invoke(String text) {
      return text;
    }
  }

  static class InvocationListener {

    @WebPubSubInvocationListener(hub = "orders", event = "place")
    String place(String order) {
      return order;
    }
  }

  static class InvocationWithoutEventName {

    @WebPubSubInvocationListener(hub = "chat")
    void handle(String text) {}
  }

  static class EventAndInvocation {

    @WebPubSubEventListener("message")
    @WebPubSubInvocationListener("message")
    void handle(String text) {}
  }

  static class BadConnectListener {

    @WebPubSubConnectListener
    String connect() {
      return "no";
    }
  }

  static class TwoDataParameters {

    @WebPubSubEventListener("message")
    void handle(String text, byte[] data) {}
  }

  static class NoEventName {

    @WebPubSubEventListener(hub = "chat")
    void handle(String text) {}
  }
}
