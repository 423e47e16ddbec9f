package io.github.webpubsub.core.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.support.Netty4HeadersAdapter;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Sends with a Reactor Netty {@link HttpClient} directly: no {@code WebClient} layers (request and
 * response wrappers, codecs, filters), about half their allocation and CPU per request. The
 * response timeout is Reactor Netty's per-request {@code responseTimeout}. Redirects are never
 * followed: the service does not redirect, and a request's bearer token is bound to its URL and
 * must not travel to another one; a 3xx answer is an error.
 */
public final class ReactorNettyTransport implements HttpTransport {

  private static final byte[] NO_BODY = new byte[0];

  private final HttpClient httpClient;

  private final Duration responseTimeout;

  /**
   * Creates a transport.
   *
   * @param httpClient the client (its configuration carries the connect timeout, SSL and proxy);
   *     its redirect following is turned off
   * @param responseTimeout limit of each attempt
   */
  public ReactorNettyTransport(HttpClient httpClient, Duration responseTimeout) {
    this.httpClient = httpClient.followRedirect(false);
    this.responseTimeout = responseTimeout;
  }

  @Override
  public boolean enforcesResponseTimeout() {
    return true;
  }

  @Override
  public Mono<WebPubSubResponse> send(
      WebPubSubRequest request, URI target, String token, HttpHeaders propagation) {
    byte[] body = request.body();
    String contentType = request.contentType();
    return this.httpClient
        .request(HttpMethod.valueOf(request.method().name()))
        .uri(target)
        .send(
            (nettyRequest, outbound) -> {
              nettyRequest
                  .responseTimeout(this.responseTimeout)
                  .header(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
              if (contentType != null) {
                nettyRequest.header(HttpHeaderNames.CONTENT_TYPE, contentType);
              }
              propagation.forEach(
                  (name, values) -> nettyRequest.requestHeaders().set(name, values));
              return (body != null) ? outbound.sendByteArray(Mono.just(body)) : outbound;
            })
        .response(
            (response, content) -> {
              int status = response.status().code();
              if (status >= 200 && status < 300 && !request.readsBody()) {
                // Nothing to read: the body is released unread.
                return content.then(Mono.fromSupplier(() -> answer(response, status, NO_BODY)));
              }
              HttpHeaders headers = headers(response);
              return BoundedBody.collect(headers, content.asByteArray(), status)
                  .map(bytes -> new WebPubSubResponse(status, headers, bytes));
            })
        .next();
  }

  private static WebPubSubResponse answer(HttpClientResponse response, int status, byte[] body) {
    return new WebPubSubResponse(status, headers(response), body);
  }

  private static HttpHeaders headers(HttpClientResponse response) {
    return new HttpHeaders(new Netty4HeadersAdapter(response.responseHeaders()));
  }

  @Override
  public String toString() {
    return "ReactorNettyTransport[responseTimeout=" + this.responseTimeout + "]";
  }
}
