package io.github.webpubsub.eventhandler;

import static io.github.webpubsub.eventhandler.CloudEvents.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.autoconfigure.WebPubSubConnectionDetails;
import io.github.webpubsub.autoconfigure.security.reactive.WebPubSubEventHandlerRequest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Spring Security in front of the event handler, on WebFlux and on Spring MVC: with the matcher
 * permitted and exempted from CSRF, the service's handshake and signed events get through, an
 * unsigned event still meets the handler's own 401, and every other path stays locked.
 */
class SecuredEventHandlerTests {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class SecuredApplication {

    @Bean
    WebPubSubConnectionDetails webPubSubConnectionDetails() {
      return CloudEvents.connectionDetails();
    }

    @Bean
    ChatListeners chatListeners() {
      return new ChatListeners();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class WebFluxSecurity {

      @Bean
      SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
        return http.authorizeExchange(
                (exchanges) ->
                    exchanges
                        .matchers(WebPubSubEventHandlerRequest.toEventHandler())
                        .permitAll()
                        .anyExchange()
                        .authenticated())
            .csrf(
                (csrf) ->
                    csrf.requireCsrfProtectionMatcher(
                        WebPubSubEventHandlerRequest.csrfProtectedExceptEventHandler()))
            .httpBasic(Customizer.withDefaults())
            .build();
      }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class MvcSecurity {

      @Bean
      SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(
                (requests) ->
                    requests
                        .requestMatchers(
                            io.github.webpubsub.autoconfigure.security.servlet
                                .WebPubSubEventHandlerRequest.toEventHandler())
                        .permitAll()
                        .anyRequest()
                        .authenticated())
            .csrf(
                (csrf) ->
                    csrf.ignoringRequestMatchers(
                        io.github.webpubsub.autoconfigure.security.servlet
                            .WebPubSubEventHandlerRequest.toEventHandler()))
            .httpBasic(Customizer.withDefaults())
            .build();
      }
    }
  }

  abstract static class Cases {

    @LocalServerPort int port;

    WebTestClient client;

    @BeforeEach
    void setUp() {
      this.client =
          WebTestClient.bindToServer()
              .baseUrl("http://localhost:" + this.port)
              .responseTimeout(Duration.ofSeconds(20))
              .build();
    }

    @Test
    void abuseProtectionHandshakeGetsThrough() {
      this.client
          .options()
          .uri("/eventhandler/validate")
          .header("WebHook-Request-Origin", ORIGIN)
          .exchange()
          .expectStatus()
          .isOk()
          .expectHeader()
          .valueEquals("WebHook-Allowed-Origin", ORIGIN);
    }

    @Test
    void signedEventGetsThroughWithoutACsrfToken() {
      this.client
          .post()
          .uri("/eventhandler/connected")
          .headers(CloudEvents.system("connected", "chat"))
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{}")
          .exchange()
          .expectStatus()
          .isNoContent();
    }

    @Test
    void unsignedEventMeetsTheHandlersOwn401() {
      this.client
          .post()
          .uri("/eventhandler/connected")
          .headers(CloudEvents.headers("azure.webpubsub.sys.connected", "connected", "chat", null))
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{}")
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectBody(String.class)
          .value((body) -> assertThat(body).isEqualTo("Invalid or missing ce-signature"));
    }

    @Test
    void otherPathsStayLocked() {
      this.client
          .post()
          .uri("/other")
          .bodyValue("{}")
          .exchange()
          .expectStatus()
          .value((status) -> assertThat(status).isIn(401, 403));
    }
  }

  @Nested
  @SpringBootTest(
      classes = SecuredApplication.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {
        "spring.autoconfigure.exclude=",
        "spring.main.web-application-type=reactive",
        "webpubsub.hub=chat"
      })
  class OnWebFlux extends Cases {}

  @Nested
  @SpringBootTest(
      classes = SecuredApplication.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {
        "spring.autoconfigure.exclude=",
        "spring.main.web-application-type=servlet",
        "webpubsub.hub=chat"
      })
  class OnMvc extends Cases {}
}
