package io.github.webpubsub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.webpubsub.core.WebPubSubClientAccess;
import io.github.webpubsub.core.WebPubSubTemplate;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The negotiator with a real template signing locally (no network): what each kind of principal
 * gets, read back from the verified token, and who is refused.
 */
class WebPubSubNegotiatorTests {

  private static final String KEY = "Negotiator-unit-TEST-KEY-0123456789abcdefghijkl";

  private final WebPubSubTemplate template =
      WebPubSubTemplate.builder(WebClient.builder())
          .endpoint(URI.create("https://unit.webpubsub.azure.com"))
          .hub("chat")
          .accessKey(KEY)
          .build();

  private final WebPubSubNegotiator negotiator = new WebPubSubNegotiator(this.template);

  @AfterEach
  void clearContext() {
    SecurityContextHolder.clearContext();
  }

  private static Authentication signedIn(String name, String... authorities) {
    return UsernamePasswordAuthenticationToken.authenticated(
        name, "n/a", AuthorityUtils.createAuthorityList(authorities));
  }

  private static Jwt jwt(WebPubSubClientAccess access) {
    assertThat(access.url()).isEqualTo(access.baseUrl() + "?access_token=" + access.token());
    return NimbusJwtDecoder.withSecretKey(
            new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
        .macAlgorithm(MacAlgorithm.HS256)
        .build()
        .decode(access.token());
  }

  private static Jwt jwt(Mono<WebPubSubClientAccess> access) {
    WebPubSubClientAccess result = access.block(Duration.ofSeconds(10));
    assertThat(result).isNotNull();
    return jwt(result);
  }

  @Test
  void authoritiesGiveRolesAndGroupsInOrderOnceEach() {
    Jwt jwt =
        jwt(
            this.negotiator.negotiate(
                signedIn(
                    "alice",
                    "ROLE_ADMIN",
                    "webpubsub.sendToGroup.b",
                    "WEBPUBSUB_GROUP_b",
                    "webpubsub.joinLeaveGroups.room-*",
                    "WEBPUBSUB_GROUP_a",
                    "webpubsub.sendToGroup.b",
                    "WEBPUBSUB_GROUP_",
                    "webpubsub.")));
    assertThat(jwt.getSubject()).isEqualTo("alice");
    assertThat(jwt.getAudience())
        .containsExactly("https://unit.webpubsub.azure.com/client/hubs/chat");
    assertThat(jwt.getClaimAsStringList("role"))
        .containsExactly("webpubsub.sendToGroup.b", "webpubsub.joinLeaveGroups.room-*");
    assertThat(jwt.getClaimAsStringList("webpubsub.group")).containsExactly("b", "a");
  }

  @Test
  void noWebPubSubAuthoritiesGiveAUserIdOnly() {
    Jwt jwt = jwt(this.negotiator.negotiate(signedIn("bob", "ROLE_USER")));
    assertThat(jwt.getSubject()).isEqualTo("bob");
    assertThat(jwt.getClaims()).doesNotContainKeys("role", "webpubsub.group");
  }

  @Test
  void plainPrincipalGetsItsNameOnly() {
    Principal carol = () -> "carol";
    Jwt jwt = jwt(this.negotiator.negotiate(carol));
    assertThat(jwt.getSubject()).isEqualTo("carol");
    assertThat(jwt.getClaims()).doesNotContainKeys("role", "webpubsub.group");
  }

  @Test
  void customPrefixesMapScopesAndGroups() {
    WebPubSubNegotiator scoped =
        new WebPubSubNegotiator(
            this.template, new DefaultWebPubSubClientAccessMapper("SCOPE_webpubsub.", "GROUP:"));
    Jwt jwt =
        jwt(
            scoped.negotiate(
                signedIn(
                    "dave", "SCOPE_webpubsub.sendToGroup", "webpubsub.joinLeaveGroup", "GROUP:x")));
    assertThat(jwt.getClaimAsStringList("role")).containsExactly("webpubsub.sendToGroup");
    assertThat(jwt.getClaimAsStringList("webpubsub.group")).containsExactly("x");
  }

  @Test
  void withOptionsAddsToTheMappedOptionsInOrder() {
    Jwt jwt =
        jwt(
            this.negotiator
                .withOptions((options) -> options.groups("room1"))
                .withOptions((options) -> options.roles("webpubsub.sendToGroup.room1"))
                .negotiate(signedIn("erin", "WEBPUBSUB_GROUP_lobby")));
    assertThat(jwt.getClaimAsStringList("webpubsub.group")).containsExactly("lobby", "room1");
    assertThat(jwt.getClaimAsStringList("role")).containsExactly("webpubsub.sendToGroup.room1");
  }

  @Test
  void monoOfPrincipal() {
    assertThat(jwt(this.negotiator.negotiate(Mono.just(signedIn("frank")))).getSubject())
        .isEqualTo("frank");
  }

  @Test
  void reactiveSecurityContextWinsOverTheThreads() {
    SecurityContextHolder.getContext().setAuthentication(signedIn("thread-user"));
    Mono<WebPubSubClientAccess> access =
        this.negotiator
            .negotiate()
            .contextWrite(
                ReactiveSecurityContextHolder.withAuthentication(signedIn("reactive-user")));
    assertThat(jwt(access).getSubject()).isEqualTo("reactive-user");
  }

  @Test
  void threadSecurityContextIsReadWhenCalled() {
    SecurityContextHolder.setContext(new SecurityContextImpl(signedIn("thread-user")));
    Mono<WebPubSubClientAccess> access = this.negotiator.negotiate();
    SecurityContextHolder.clearContext();
    assertThat(jwt(access).getSubject()).isEqualTo("thread-user");
  }

  @Test
  void nobodyIsRefused() {
    refused(this.negotiator.negotiate((Principal) null), "the request has none");
    refused(this.negotiator.negotiate(Mono.empty()), "the request has none");
    refused(this.negotiator.negotiate(), "the request has none");
  }

  @Test
  void anonymousIsRefused() {
    Authentication anonymous =
        new AnonymousAuthenticationToken(
            "key", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
    refused(this.negotiator.negotiate(anonymous), "the request is anonymous");
    refused(
        this.negotiator
            .negotiate()
            .contextWrite(ReactiveSecurityContextHolder.withAuthentication(anonymous)),
        "the request is anonymous");
  }

  @Test
  void unauthenticatedAndNamelessAreRefused() {
    refused(
        this.negotiator.negotiate(new TestingAuthenticationToken("mallory", "pw")),
        "the request's authentication is not authenticated");
    refused(this.negotiator.negotiate(() -> " "), "the request's principal has no name");
  }

  @Test
  void mapperIsNotCalledForARefusedUser() {
    List<Principal> mapped = new java.util.ArrayList<>();
    WebPubSubNegotiator recording =
        new WebPubSubNegotiator(
            this.template,
            (principal) -> {
              mapped.add(principal);
              return new DefaultWebPubSubClientAccessMapper().map(principal);
            });
    refused(recording.negotiate((Principal) null), "the request has none");
    assertThat(mapped).isEmpty();
  }

  @Test
  void brokenArgumentsAreRefusedByName() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new DefaultWebPubSubClientAccessMapper(" ", "G_"))
        .withMessage("roleAuthorityPrefix must not be null or blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebPubSubNegotiator(this.template, null))
        .withMessage("mapper must not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> this.negotiator.withOptions(null))
        .withMessage("customizer must not be null");
  }

  private static void refused(Mono<WebPubSubClientAccess> access, String why) {
    StepVerifier.create(access)
        .expectErrorSatisfies(
            (error) ->
                assertThat(error)
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessage("Negotiating a Web PubSub client needs a signed-in user: " + why))
        .verify(Duration.ofSeconds(10));
  }
}
