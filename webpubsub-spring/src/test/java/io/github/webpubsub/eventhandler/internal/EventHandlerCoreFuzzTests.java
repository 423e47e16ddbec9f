package io.github.webpubsub.eventhandler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes how the event handler reads a request: any headers and body get an answer, never an error,
 * and never a 500 (no listener is registered, so a 500 could only come from the core itself). The
 * input is HTTP-like text: header lines {@code name: value}, an empty line, the body; its last
 * bytes pick the method and whether the request is signed with the access key (a fuzzer cannot
 * forge the signature, and without it every request stops at 401).
 */
class EventHandlerCoreFuzzTests {

  private static final String KEY = "fuzz-test-access-key";

  private static final EventHandlerCore CORE =
      new EventHandlerCore(
          new ListenerRegistry(),
          () -> List.of(KEY),
          () -> URI.create("https://contoso.webpubsub.azure.com"),
          List.of(),
          List.of(),
          1024,
          JsonMapper.builder().build(),
          (event) -> {},
          () -> ObservationRegistry.NOOP,
          null);

  @FuzzTest(maxDuration = "5s")
  @Timeout(10)
  void everyRequestIsAnsweredWithoutAServerError(FuzzedDataProvider data) {
    String method = data.pickValue(new String[] {"POST", "POST", "POST", "OPTIONS", "GET"});
    boolean signed = data.consumeBoolean();
    String text = data.consumeRemainingAsString();
    int end = text.indexOf("\n\n");
    String head = (end >= 0) ? text.substring(0, end) : text;
    byte[] body =
        (end >= 0) ? text.substring(end + 2).getBytes(StandardCharsets.UTF_8) : new byte[0];
    HttpHeaders headers = new HttpHeaders();
    for (String line : head.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    String connectionId = headers.getFirst("ce-connectionId");
    if (signed && connectionId != null) {
      headers.set("ce-signature", SignatureValidator.signature(KEY, connectionId));
    }
    EventHandlerRequest request =
        new EventHandlerRequest() {
          @Override
          public String method() {
            return method;
          }

          @Override
          public HttpHeaders headers() {
            return headers;
          }

          @Override
          public Mono<byte[]> body(int maxBytes) {
            return (body.length > maxBytes)
                ? Mono.error(new PayloadTooLargeException(maxBytes))
                : Mono.just(body);
          }
        };
    EventHandlerResponse response = CORE.handle(request).block(Duration.ofSeconds(5));
    assertThat(response).isNotNull();
    assertThat(response.status()).isBetween(200, 499);
  }
}
