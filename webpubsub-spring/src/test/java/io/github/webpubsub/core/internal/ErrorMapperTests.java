package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.core.WebPubSubException;
import io.github.webpubsub.core.WebPubSubRequestException;
import io.github.webpubsub.core.WebPubSubResponseException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/** The messages and fields of the exceptions made from error answers and transport failures. */
class ErrorMapperTests {

  static final WebPubSubRequest SEND =
      WebPubSubRequest.of("sendToAll", "chat", HttpMethod.POST)
          .path("/api/hubs/chat/:send")
          .send()
          .build();

  static final WebPubSubRequest HEALTH =
      WebPubSubRequest.of("getServiceStatus", null, HttpMethod.HEAD).path("/api/health").build();

  static final URI TARGET = URI.create("https://contoso.webpubsub.azure.com/api/hubs/chat/:send");

  static final String AT = "sendToAll on hub 'chat' at contoso.webpubsub.azure.com:443";

  static WebPubSubResponse answer(int status, String body, String... headerPairs) {
    HttpHeaders headers = new HttpHeaders();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    return new WebPubSubResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  static WebPubSubResponseException map(WebPubSubResponse response) {
    return ErrorMapper.fromResponse(SEND, TARGET, response);
  }

  // ---- error answers ----

  @Test
  void nestedErrorObjectGivesTheCodeAndMessage() {
    WebPubSubResponseException ex =
        map(
            answer(
                403,
                "{\"error\":{\"code\":\"Forbidden.Role\",\"message\":\"missing role\"}}",
                "x-ms-error-code",
                "HeaderCode"));

    assertThat(ex.getStatusCode()).isEqualTo(403);
    assertThat(ex.getErrorCode()).isEqualTo("Forbidden.Role");
    assertThat(ex.getRequestId()).isNull();
    assertThat(ex.getMessage())
        .isEqualTo(AT + " failed with status 403 Forbidden [Forbidden.Role]: missing role");
  }

  @Test
  void nestedErrorWithoutCodeKeepsTheHeaderCode() {
    WebPubSubResponseException ex =
        map(
            answer(
                400,
                "{\"error\":{\"message\":\"bad filter\"}}",
                "x-ms-error-code",
                "InvalidFilter"));

    assertThat(ex.getErrorCode()).isEqualTo("InvalidFilter");
    assertThat(ex.getMessage())
        .isEqualTo(AT + " failed with status 400 Bad Request [InvalidFilter]: bad filter");
  }

  @Test
  void anErrorMemberThatIsNotAnObjectLeavesTheTopLevelFields() {
    WebPubSubResponseException ex =
        map(answer(400, "{\"error\":\"text\",\"code\":\"Top\",\"message\":\"top level\"}"));

    assertThat(ex.getErrorCode()).isEqualTo("Top");
    assertThat(ex.getMessage())
        .isEqualTo(AT + " failed with status 400 Bad Request [Top]: top level");
  }

  @Test
  void jsonWithNeitherCodeNorMessageIsShownAsIs() {
    assertThat(map(answer(500, "  {\"detail\":1}  ")).getMessage())
        .isEqualTo(AT + " failed with status 500 Internal Server Error: {\"detail\":1}");
  }

  @Test
  void jsonWithNeitherCodeNorMessageButAHeaderCodeShowsOnlyTheCode() {
    assertThat(map(answer(500, "{}", "x-ms-error-code", "Oops")).getMessage())
        .isEqualTo(AT + " failed with status 500 Internal Server Error [Oops]");
  }

  @Test
  void bodyThatStartsLikeJsonButIsNotIsShownAsText() {
    WebPubSubResponseException ex = map(answer(502, "{not json", "x-ms-error-code", "Gateway"));

    assertThat(ex.getErrorCode()).isEqualTo("Gateway");
    assertThat(ex.getMessage())
        .isEqualTo(AT + " failed with status 502 Bad Gateway [Gateway]: {not json");
  }

  @Test
  void plainTextWithAHeaderCodeShowsOnlyTheCode() {
    assertThat(map(answer(503, "busy", "x-ms-error-code", "Busy")).getMessage())
        .isEqualTo(AT + " failed with status 503 Service Unavailable [Busy]");
  }

  @Test
  void blankBodyAddsNothing() {
    assertThat(map(answer(404, " \n ")).getMessage())
        .isEqualTo(AT + " failed with status 404 Not Found");
  }

  @Test
  void unknownStatusIsShownWithoutAReason() {
    assertThat(map(answer(599, "")).getMessage()).isEqualTo(AT + " failed with status 599");
  }

  @Test
  void requestIdIsTakenFromTheFirstHeaderPresentInOrder() {
    WebPubSubResponseException ex =
        map(
            answer(
                500,
                "",
                "x-ms-client-request-id",
                "client",
                "request-id",
                "r",
                "x-request-id",
                "x"));

    assertThat(ex.getRequestId()).isEqualTo("x");
    assertThat(ex.getMessage())
        .isEqualTo(AT + " failed with status 500 Internal Server Error (request id x)");
    assertThat(map(answer(500, "", "x-ms-client-request-id", "client")).getRequestId())
        .isEqualTo("client");
    assertThat(map(answer(500, "", "request-id", "r")).getRequestId()).isEqualTo("r");
  }

  @Test
  void longTextsAreCutAfter1000Characters() {
    String exactly = "m".repeat(1000);
    String longer = "m".repeat(1001);

    assertThat(map(answer(400, exactly)).getMessage()).endsWith(": " + exactly);
    assertThat(map(answer(400, longer)).getMessage()).endsWith(": " + exactly + "...");
    assertThat(map(answer(400, "", "x-ms-error-code", longer)).getMessage())
        .endsWith(" [" + exactly + "...]");
    assertThat(map(answer(400, "", "x-ms-request-id", longer)).getMessage())
        .endsWith(" (request id " + exactly + "...)");
  }

  // ---- no answer ----

  @Test
  void transportFailureNamesTheRootCauseAndItsMessage() {
    ConnectException refused = new ConnectException("Connection refused: /127.0.0.1:1");
    WebClientRequestException wrapped =
        new WebClientRequestException(
            new IOException("connect failed", refused), HttpMethod.POST, TARGET, new HttpHeaders());

    WebPubSubRequestException ex = ErrorMapper.transport(SEND, TARGET, wrapped);

    assertThat(ex.getMessage())
        .isEqualTo(
            AT
                + " failed: could not reach the service"
                + " (ConnectException: Connection refused: /127.0.0.1:1)");
    assertThat(ex.getCause()).isSameAs(wrapped);
  }

  @Test
  void transportFailureWithoutAMessageNamesOnlyTheType() {
    WebPubSubRequestException ex =
        ErrorMapper.transport(SEND, TARGET, new IOException(new TimeoutException()));

    assertThat(ex.getMessage())
        .isEqualTo(AT + " failed: could not reach the service (TimeoutException)");
  }

  @Test
  void transportFailureMessagesAreCutAfter1000Characters() {
    WebPubSubRequestException ex =
        ErrorMapper.transport(SEND, TARGET, new IOException("x".repeat(1500)));

    assertThat(ex.getMessage())
        .isEqualTo(
            AT + " failed: could not reach the service (IOException: " + "x".repeat(1000) + "...)");
  }

  @Test
  void timeoutNamesTheConfiguredTimeout() {
    TimeoutException cause = new TimeoutException();
    WebPubSubRequestException ex =
        ErrorMapper.timeout(SEND, TARGET, Duration.ofMillis(1500), cause);

    assertThat(ex.getMessage())
        .isEqualTo(AT + " timed out: no answer within the response timeout of PT1.5S");
    assertThat(ex.getCause()).isSameAs(cause);
  }

  // ---- answers that cannot be used ----

  @Test
  void successfulAnswerTooLargeIsAWebPubSubExceptionNotAResponseOne() {
    for (int status : new int[] {200, 299}) {
      WebPubSubException ex =
          ErrorMapper.tooLarge(SEND, TARGET, new ReplyTooLargeException(status));
      assertThat(ex).isNotInstanceOf(WebPubSubResponseException.class);
      assertThat(ex.getMessage())
          .startsWith(AT + " answered with status " + status)
          .endsWith(" and a body over the limit of 1048576 bytes, not read");
    }
  }

  @Test
  void errorAnswerTooLargeIsAResponseException() {
    for (int status : new int[] {199, 300, 500}) {
      WebPubSubException ex =
          ErrorMapper.tooLarge(SEND, TARGET, new ReplyTooLargeException(status));
      assertThat(ex).isInstanceOf(WebPubSubResponseException.class);
      assertThat(((WebPubSubResponseException) ex).getStatusCode()).isEqualTo(status);
      assertThat(ex.getMessage())
          .startsWith(AT + " failed with status " + status)
          .endsWith("; its body, over the limit of 1048576 bytes, was not read");
    }
  }

  @Test
  void unreadableAnswerNamesTheProblem() {
    IllegalArgumentException cause = new IllegalArgumentException("bad");
    WebPubSubException ex =
        ErrorMapper.unreadable(SEND, TARGET, answer(200, "x"), "no token", cause);

    assertThat(ex.getMessage())
        .isEqualTo(AT + " answered with status 200 and an unreadable body: no token");
    assertThat(ex.getCause()).isSameAs(cause);
  }

  // ---- where the request went ----

  @Test
  void serviceWideOperationsNameNoHub() {
    assertThat(ErrorMapper.describe(HEALTH, URI.create("http://localhost:8080/api/health")))
        .isEqualTo("getServiceStatus at localhost:8080");
  }

  @Test
  void hostAndPortUseTheSchemesDefaultPortWhenNoneIsGiven() {
    assertThat(ErrorMapper.hostAndPort(URI.create("https://h/x"))).isEqualTo("h:443");
    assertThat(ErrorMapper.hostAndPort(URI.create("HTTPS://h/x"))).isEqualTo("h:443");
    assertThat(ErrorMapper.hostAndPort(URI.create("http://h/x"))).isEqualTo("h:80");
    assertThat(ErrorMapper.hostAndPort(URI.create("https://h:0/x"))).isEqualTo("h:0");
    assertThat(ErrorMapper.hostAndPort(URI.create("http://h:8443/x"))).isEqualTo("h:8443");
    assertThat(ErrorMapper.hostAndPort(URI.create("http:///x"))).isEqualTo("?:80");
  }
}
