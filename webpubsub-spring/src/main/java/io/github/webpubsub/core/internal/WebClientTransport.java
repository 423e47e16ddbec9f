package io.github.webpubsub.core.internal;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClientRequest;

/**
 * Sends with a {@link WebClient}, so that its filters, codecs, connector settings and HTTP client
 * observations apply.
 *
 * <p>With a Reactor Netty connector the response timeout is Reactor Netty's per-request {@link
 * HttpClientRequest#responseTimeout(Duration)} (a read-timeout handler on the channel, no timer
 * task per request); until the first request has shown the connector, and with any other connector,
 * the exchange applies a Reactor {@code timeout()}.
 */
public final class WebClientTransport implements HttpTransport {

  private static final byte[] NO_BODY = new byte[0];

  private final WebClient webClient;

  private final Duration responseTimeout;

  /** Sets the response timeout on Reactor Netty's request; the same instance for every request. */
  private final Consumer<ClientHttpRequest> nativeResponseTimeout;

  /** Whether a request has shown that the connector is Reactor Netty's. */
  private volatile boolean reactorNettyConnector;

  /**
   * Creates a transport.
   *
   * @param webClient the client (its connector carries the connect timeout)
   * @param responseTimeout limit of each attempt, set on Reactor Netty requests
   */
  public WebClientTransport(WebClient webClient, Duration responseTimeout) {
    this.webClient = webClient;
    this.responseTimeout = responseTimeout;
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
  public boolean enforcesResponseTimeout() {
    return this.reactorNettyConnector;
  }

  @Override
  public Mono<WebPubSubResponse> send(
      WebPubSubRequest request, URI target, String token, HttpHeaders propagation) {
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
                  // WebClient's own observation, when on, sets its child span's headers over these.
                  propagation.forEach(headers::put);
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
          HttpHeaders headers = response.headers().asHttpHeaders();
          // Read as raw buffers, not through the codecs: their in-memory limit is the
          // application's setting, and its overflow would not say which operation failed.
          Flux<byte[]> chunks =
              response
                  .bodyToFlux(DataBuffer.class)
                  .map(
                      buffer -> {
                        try {
                          byte[] bytes = new byte[buffer.readableByteCount()];
                          buffer.read(bytes);
                          return bytes;
                        } finally {
                          DataBufferUtils.release(buffer);
                        }
                      });
          return BoundedBody.collect(headers, chunks, status)
              .map(bytes -> new WebPubSubResponse(status, headers, bytes));
        });
  }

  @Override
  public String toString() {
    return "WebClientTransport[responseTimeout=" + this.responseTimeout + "]";
  }
}
