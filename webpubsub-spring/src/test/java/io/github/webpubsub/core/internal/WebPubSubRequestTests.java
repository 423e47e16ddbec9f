package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** The encoded path and query, and the targets, of a built request. */
class WebPubSubRequestTests {

  @Test
  void cachedEncodedQueryAndEncodedParametersJoinInOrder() {
    WebPubSubRequest request =
        WebPubSubRequest.of("sendToGroup", "chat", HttpMethod.POST)
            .path("/api/hubs/chat/groups/")
            .target("group", "a b/c")
            .path("/:send")
            .encodedQuery("api-version=2024-12-01")
            .queryEach("excluded", List.of("c1", "c&2"))
            .query("filter", null)
            .query("messageTtlSeconds", 5)
            .build();

    assertThat(request.pathAndQuery())
        .isEqualTo(
            "/api/hubs/chat/groups/a%20b%2Fc/:send?api-version=2024-12-01"
                + "&excluded=c1&excluded=c%262&messageTtlSeconds=5");
    assertThat(request.targets()).isEqualTo(Map.of("group", "a b/c"));
  }

  @Test
  void requestWithoutQueryHasNoQuestionMark() {
    WebPubSubRequest request =
        WebPubSubRequest.of("op", "chat", HttpMethod.GET).path("/api/hubs/chat").build();

    assertThat(request.pathAndQuery()).isEqualTo("/api/hubs/chat");
    assertThat(request.targets()).isEmpty();
  }

  @Test
  void twoTargetsAreBothRecorded() {
    WebPubSubRequest request =
        WebPubSubRequest.of("addUserToGroup", "chat", HttpMethod.PUT)
            .path("/api/hubs/chat/users/")
            .target("userId", "u1")
            .path("/groups/")
            .target("group", "g1")
            .build();

    assertThat(request.targets()).isEqualTo(Map.of("userId", "u1", "group", "g1"));
    assertThat(request.pathAndQuery()).isEqualTo("/api/hubs/chat/users/u1/groups/g1");
  }

  @Test
  void pathTextAfterTheQueryIsRejected() {
    WebPubSubRequest.Builder builder =
        WebPubSubRequest.of("sendToAll", "chat", HttpMethod.POST)
            .path("/api/hubs/chat/:send")
            .encodedQuery("api-version=2024-12-01");

    assertThatIllegalStateException()
        .isThrownBy(() -> builder.path("/more"))
        .withMessage("path text after the query of sendToAll");
  }

  @Test
  void segmentsAfterTheQueryAreRejectedToo() {
    WebPubSubRequest.Builder builder =
        WebPubSubRequest.of("sendToGroup", "chat", HttpMethod.POST)
            .path("/api/hubs/chat/groups/")
            .query("api-version", "2024-12-01");

    assertThatIllegalStateException()
        .isThrownBy(() -> builder.segment("g1"))
        .withMessage("path text after the query of sendToGroup");
    assertThatIllegalStateException()
        .isThrownBy(() -> builder.target("group", "g1"))
        .withMessage("path text after the query of sendToGroup");
  }

  @Test
  void aTargetNamedAgainReplacesItsValueAndAThirdNameIsRefused() {
    WebPubSubRequest.Builder builder =
        WebPubSubRequest.of("op", "chat", HttpMethod.PUT)
            .path("/a/")
            .target("group", "g1")
            .path("/b/")
            .target("group", "g2")
            .path("/c/")
            .target("userId", "u1")
            .path("/d/")
            .target("userId", "u2");

    WebPubSubRequest request = builder.build();
    assertThat(request.targets()).isEqualTo(Map.of("group", "g2", "userId", "u2"));
    assertThat(request.pathAndQuery()).isEqualTo("/a/g1/b/g2/c/u1/d/u2");
    assertThatIllegalStateException()
        .isThrownBy(() -> builder.target("connectionId", "c1"))
        .withMessage("at most two targets per request, not connectionId");
  }

  @Test
  void anAbsoluteUrlReplacesThePathAndIsKnownAsAbsolute() {
    WebPubSubRequest https =
        WebPubSubRequest.of("listConnectionsInGroup", "chat", HttpMethod.GET)
            .path("/ignored")
            .absoluteUrl("https://h/api/next?page=2")
            .build();
    WebPubSubRequest http =
        WebPubSubRequest.of("listConnectionsInGroup", "chat", HttpMethod.GET)
            .absoluteUrl("http://h/api/next")
            .build();
    WebPubSubRequest relative =
        WebPubSubRequest.of("op", "chat", HttpMethod.GET).path("/http://h").build();

    assertThat(https.pathAndQuery()).isEqualTo("https://h/api/next?page=2");
    assertThat(https.isAbsolute()).isTrue();
    assertThat(http.isAbsolute()).isTrue();
    assertThat(relative.isAbsolute()).isFalse();
  }

  @Test
  void flagsAndBodyAreCarriedAndToStringShowsNoBody() {
    WebPubSubRequest request =
        WebPubSubRequest.of("sendToAll", "chat", HttpMethod.POST)
            .path("/api/hubs/chat/:send")
            .body(new byte[] {1, 2}, "application/octet-stream")
            .send()
            .noRetry()
            .notFoundIsAnswer()
            .readsBody()
            .build();

    assertThat(request.operation()).isEqualTo("sendToAll");
    assertThat(request.hub()).isEqualTo("chat");
    assertThat(request.method()).isEqualTo(HttpMethod.POST);
    assertThat(request.body()).containsExactly(1, 2);
    assertThat(request.contentType()).isEqualTo("application/octet-stream");
    assertThat(request.send()).isTrue();
    assertThat(request.retryable()).isFalse();
    assertThat(request.notFoundIsAnswer()).isTrue();
    assertThat(request.readsBody()).isTrue();
    assertThat(request).hasToString("WebPubSubRequest[sendToAll POST /api/hubs/chat/:send]");
  }
}
