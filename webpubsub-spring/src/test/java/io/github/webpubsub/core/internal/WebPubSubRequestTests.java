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
}
