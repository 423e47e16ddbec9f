package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClientRequest;

/**
 * Sends requests with a {@link WebClient}: builds the URL, signs it (the {@code aud} is the service
 * URL exactly as sent, before any reverse-proxy rewrite), applies the response timeout to each
 * attempt and retries as the {@link RetryPolicy} allows.
 *
 * <p>With a Reactor Netty connector the response timeout is Reactor Netty's per-request {@link
 * HttpClientRequest#responseTimeout(Duration)} (a read-timeout handler on the channel, no timer
 * task per request); with any other connector, and until the first request has shown which
 * connector is in use, a Reactor {@code timeout()} on each attempt.
 */
public final class HttpWebPubSubExchange implements WebPubSubExchange {

  private static final Log logger = LogFactory.getLog(HttpWebPubSubExchange.class);

  private static final byte[] NO_BODY = new byte[0];

  private final WebClient webClient;

  private final String endpoint;

  private final @Nullable String reverseProxy;

  private final RequestAuthorizer authorizer;

  private final RetryPolicy retryPolicy;

  private final Duration responseTimeout;

  private final Scheduler scheduler;

  /** Sets the response timeout on Reactor Netty's request; the same instance for every request. */
  private final Consumer<ClientHttpRequest> nativeResponseTimeout;

  /** Whether a request has shown that the connector is Reactor Netty's (so no Reactor timeout). */
  private volatile boolean reactorNettyConnector;

  /**
   * Creates an exchange.
   *
   * @param webClient the client (its connector carries the connect timeout)
   * @param endpoint the service endpoint without trailing slash
   * @param reverseProxy the reverse proxy endpoint without trailing slash, or {@code null}
   * @param authorizer signs each attempt
   * @param retryPolicy decides retries
   * @param responseTimeout limit of each attempt
   * @param scheduler runs retry delays and timeouts
   */
  public HttpWebPubSubExchange(
      WebClient webClient,
      String endpoint,
      @Nullable String reverseProxy,
      RequestAuthorizer authorizer,
      RetryPolicy retryPolicy,
      Duration responseTimeout,
      Scheduler scheduler) {
    this.webClient = webClient;
    this.endpoint = endpoint;
    this.reverseProxy = reverseProxy;
    this.authorizer = authorizer;
    this.retryPolicy = retryPolicy;
    this.responseTimeout = responseTimeout;
    this.scheduler = scheduler;
    this.nativeResponseTimeout = this::setNativeResponseTimeout;
  }

  private void setNativeResponseTimeout(ClientHttpRequest request) {
    if (request.getNativeRequest() instanceof HttpClientRequest nettyRequest) {
      nettyRequest.responseTimeout(this.responseTimeout);
      if (!this.reactorNettyConnector) {
        this.reactorNettyConnector = true;
      }
    }
  }

  @Override
  public Mono<WebPubSubResponse> exchange(WebPubSubRequest request) {
    String serviceUrl =
        request.isAbsolute() ? request.pathAndQuery() : this.endpoint + request.pathAndQuery();
    URI target;
    try {
      target = URI.create(toWireUrl(serviceUrl));
    } catch (IllegalArgumentException ex) {
      return Mono.error(
          new WebPubSubException(
              ErrorMapper.describe(request) + " has an invalid URL: " + ex.getMessage(),
              0,
              null,
              null,
              ex));
    }
    return attempt(request, serviceUrl, target, 0);
  }

  /** The URL the request is sent to: the service URL, or the reverse proxy plus path and query. */
  private String toWireUrl(String serviceUrl) {
    if (this.reverseProxy == null) {
      return serviceUrl;
    }
    URI uri = URI.create(serviceUrl);
    String pathAndQuery =
        (uri.getRawPath() != null ? uri.getRawPath() : "")
            + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
    return this.reverseProxy + pathAndQuery;
  }

