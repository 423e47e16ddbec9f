package io.github.webpubsub.security;

import io.github.webpubsub.core.ClientAccessOptions;
import io.github.webpubsub.core.WebPubSubClientAccess;
import io.github.webpubsub.core.WebPubSubOperations;
import java.security.Principal;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import reactor.core.publisher.Mono;

/**
 * Negotiates a client URL for the signed-in user in one call: the user id, roles and groups come
 * from the request's {@link Principal} (Spring Security's {@link Authentication}) through a {@link
 * WebPubSubClientAccessMapper}, the token from {@link
 * WebPubSubOperations#getClientAccessToken(ClientAccessOptions)}.
 *
 * <pre>{@code
 * @GetMapping("/negotiate")
 * Mono<Map<String, String>> negotiate(Principal principal) {     // WebFlux and Spring MVC
 *   return negotiator.negotiate(principal).map((access) -> Map.of("url", access.url()));
 * }
 * }</pre>
 *
 * <p>A request without a signed-in user (no principal, Spring Security's anonymous user, an {@code
 * Authentication} that is not authenticated, or a blank name) gets no token: the {@code Mono} fails
 * with an {@link AccessDeniedException}, which Spring Security's exception translation answers as
 * for any protected resource (401 through the authentication entry point, on WebFlux and on Spring
 * MVC). Nothing is signed for it.
 *
 * <p>Immutable and thread-safe; {@link #withOptions(UnaryOperator)} derives a negotiator that
 * adjusts the mapped options per request, e.g. to join a room the request names.
 *
 * @since 0.1.0
 */
public final class WebPubSubNegotiator {

  private static final AuthenticationTrustResolver TRUST_RESOLVER =
      new AuthenticationTrustResolverImpl();

  private final WebPubSubOperations operations;

  private final WebPubSubClientAccessMapper mapper;

  private final UnaryOperator<ClientAccessOptions> customizer;

  /**
   * A negotiator with the {@link DefaultWebPubSubClientAccessMapper default mapping}.
   *
   * @param operations issues the tokens (its hub is the hub the client connects to)
   */
  public WebPubSubNegotiator(WebPubSubOperations operations) {
    this(operations, new DefaultWebPubSubClientAccessMapper());
  }

  /**
   * A negotiator with the given mapping.
   *
   * @param operations issues the tokens (its hub is the hub the client connects to)
   * @param mapper decides what a signed-in user's token grants
   */
  public WebPubSubNegotiator(WebPubSubOperations operations, WebPubSubClientAccessMapper mapper) {
    this(operations, mapper, UnaryOperator.identity());
  }

  private WebPubSubNegotiator(
      WebPubSubOperations operations,
      WebPubSubClientAccessMapper mapper,
      UnaryOperator<ClientAccessOptions> customizer) {
    if (operations == null) {
      throw new IllegalArgumentException("operations must not be null");
    }
    if (mapper == null) {
      throw new IllegalArgumentException("mapper must not be null");
    }
    this.operations = operations;
    this.mapper = mapper;
    this.customizer = customizer;
  }

  /**
   * A negotiator that also applies the customizer to the mapped options of every request, after
   * this one's own.
   *
   * <pre>{@code
   * negotiator.withOptions((options) -> options.groups(room)).negotiate(principal)
   * }</pre>
   *
   * @param customizer adjusts the mapped options; must not return {@code null}
   * @return a new negotiator
   */
  public WebPubSubNegotiator withOptions(UnaryOperator<ClientAccessOptions> customizer) {
    if (customizer == null) {
      throw new IllegalArgumentException("customizer must not be null");
    }
    UnaryOperator<ClientAccessOptions> first = this.customizer;
    return new WebPubSubNegotiator(
        this.operations, this.mapper, (options) -> customizer.apply(first.apply(options)));
  }

  /**
   * Client access for the given user, e.g. a {@code Principal} or {@code Authentication} parameter
   * of a {@code @GetMapping} method (Spring MVC and WebFlux resolve both).
   *
   * @param principal the signed-in user; {@code null} or anonymous is refused
   * @return the client URL and token, or an {@link AccessDeniedException} for no signed-in user
   */
  public Mono<WebPubSubClientAccess> negotiate(@Nullable Principal principal) {
    return Mono.defer(() -> this.operations.getClientAccessToken(options(principal)));
  }

  /**
   * Client access for the user a {@code Mono} gives, e.g. a {@code Mono<Authentication>} parameter
   * of a WebFlux handler method or {@code ServerWebExchange.getPrincipal()}.
   *
   * @param principal the signed-in user; empty or anonymous is refused
   * @return the client URL and token, or an {@link AccessDeniedException} for no signed-in user
   */
  public Mono<WebPubSubClientAccess> negotiate(Mono<? extends Principal> principal) {
    if (principal == null) {
      throw new IllegalArgumentException("principal must not be null");
    }
    return principal
        .<Principal>map((user) -> user)
        .defaultIfEmpty(NoPrincipal.INSTANCE)
        .flatMap(this::negotiate);
  }

  /**
   * Client access for the user of Spring Security's current security context: the reactive one
   * (WebFlux, {@link ReactiveSecurityContextHolder}) when the subscriber's context has one, else
   * the thread's ({@link SecurityContextHolder}, Spring MVC) as it is when this method is called.
   *
   * @return the client URL and token, or an {@link AccessDeniedException} for no signed-in user
   */
  public Mono<WebPubSubClientAccess> negotiate() {
    Authentication threadAuthentication = SecurityContextHolder.getContext().getAuthentication();
    return ReactiveSecurityContextHolder.getContext()
        .<Principal>mapNotNull(SecurityContext::getAuthentication)
        .switchIfEmpty(Mono.justOrEmpty(threadAuthentication))
        .defaultIfEmpty(NoPrincipal.INSTANCE)
        .flatMap(this::negotiate);
  }

  private ClientAccessOptions options(@Nullable Principal principal) {
    String refusal = refusal(principal);
    if (refusal != null || principal == null) {
      throw new AccessDeniedException(
          "Negotiating a Web PubSub client needs a signed-in user: " + refusal);
    }
    ClientAccessOptions mapped = this.mapper.map(principal);
    if (mapped == null) {
      throw new IllegalStateException(this.mapper + " mapped a user to null");
    }
    ClientAccessOptions customized = this.customizer.apply(mapped);
    if (customized == null) {
      throw new IllegalStateException("A withOptions customizer returned null");
    }
    return customized;
  }

  private static @Nullable String refusal(@Nullable Principal principal) {
    if (principal == null || principal == NoPrincipal.INSTANCE) {
      return "the request has none";
    }
    if (principal instanceof Authentication authentication) {
      if (TRUST_RESOLVER.isAnonymous(authentication)) {
        return "the request is anonymous";
      }
      if (!authentication.isAuthenticated()) {
        return "the request's authentication is not authenticated";
      }
    }
    String name = principal.getName();
    if (name == null || name.isBlank()) {
      return "the request's principal has no name";
    }
    return null;
  }

  @Override
  public String toString() {
    return "WebPubSubNegotiator[mapper=" + this.mapper + "]";
  }

  /** Stands for "no principal" in a {@code Mono}, which cannot hold {@code null}. */
  private static final class NoPrincipal implements Principal {

    static final NoPrincipal INSTANCE = new NoPrincipal();

    @Override
    public String getName() {
      return "";
    }
  }
}
