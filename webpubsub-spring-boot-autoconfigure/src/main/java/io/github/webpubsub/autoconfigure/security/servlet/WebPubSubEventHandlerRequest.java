package io.github.webpubsub.autoconfigure.security.servlet;

import io.github.webpubsub.autoconfigure.eventhandler.WebPubSubEventHandlerProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Supplier;
import org.springframework.boot.security.web.servlet.ApplicationContextRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * A matcher for the event-handler endpoint in a {@code SecurityFilterChain}, in the manner of
 * Boot's {@code EndpointRequest} and {@code PathRequest}: the path comes from {@code
 * webpubsub.event-handler.path} when the first request arrives.
 *
 * <pre>{@code
 * http.authorizeHttpRequests((requests) -> requests
 *         .requestMatchers(WebPubSubEventHandlerRequest.toEventHandler()).permitAll()
 *         .anyRequest().authenticated())
 *     .csrf((csrf) -> csrf.ignoringRequestMatchers(WebPubSubEventHandlerRequest.toEventHandler()));
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
  public static RequestMatcher toEventHandler() {
    return new EventHandlerMatcher();
  }

  private static final class EventHandlerMatcher
      extends ApplicationContextRequestMatcher<WebPubSubEventHandlerProperties> {

    private volatile String path = "";

    EventHandlerMatcher() {
      super(WebPubSubEventHandlerProperties.class);
    }

    @Override
    protected void initialized(Supplier<WebPubSubEventHandlerProperties> properties) {
      this.path = properties.get().getPath();
    }

    @Override
    protected boolean matches(
        HttpServletRequest request, Supplier<WebPubSubEventHandlerProperties> properties) {
      String uri = request.getRequestURI();
      String within = uri.substring(Math.min(request.getContextPath().length(), uri.length()));
      return within.equals(this.path) || within.startsWith(this.path + "/");
    }
  }
}