  private Mono<WebPubSubResponse> attempt(
      WebPubSubRequest request, String audience, URI target, int retriesSoFar) {
    Mono<WebPubSubResponse> answer =
        this.authorizer.bearerToken(audience).flatMap(token -> send(request, target, token));
    if (!this.reactorNettyConnector) {
      answer = answer.timeout(this.responseTimeout, this.scheduler);
    }
    return answer
        .flatMap(
            response -> {
              if (response.isSuccess()
                  || (response.statusCode() == 404 && request.notFoundIsAnswer())) {
                return Mono.just(response);
              }
              return retryOrFail(
                  request,
                  audience,
                  target,
                  retriesSoFar,
                  response,
                  null,
                  ErrorMapper.fromResponse(request, response));
            })
        .onErrorResume(
            error -> !(error instanceof WebPubSubException),
            error -> {
              Throwable failure = asTimeout(error);
              return retryOrFail(
                  request,
                  audience,
                  target,
                  retriesSoFar,
                  null,
                  failure,
                  toException(request, failure));
            });
  }

  private Mono<WebPubSubResponse> retryOrFail(
      WebPubSubRequest request,
      String audience,
      URI target,
      int retriesSoFar,
      @Nullable WebPubSubResponse response,
      @Nullable Throwable error,
      Throwable failure) {
    Duration delay = this.retryPolicy.delayBeforeRetry(request, retriesSoFar, response, error);
    if (delay == null) {
      return Mono.error(failure);
    }
    if (logger.isDebugEnabled()) {
      logger.debug(
          "Retrying "
              + ErrorMapper.describe(request)
              + " in "
              + delay.toMillis()
              + " ms (retry "
              + (retriesSoFar + 1)
              + " of "
              + this.retryPolicy.settings().maxRetries()
              + ") after: "
              + failure.getMessage());
    }
    return Mono.deferContextual(
            context -> {
              RetryListener listener = context.getOrDefault(RetryListener.KEY, null);
              if (listener != null) {
                listener.retrying(retriesSoFar + 1, response, failure);
              }
              return Mono.delay(delay, this.scheduler);
            })
        .then(Mono.defer(() -> attempt(request, audience, target, retriesSoFar + 1)));
  }

  private Throwable toException(WebPubSubRequest request, Throwable error) {
    if (error instanceof TimeoutException) {
      return ErrorMapper.timeout(request, this.responseTimeout, error);
    }
    if (RetryPolicy.isTransportError(error)) {
      return ErrorMapper.transport(request, error);
    }
    return error;
  }

  /**
   * Reactor Netty's response timeout as the {@link TimeoutException} a Reactor {@code timeout()}
   * signals, so that the retry rules and the error message are the same for both.
   */
  private Throwable asTimeout(Throwable error) {
    if (!isResponseTimeout(error)) {
      return error;
    }
    TimeoutException timeout =
        new TimeoutException("No answer within the response timeout of " + this.responseTimeout);
    timeout.initCause(error);
    return timeout;
  }

  /** Whether the error is Reactor Netty's response timeout (wrapped by WebClient). */
  static boolean isResponseTimeout(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ReadTimeoutException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private Mono<WebPubSubResponse> send(WebPubSubRequest request, URI target, String token) {
    WebClient.RequestBodySpec spec =
        this.webClient
            .method(request.method())
            .uri(target)
            .httpRequest(this.nativeResponseTimeout)
            .headers(
                headers -> {
                  headers.setBearerAuth(token);
                  if (request.contentType() != null) {
                    headers.set(HttpHeaders.CONTENT_TYPE, request.contentType());
                  }
                });
    byte[] body = request.body();
    WebClient.RequestHeadersSpec<?> ready = (body != null) ? spec.bodyValue(body) : spec;
    return ready.exchangeToMono(
        response -> {
          int status = response.statusCode().value();
          if (status >= 200 && status < 300 && !request.readsBody()) {
            // Nothing to read: hand the connection back without decoding the body.
            return response
                .releaseBody()
                .thenReturn(
                    new WebPubSubResponse(status, response.headers().asHttpHeaders(), NO_BODY));
          }
          return response
              .bodyToMono(byte[].class)
              .defaultIfEmpty(NO_BODY)
              .map(
                  bytes ->
                      new WebPubSubResponse(status, response.headers().asHttpHeaders(), bytes));
        });
  }

  @Override
  public String toString() {
    return "HttpWebPubSubExchange[endpoint="
        + this.endpoint
        + ", reverseProxy="
        + this.reverseProxy
        + ", responseTimeout="
        + this.responseTimeout
        + "]";
  }
}
