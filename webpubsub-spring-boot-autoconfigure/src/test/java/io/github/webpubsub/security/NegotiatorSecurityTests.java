package io.github.webpubsub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
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
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * The auto-configured {@link WebPubSubNegotiator} behind a real Spring Security filter chain (HTTP
 * Basic) on WebFlux (Reactor Netty) and on Spring MVC (Tomcat): a signed-in user's negotiate answer
 * carries a token signed with the access key whose {@code sub}, {@code role} and {@code
 * webpubsub.group} claims are exactly the ones its authorities map to; an anonymous request is
 * answered 401 by Spring Security's entry point and gets no URL.
 */
class NegotiatorSecurityTests {

  static final String KEY = "Negotiator-TEST-ACCESS-KEY-0123456789abcdefghij";

  static final String AUDIENCE = "https://negotiate.webpubsub.azure.com/client/hubs/chat";

  static UserDetails alice() {
    return User.withUsername("alice")
        .password("{noop}alice-password")
        .authorities(
            "ROLE_USER",
            "webpubsub.sendToGroup.lobby",
            "WEBPUBSUB_GROUP_lobby",
            "webpubsub.joinLeaveGroup.lobby",
            "WEBPUBSUB_GROUP_news",
            "SCOPE_profile")
        .build();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class SecuredApplication {

    @RestController
    static class NegotiateController {

      private final WebPubSubNegotiator negotiator;

      NegotiateController(WebPubSubNegotiator negotiator) {
        this.negotiator = negotiator;
      }

      @GetMapping("/negotiate")
      Mono<Map<String, String>> negotiate(Principal principal) {
        return this.negotiator.negotiate(principal).map((access) -> Map.of("url", access.url()));
      }

      @GetMapping("/negotiate/context")
      Mono<Map<String, String>> negotiateFromContext() {
        return this.negotiator.negotiate().map((access) -> Map.of("url", access.url()));
      }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class WebFluxSecurity {

      @Bean
      SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
        return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
            .anonymous(Customizer.withDefaults())
            .httpBasic(Customizer.withDefaults())
            .build();
      }

      @Bean
      MapReactiveUserDetailsService users() {
        return new MapReactiveUserDetailsService(alice());
      }

      /** WebFlux only: a {@code Mono<Authentication>} parameter. */
      @RestController
      static class MonoController {

        private final WebPubSubNegotiator negotiator;

        MonoController(WebPubSubNegotiator negotiator) {
          this.negotiator = negotiator;
        }

        @GetMapping("/negotiate/mono")
        Mono<Map<String, String>> negotiate(Mono<Authentication> authentication) {
          return this.negotiator
              .negotiate(authentication)
              .map((access) -> Map.of("url", access.url()));
        }
      }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class MvcSecurity {

      @Bean
      SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
            .httpBasic(Customizer.withDefaults())
            .build();
      }

      @Bean
      InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(alice());
      }
    }
  }

  static Jwt verify(String url) {
    Map<String, String> query =
        UriComponentsBuilder.fromUriString(url).build().getQueryParams().toSingleValueMap();
    assertThat(url).startsWith("wss://negotiate.webpubsub.azure.com/client/hubs/chat?");
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefault(), new JwtAudienceValidator(AUDIENCE)));
    return decoder.decode(query.get("access_token"));
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

    void signedInUserGetsExactlyTheMappedClaims(String path) {
      Map<?, ?> body =
          this.client
              .get()
              .uri(path)
              .headers((headers) -> headers.setBasicAuth("alice", "alice-password"))
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(Map.class)
              .returnResult()
              .getResponseBody();
      assertThat(body).isNotNull();
      Jwt jwt = verify((String) body.get("url"));
      assertThat(jwt.getSubject()).isEqualTo("alice");
      // User.authorities(..) sorts them, so the order is the user store's, not the test's.
      assertThat(jwt.getClaimAsStringList("role"))
          .containsExactlyInAnyOrder(
              "webpubsub.sendToGroup.lobby", "webpubsub.joinLeaveGroup.lobby");
      assertThat(jwt.getClaimAsStringList("webpubsub.group"))
          .containsExactlyInAnyOrder("lobby", "news");
      assertThat(jwt.getClaims())
          .containsOnlyKeys("aud", "exp", "iat", "sub", "role", "webpubsub.group");
    }

    void anonymousIsRefused(String path) {
      this.client
          .get()
          .uri(path)
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectHeader()
          .valueEquals("WWW-Authenticate", "Basic realm=\"Realm\"")
          .expectBody(String.class)
          .value((body) -> assertThat(String.valueOf(body)).doesNotContain("access_token"));
    }

    @Test
    void principalParameter() {
      signedInUserGetsExactlyTheMappedClaims("/negotiate");
    }

    @Test
    void securityContext() {
      signedInUserGetsExactlyTheMappedClaims("/negotiate/context");
    }

    @Test
    void anonymousPrincipalParameterIsRefused() {
      anonymousIsRefused("/negotiate");
    }

    @Test
    void anonymousSecurityContextIsRefused() {
      anonymousIsRefused("/negotiate/context");
    }

    @Test
    void wrongPasswordIsRefusedBeforeTheController() {
      this.client
          .get()
          .uri("/negotiate")
          .headers((headers) -> headers.setBasicAuth("alice", "wrong"))
          .exchange()
          .expectStatus()
          .isUnauthorized();
    }
  }

  @Nested
  @SpringBootTest(
      classes = SecuredApplication.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {
        "spring.autoconfigure.exclude=",
        "spring.main.web-application-type=reactive",
        "webpubsub.connection-string=Endpoint=https://negotiate.webpubsub.azure.com;AccessKey="
            + KEY
            + ";Version=1.0;",
        "webpubsub.hub=chat"
      })
  class OnWebFlux extends Cases {

    @Test
    void monoOfAuthenticationParameter() {
      signedInUserGetsExactlyTheMappedClaims("/negotiate/mono");
    }

    @Test
    void anonymousMonoOfAuthenticationIsRefused() {
      anonymousIsRefused("/negotiate/mono");
    }
  }

  @Nested
  @SpringBootTest(
      classes = SecuredApplication.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {
        "spring.autoconfigure.exclude=",
        "spring.main.web-application-type=servlet",
        "webpubsub.connection-string=Endpoint=https://negotiate.webpubsub.azure.com;AccessKey="
            + KEY
            + ";Version=1.0;",
        "webpubsub.hub=chat"
      })
  class OnMvc extends Cases {}
}
