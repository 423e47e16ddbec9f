package io.github.webpubsub.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.autoconfigure.InvalidWebPubSubPropertyException;
import io.github.webpubsub.autoconfigure.WebPubSubAutoConfiguration;
import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.core.WebPubSubClientAccess;
import io.github.webpubsub.core.WebPubSubOperations;
import io.github.webpubsub.security.DefaultWebPubSubClientAccessMapper;
import io.github.webpubsub.security.WebPubSubClientAccessMapper;
import io.github.webpubsub.security.WebPubSubNegotiator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** The negotiator's wiring: defaults from properties, and the application's beans winning. */
class WebPubSubNegotiatorAutoConfigurationTests {

  private static final String KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JacksonAutoConfiguration.class,
                  WebClientAutoConfiguration.class,
                  WebPubSubAutoConfiguration.class,
                  WebPubSubNegotiatorAutoConfiguration.class))
          .withPropertyValues(
              "webpubsub.connection-string=Endpoint=https://example.webpubsub.azure.com;AccessKey="
                  + KEY
                  + ";Version=1.0;",
              "webpubsub.hub=chat");

  private static Authentication alice(String... authorities) {
    TestingAuthenticationToken alice = new TestingAuthenticationToken("alice", "n/a", authorities);
    alice.setAuthenticated(true);
    return alice;
  }

  private static Jwt decode(WebPubSubClientAccess access) {
    return NimbusJwtDecoder.withSecretKey(
            new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
        .macAlgorithm(MacAlgorithm.HS256)
        .build()
        .decode(access.token());
  }

  @Test
  void defaultMapperUsesTheDefaultPrefixes() {
    this.runner.run(
        (context) -> {
          assertThat(context).hasSingleBean(WebPubSubNegotiator.class);
          DefaultWebPubSubClientAccessMapper mapper =
              context.getBean(DefaultWebPubSubClientAccessMapper.class);
          assertThat(mapper.getRoleAuthorityPrefix()).isEqualTo("webpubsub.");
          assertThat(mapper.getGroupAuthorityPrefix()).isEqualTo("WEBPUBSUB_GROUP_");
          Jwt jwt =
              decode(
                  context
                      .getBean(WebPubSubNegotiator.class)
                      .negotiate(alice("webpubsub.sendToGroup.a", "WEBPUBSUB_GROUP_a", "ROLE_USER"))
                      .block(Duration.ofSeconds(10)));
          assertThat(jwt.getSubject()).isEqualTo("alice");
          assertThat(jwt.getClaimAsStringList("role")).containsExactly("webpubsub.sendToGroup.a");
          assertThat(jwt.getClaimAsStringList("webpubsub.group")).containsExactly("a");
        });
  }

  @Test
  void prefixesComeFromProperties() {
    this.runner
        .withPropertyValues(
            "webpubsub.negotiate.role-authority-prefix=SCOPE_webpubsub.",
            "webpubsub.negotiate.group-authority-prefix=GROUP_")
        .run(
            (context) -> {
              Jwt jwt =
                  decode(
                      context
                          .getBean(WebPubSubNegotiator.class)
                          .negotiate(
                              alice(
                                  "SCOPE_webpubsub.joinLeaveGroup.b",
                                  "webpubsub.sendToGroup.b",
                                  "GROUP_b"))
                          .block(Duration.ofSeconds(10)));
              assertThat(jwt.getClaimAsStringList("role"))
                  .containsExactly("webpubsub.joinLeaveGroup.b");
              assertThat(jwt.getClaimAsStringList("webpubsub.group")).containsExactly("b");
            });
  }

  @Test
  void blankPrefixFailsNamingTheProperty() {
    this.runner
        .withPropertyValues("webpubsub.negotiate.group-authority-prefix= ")
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidWebPubSubPropertyException.class)
                    .hasMessageContaining("webpubsub.negotiate.group-authority-prefix"));
  }

  @Test
  void applicationsMapperReplacesTheDefaultAndIsUsed() {
    this.runner
        .withUserConfiguration(CustomMapper.class)
        .run(
            (context) -> {
              assertThat(context).doesNotHaveBean(DefaultWebPubSubClientAccessMapper.class);
              WebPubSubClientAccess access =
                  context
                      .getBean(WebPubSubNegotiator.class)
                      .negotiate(alice("webpubsub.sendToGroup.ignored"))
                      .block(Duration.ofSeconds(10));
              Jwt jwt = decode(access);
              assertThat(jwt.getSubject()).isEqualTo("user-alice");
              assertThat(jwt.getClaimAsStringList("role")).containsExactly("webpubsub.sendToGroup");
              assertThat(jwt.getClaims()).doesNotContainKey("webpubsub.group");
              assertThat(jwt.getExpiresAt()).isBefore(Instant.now().plusSeconds(5 * 60 + 5));
            });
  }

  @Test
  void applicationsNegotiatorReplacesTheDefault() {
    this.runner
        .withUserConfiguration(CustomNegotiator.class)
        .run(
            (context) -> {
              assertThat(context).hasSingleBean(WebPubSubNegotiator.class);
              assertThat(context).hasBean("myNegotiator");
            });
  }

  @Test
  void noNegotiatorWithoutSpringSecurity() {
    this.runner
        .withClassLoader(new FilteredClassLoader(Authentication.class))
        .run((context) -> assertThat(context).doesNotHaveBean(WebPubSubNegotiator.class));
  }

  @Test
  void noNegotiatorWithoutOperations() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WebPubSubNegotiatorAutoConfiguration.class))
        .run((context) -> assertThat(context).doesNotHaveBean(WebPubSubNegotiator.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class CustomMapper {

    @Bean
    WebPubSubClientAccessMapper customMapper() {
      return (principal) ->
          ClientAccessOptions.forUser("user-" + principal.getName())
              .roles("webpubsub.sendToGroup")
              .expiresAfter(Duration.ofMinutes(5));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CustomNegotiator {

    @Bean
    WebPubSubNegotiator myNegotiator(WebPubSubOperations operations) {
      return new WebPubSubNegotiator(operations, (principal) -> ClientAccessOptions.forUser("x"));
    }
  }
}
