package io.github.webpubsub.readme;

// The README's "Without Spring Boot" snippet, verbatim below the package line, so that it keeps
// compiling as shown (the README's own test is PlainSpringIntegrationTests).
import io.github.webpubsub.annotation.EnableWebPubSubPublishing;
import io.github.webpubsub.core.WebPubSubTemplate;
import io.github.webpubsub.eventhandler.WebFluxEventHandlerAdapter;
import io.github.webpubsub.eventhandler.WebPubSubEventHandler;
import java.net.URI;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration
@EnableWebPubSubPublishing // @SendToGroup and kin, as @EnableCaching
class WebPubSubConfiguration {

  static final URI ENDPOINT = URI.create("https://contoso.webpubsub.azure.com");

  @Bean
  WebPubSubTemplate webPubSubTemplate() {
    return WebPubSubTemplate.builder(WebClient.builder())
        .endpoint(ENDPOINT)
        .hub("chat")
        .accessKey(System.getenv("WEBPUBSUB_KEY"))
        .build();
  }

  @Bean // finds the @WebPubSub*Listener methods
  WebPubSubEventHandler webPubSubEventHandler() {
    return WebPubSubEventHandler.builder()
        .accessKeys(() -> List.of(System.getenv("WEBPUBSUB_KEY")))
        .endpoint(() -> ENDPOINT) // its host passes abuse protection
        .build();
  }

  @Bean
  RouterFunction<ServerResponse> webPubSubEvents(WebPubSubEventHandler eventHandler) {
    return WebFluxEventHandlerAdapter.routerFunction("/eventhandler", eventHandler);
  }
}
