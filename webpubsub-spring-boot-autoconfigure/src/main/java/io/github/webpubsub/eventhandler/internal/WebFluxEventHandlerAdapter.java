package io.github.webpubsub.eventhandler.internal;

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

/** Serves the event handler core in a WebFlux application through a router function. */
public final class WebFluxEventHandlerAdapter {

  private WebFluxEventHandlerAdapter() {}

  /**
   * Routes {@code path} and anything below it (for URL templates with {@code /{event}}) to the
   * core.
   *
   * @param path the endpoint path, e.g. {@code /eventhandler}
   * @param core the core
   * @return the router function
   */
  public static RouterFunction<ServerResponse> routerFunction(String path, EventHandlerCore core) {
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
