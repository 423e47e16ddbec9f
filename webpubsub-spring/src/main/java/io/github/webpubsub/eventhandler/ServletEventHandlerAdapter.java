package io.github.webpubsub.eventhandler;

import io.github.webpubsub.eventhandler.internal.EventHandlerCore;
import io.github.webpubsub.eventhandler.internal.EventHandlerRequest;
import io.github.webpubsub.eventhandler.internal.EventHandlerResponse;
import io.github.webpubsub.eventhandler.internal.PayloadTooLargeException;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.util.MultiValueMap;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Serves a {@link WebPubSubEventHandler} in a Spring MVC application through a router function;
 * answers asynchronously when a listener returns a {@code Mono} that completes later. When the
 * asynchronous request ends before the answer (the container's async timeout, a connection error),
 * the listener's {@code Mono} is cancelled, as WebFlux cancels it when the service gives up.
 *
 * @since 0.1.0
 */
public final class ServletEventHandlerAdapter {

  private ServletEventHandlerAdapter() {}

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
        request -> handle(request, core));
  }

  private static ServerResponse handle(ServerRequest request, EventHandlerCore core) {
    CompletableFuture<ServerResponse> future =
        core.handle(new Request(request)).map(ServletEventHandlerAdapter::write).toFuture();
    if (future.isDone()) {
      try {
        return future.join();
      } catch (CompletionException ex) {
        throw new IllegalStateException("Event handler failed", ex.getCause());
      }
    }
    return new CancellingAsyncResponse(ServerResponse.async(future), future);
  }

  private static ServerResponse write(EventHandlerResponse response) {
    ServerResponse.BodyBuilder builder = ServerResponse.status(response.status());
    for (Map.Entry<String, String> header : response.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    return (response.body().length == 0) ? builder.build() : builder.body(response.body());
  }

  /**
   * Spring MVC's asynchronous response, which does not cancel its future when the request times out
   * or fails; this one does, so the listener's {@code Mono} does not outlive the request.
   */
  private record CancellingAsyncResponse(
      ServerResponse delegate, CompletableFuture<ServerResponse> future)
      implements ServerResponse, AsyncListener {

    @Override
    public HttpStatusCode statusCode() {
      return this.delegate.statusCode();
    }

    @Override
    public HttpHeaders headers() {
      return this.delegate.headers();
    }

    @Override
    public MultiValueMap<String, Cookie> cookies() {
      return this.delegate.cookies();
    }

    @Override
    public @Nullable ModelAndView writeTo(
        HttpServletRequest request, HttpServletResponse response, Context context)
        throws ServletException, IOException {
      ModelAndView result = this.delegate.writeTo(request, response, context);
      if (request.isAsyncStarted()) {
        request.getAsyncContext().addListener(this);
      }
      return result;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      this.future.cancel(false);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      this.future.cancel(false);
    }

    @Override
    public void onError(AsyncEvent event) {
      this.future.cancel(false);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // added after the start
    }
  }

  private static final class Request implements EventHandlerRequest {

    private final ServerRequest request;

    private final HttpHeaders headers;

    Request(ServerRequest request) {
      this.request = request;
      this.headers = rawHeaders(request.servletRequest());
    }

    /** The headers as sent; Spring's view would add the container's default charset. */
    private static HttpHeaders rawHeaders(HttpServletRequest servletRequest) {
      HttpHeaders headers = new HttpHeaders();
      for (String name : Collections.list(servletRequest.getHeaderNames())) {
        for (String value : Collections.list(servletRequest.getHeaders(name))) {
          headers.add(name, value);
        }
      }
      return headers;
    }

    @Override
    public String method() {
      return this.request.method().name();
    }

    @Override
    public HttpHeaders headers() {
      return this.headers;
    }

    @Override
    public Mono<byte[]> body(int maxBytes) {
      return Mono.fromCallable(
          () -> {
            long length = headers().getContentLength();
            if (length > maxBytes) {
              throw new PayloadTooLargeException(maxBytes);
            }
            try (InputStream in = this.request.servletRequest().getInputStream()) {
              byte[] bytes = in.readNBytes(maxBytes + 1);
              if (bytes.length > maxBytes) {
                throw new PayloadTooLargeException(maxBytes);
              }
              return bytes;
            } catch (IOException ex) {
              throw new UncheckedIOException(ex);
            }
          });
    }
  }
}
