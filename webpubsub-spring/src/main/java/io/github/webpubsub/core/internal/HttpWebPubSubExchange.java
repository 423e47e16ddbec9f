package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Sends requests over an {@link HttpTransport}: builds the URL, signs it (the {@code aud} is the
 * service URL exactly as sent, before any reverse-proxy rewrite), bounds each attempt by the
 * response timeout and retries as the {@link RetryPolicy} allows.
 */
public final class HttpWebPubSubExchange implements WebPubSubExchange {

  private static final Log logger = LogFactory.getLog(HttpWebPubSubExchange.class);

  private final HttpTransport transport;

  private final String endpoint;

  private final @Nullable String reverseProxy;

  private final RequestAuthorizer authorizer;

  private final RetryPolicy retryPolicy;

  private final Duration responseTimeout;

  private final Scheduler scheduler;

  /**
   * Creates an exchange.
   *
   * @param transport sends each attempt
   * @param endpoint the service endpoint without trailing slash
   * @param reverseProxy the reverse proxy endpoint without trailing slash, or {@code null}
   * @param authorizer signs each attempt
   * @param retryPolicy decides retries
   * @param responseTimeout limit of each attempt
   * @param scheduler runs retry delays and timeouts
   */
  public HttpWebPubSubExchange(
      HttpTransport transport,
      String endpoint,
      @Nullable String reverseProxy,
      RequestAuthorizer authorizer,
      RetryPolicy retryPolicy,
      Duration responseTimeout,
      Scheduler scheduler) {
    this.transport = transport;
    this.endpoint = endpoint;
    this.reverseProxy = reverseProxy;
    this.authorizer = authorizer;
    this.retryPolicy = retryPolicy;
    this.responseTimeout = responseTimeout;
    this.scheduler = scheduler;
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
              request.operation()
                  + ((request.hub() != null) ? " on hub '" + request.hub() + "'" : "")
                  + " has an invalid URL: "
                  + ex.getMessage(),
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
        Mono.deferContextual(
            context -> {
              HttpHeaders written = context.getOrDefault(PropagationHeaders.KEY, null);
              HttpHeaders propagation = (written != null) ? written : PropagationHeaders.NONE;
              return this.authorizer
                  .bearerToken(audience)
                  .flatMap(token -> this.transport.send(request, target, token, propagation));
            });
    if (!this.transport.enforcesResponseTimeout()) {
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
                  ErrorMapper.fromResponse(request, target, response));
            })
        .onErrorMap(
            ReplyTooLargeException.class,
            tooLarge -> ErrorMapper.tooLarge(request, target, tooLarge))
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
                  toException(request, target, failure));
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
              + ErrorMapper.describe(request, target)
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
              RetryListener listener = RetryListener.of(context);
              if (listener != null) {
                listener.retrying(retriesSoFar + 1, response, failure);
              }
              return Mono.delay(delay, this.scheduler);
            })
        .then(Mono.defer(() -> attempt(request, audience, target, retriesSoFar + 1)));
  }

  private Throwable toException(WebPubSubRequest request, URI target, Throwable error) {
    if (error instanceof TimeoutException) {
      return ErrorMapper.timeout(request, target, this.responseTimeout, error);
    }
    if (RetryPolicy.isTransportError(error)) {
      return ErrorMapper.transport(request, target, error);
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

  /** Whether the error is Reactor Netty's response timeout (possibly wrapped by WebClient). */
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

  @Override
  public String toString() {
    return "HttpWebPubSubExchange[transport="
        + this.transport
        + ", endpoint="
        + this.endpoint
        + ", reverseProxy="
        + this.reverseProxy
        + ", responseTimeout="
        + this.responseTimeout
        + "]";
  }
}
