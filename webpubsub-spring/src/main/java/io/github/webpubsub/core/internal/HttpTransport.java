package io.github.webpubsub.core.internal;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;

/**
 * Sends one signed attempt of a {@link WebPubSubRequest} over HTTP and reads its answer; {@link
 * HttpWebPubSubExchange} adds URLs, signing, retries and error mapping around it.
 */
public interface HttpTransport {

  /**
   * Sends one attempt.
   *
   * @param request the request (method, content type, body, whether the answer's body is read)
   * @param target the URL to send to
   * @param token the bearer token
   * @param propagation trace headers to send (set, replacing any of the same name); often empty
   * @return the answer, with its body read only for errors and for requests that read it, and never
   *     beyond {@link WebPubSubResponse#MAX_BODY_BYTES} (a {@link ReplyTooLargeException})
   */
  Mono<WebPubSubResponse> send(
      WebPubSubRequest request, URI target, String token, HttpHeaders propagation);

  /**
   * Whether this transport enforces the response timeout itself; when not, the exchange bounds each
   * attempt with a Reactor {@code timeout()}.
   */
  boolean enforcesResponseTimeout();
}
