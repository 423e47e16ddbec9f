package io.github.webpubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.webpubsub.annotation.EnableWebPubSubPublishing;
import io.github.webpubsub.annotation.SendToGroup;
import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.core.WebPubSubClientAccess;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.core.WebPubSubRetrySettings;
import io.github.webpubsub.core.WebPubSubTemplate;
import io.github.webpubsub.emulator.WebPubSubEmulator;
import io.github.webpubsub.eventhandler.WebFluxEventHandlerAdapter;
import io.github.webpubsub.eventhandler.WebPubSubConnectedListener;
import io.github.webpubsub.eventhandler.WebPubSubConnectionContext;
import io.github.webpubsub.eventhandler.WebPubSubEventHandler;
import io.github.webpubsub.eventhandler.WebPubSubEventListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.core.Disposable;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The library in a plain Spring application, no Spring Boot anywhere: a template bean, {@link
 * EnableWebPubSubPublishing} with a {@code @SendToGroup} method, and a {@link
 * WebPubSubEventHandler} served by a bare Reactor Netty server, all against the emulator and a real
 * WebSocket client.
 */
class PlainSpringIntegrationTests {

  private static final String KEY = "plain-spring-test-key-0123456789-ABCDEFGHIJKLMNOP";

  private final WebPubSubEmulator emulator =
      WebPubSubEmulator.builder().port(0).accessKey(KEY).start();

  private final AnnotationConfigApplicationContext context =
      new AnnotationConfigApplicationContext();

  private DisposableServer server;

  private Disposable client;

  @AfterEach
  void close() {
    if (this.client != null) {
      this.client.dispose();
    }
    if (this.server != null) {
      this.server.disposeNow();
    }
    this.context.close();
    this.emulator.close();
  }

  @Test
  void templatePublishingAndEventHandlerWorkWithoutSpringBoot() {
    this.context.registerBean(WebPubSubEmulator.class, () -> this.emulator);
    this.context.register(AppConfiguration.class);
    this.context.refresh();
    assertThat(this.context.getBeanNamesForType(Object.class))
        .noneMatch((name) -> name.startsWith("org.springframework.boot"));

    this.server =
        HttpServer.create()
            .port(0)
            .handle(
                new ReactorHttpHandlerAdapter(
                    RouterFunctions.toHttpHandler(
                        WebFluxEventHandlerAdapter.routerFunction(
                            "/eventhandler", this.context.getBean(WebPubSubEventHandler.class)))))
            .bindNow();
    this.emulator.addEventHandler(
        "chat", "http://localhost:" + this.server.port() + "/eventhandler/{event}");

    WebPubSubOperations operations = this.context.getBean(WebPubSubOperations.class);
    WebPubSubClientAccess access =
        operations
            .getClientAccessToken(ClientAccessOptions.forUser("alice").groups("lobby"))
            .block(Duration.ofSeconds(30));
    List<String> received = new CopyOnWriteArrayList<>();
    this.client =
        HttpClient.create()
            .websocket()
            .uri(access.url())
            .handle(
                (in, out) ->
                    in.receive().asString(StandardCharsets.UTF_8).doOnNext(received::add).then())
            .subscribe();

    Listeners listeners = this.context.getBean(Listeners.class);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(listeners.connected).containsExactly("chat/alice"));

    Announcer announcer = this.context.getBean(Announcer.class);
    assertThat(announcer.announce("doors open")).isEqualTo("doors open");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(received).containsExactly("doors open"));
  }

  @Configuration(proxyBeanMethods = false)
  @EnableWebPubSubPublishing
  static class AppConfiguration {

    @Bean
    WebPubSubTemplate webPubSubTemplate(WebPubSubEmulator emulator) {
      return WebPubSubTemplate.builder(WebClient.builder())
          .endpoint(emulator.getEndpoint())
          .hub("chat")
          .accessKey(KEY)
          .retry(WebPubSubRetrySettings.none())
          .build();
    }

    @Bean
    WebPubSubEventHandler webPubSubEventHandler(WebPubSubEmulator emulator) {
      return WebPubSubEventHandler.builder()
          .accessKeys(() -> List.of(KEY))
          .endpoint(emulator::getEndpoint)
          .build();
    }

    @Bean
    Listeners listeners() {
      return new Listeners();
    }

    @Bean
    Announcer announcer() {
      return new Announcer();
    }
  }

  static class Listeners {

    final List<String> connected = new CopyOnWriteArrayList<>();

    @WebPubSubConnectedListener
    void onConnected(WebPubSubConnectionContext context) {
      this.connected.add(context.getHub() + "/" + context.getUserId());
    }

    @WebPubSubEventListener("message")
    String onMessage(String text) {
      return text;
    }
  }

  static class Announcer {

    @SendToGroup("lobby")
    String announce(String text) {
      return text;
    }
  }
}
