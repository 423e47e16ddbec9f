package io.github.webpubsub.eventhandler;

import io.github.webpubsub.eventhandler.internal.EventHandlerCore;
import io.github.webpubsub.eventhandler.internal.EventHandlerRequest;
import io.github.webpubsub.eventhandler.internal.EventHandlerResponse;
import io.github.webpubsub.eventhandler.internal.PayloadTooLargeException;
import java.util.Map;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Serves a {@link WebPubSubEventHandler} in a WebFlux application through a router function:
 *
 * <pre>{@code
 * @Bean
 * RouterFunction<ServerResponse> eventHandlerRoute(WebPubSubEventHandler eventHandler) {
 *   return WebFluxEventHandlerAdapter.routerFunction("/eventhandler", eventHandler);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class WebFluxEventHandlerAdapter {

  private WebFluxEventHandlerAdapter() {}

  /**
   * Routes {@code path} and anything below it (for URL templates with {@code /{event}}) to the
   * event handler.
   *
   * @param path the endpoint path, e.g. {@code /eventhandler}
   * @param eventHandler the event handler
   * @return the router function
   * @since 0.1.0
   */
  public static RouterFunction<ServerResponse> routerFunction(
      String path, WebPubSubEventHandler eventHandler) {
    EventHandlerCore core = eventHandler.core();
    return RouterFunctions.route(
        RequestPredicates.path(path).or(RequestPredicates.path(path + "/**")),
        request -> core.handle(new Request(request)).flatMap(WebFluxEventHandlerAdapter::write));
  }

  private static Mono<ServerResponse> write(EventHandlerResponse response) {
    ServerResponse.BodyBuilder builder = ServerResponse.status(response.status());
    for (Map.Entry<String, String> header : response.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    return (response.body().length == 0) ? builder.build() : builder.bodyValue(response.body());
  }

  private record Request(ServerRequest request) implements EventHandlerRequest {

    @Override
    public String method() {
      return this.request.method().name();
    }

    @Override
    public HttpHeaders headers() {
      return this.request.headers().asHttpHeaders();
    }

    @Override
    public Mono<byte[]> body(int maxBytes) {
      long length = headers().getContentLength();
      if (length > maxBytes) {
        return Mono.error(new PayloadTooLargeException(maxBytes));
      }
      return DataBufferUtils.join(this.request.exchange().getRequest().getBody(), maxBytes)
          .map(
              buffer -> {
                byte[] bytes = new byte[buffer.readableByteCount()];
                buffer.read(bytes);
                DataBufferUtils.release(buffer);
                return bytes;
              })
          .onErrorMap(DataBufferLimitException.class, ex -> new PayloadTooLargeException(maxBytes))
          .defaultIfEmpty(new byte[0]);
    }
  }
}
