package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

/** An answer's body is read up to 1 MiB and not a byte beyond. */
class BoundedBodyTests {

  static final int MAX = WebPubSubResponse.MAX_BODY_BYTES;

  static HttpHeaders contentLength(long length) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentLength(length);
    return headers;
  }

  @Test
  void chunksAreJoinedInOrder() {
    StepVerifier.create(
            BoundedBody.collect(
                new HttpHeaders(), Flux.just(new byte[] {1, 2}, new byte[] {3}), 200))
        .assertNext(body -> assertThat(body).containsExactly(1, 2, 3))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void noChunksAreAnEmptyBody() {
    StepVerifier.create(BoundedBody.collect(new HttpHeaders(), Flux.empty(), 204))
        .assertNext(body -> assertThat(body).isEmpty())
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void exactlyTheLimitIsRead() {
    StepVerifier.create(
            BoundedBody.collect(contentLength(MAX), Flux.just(new byte[MAX - 1], new byte[1]), 200))
        .assertNext(body -> assertThat(body).hasSize(MAX))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void oneByteOverTheLimitFailsWithTheStatus() {
    StepVerifier.create(
            BoundedBody.collect(new HttpHeaders(), Flux.just(new byte[MAX], new byte[1]), 503))
        .expectErrorSatisfies(
            error -> {
              assertThat(error)
                  .isInstanceOf(ReplyTooLargeException.class)
                  .hasMessage("answer body over 1048576 bytes");
              assertThat(((ReplyTooLargeException) error).statusCode()).isEqualTo(503);
            })
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void aContentLengthOverTheLimitFailsBeforeAnythingIsRead() {
    PublisherProbe<byte[]> chunks = PublisherProbe.of(Flux.just(new byte[1]));

    StepVerifier.create(BoundedBody.collect(contentLength(MAX + 1L), chunks.flux(), 400))
        .expectErrorSatisfies(
            error -> assertThat(((ReplyTooLargeException) error).statusCode()).isEqualTo(400))
        .verify(Duration.ofSeconds(5));

    chunks.assertWasNotSubscribed();
  }
}
