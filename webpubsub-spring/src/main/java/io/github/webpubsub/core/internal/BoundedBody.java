package io.github.webpubsub.core.internal;

import java.io.ByteArrayOutputStream;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Collects an answer's body up to {@link WebPubSubResponse#MAX_BODY_BYTES}, never beyond. */
final class BoundedBody {

  private static final byte[] NO_BODY = new byte[0];

  private BoundedBody() {}

  /**
   * Collects the chunks.
   *
   * @param headers the answer's headers (a larger {@code Content-Length} fails before reading)
   * @param chunks the body's chunks, each a copy the caller owns
   * @param statusCode the answer's status, carried by the failure
   * @return the body, or a {@link ReplyTooLargeException} once it passes the limit
   */
  static Mono<byte[]> collect(HttpHeaders headers, Flux<byte[]> chunks, int statusCode) {
    if (headers.getContentLength() > WebPubSubResponse.MAX_BODY_BYTES) {
      return Mono.error(new ReplyTooLargeException(statusCode));
    }
    return chunks
        .collect(
            ByteArrayOutputStream::new,
            (out, chunk) -> {
              if (out.size() + (long) chunk.length > WebPubSubResponse.MAX_BODY_BYTES) {
                throw new ReplyTooLargeException(statusCode);
              }
              out.writeBytes(chunk);
            })
        .map((out) -> (out.size() == 0) ? NO_BODY : out.toByteArray());
  }
}
