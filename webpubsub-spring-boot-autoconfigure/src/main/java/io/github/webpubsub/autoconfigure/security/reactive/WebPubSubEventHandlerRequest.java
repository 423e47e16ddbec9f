package io.github.webpubsub.autoconfigure.security.reactive;

import io.github.webpubsub.autoconfigure.eventhandler.WebPubSubEventHandlerProperties;
import java.util.function.Supplier;
import org.springframework.boot.security.web.reactive.ApplicationContextServerWebExchangeMatcher;
import org.springframework.security.web.server.csrf.CsrfWebFilter;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Matchers for the event-handler endpoint in a {@code SecurityWebFilterChain}, in the manner of
 * Boot's {@code EndpointRequest} and {@code PathRequest}: the path comes from {@code
 * webpubsub.event-handler.path} when the first request arrives.
 *
 * <pre>{@code
 * http.authorizeExchange((exchanges) -> exchanges
 *         .matchers(WebPubSubEventHandlerRequest.toEventHandler()).permitAll()
 *         .anyExchange().authenticated())
 *     .csrf((csrf) -> csrf.requireCsrfProtectionMatcher(
 *         WebPubSubEventHandlerRequest.csrfProtectedExceptEventHandler()));
 * }</pre>
 *
 * <p>Permitting the endpoint lets the service in; its requests are still checked against the access
 * keys ({@code ce-signature}) before any listener runs.
 *
 * @since 0.1.0
 */
public final class WebPubSubEventHandlerRequest {

  private WebPubSubEventHandlerRequest() {}

  /**
   * Matches requests to the event-handler endpoint and below it.
   *
   * @return the matcher
   */
  public static ServerWebExchangeMatcher toEventHandler() {
    return new EventHandlerMatcher();
  }

  /**
   * Spring Security's default CSRF matcher, minus the event-handler endpoint: the service's
   * requests carry no CSRF token.
   *
   * @return the matcher for {@code requireCsrfProtectionMatcher}
   */
  public static ServerWebExchangeMatcher csrfProtectedExceptEventHandler() {
    return new AndServerWebExchangeMatcher(
        CsrfWebFilter.DEFAULT_CSRF_MATCHER, new NegatedServerWebExchangeMatcher(toEventHandler()));
  }

  private static final class EventHandlerMatcher
      extends ApplicationContextServerWebExchangeMatcher<WebPubSubEventHandlerProperties> {

    private volatile ServerWebExchangeMatcher delegate = (exchange) -> MatchResult.notMatch();

    EventHandlerMatcher() {
      super(WebPubSubEventHandlerProperties.class);
    }

    @Override
    protected void initialized(Supplier<WebPubSubEventHandlerProperties> properties) {
      String path = properties.get().getPath();
      this.delegate = ServerWebExchangeMatchers.pathMatchers(path, path + "/**");
    }

    @Override
    protected Mono<MatchResult> matches(
        ServerWebExchange exchange, Supplier<WebPubSubEventHandlerProperties> properties) {
      return this.delegate.matches(exchange);
    }
  }
}
