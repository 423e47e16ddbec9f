package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.webpubsub.core.GroupMember;
import io.github.webpubsub.core.WebPubSubException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * The answers of {@code generateClientToken} and {@code listConnectionsInGroup}: what is read, what
 * is refused with which message, and where a page's {@code nextLink} may lead.
 */
class RepliesTests {

  static final URI ENDPOINT = URI.create("https://contoso.example");

  static final URI PROXY = URI.create("http://gateway.local:8080/wps");

  static final String LIST = "listConnectionsInGroup on hub 'chat' at contoso.example:443";

  static final String UNREADABLE = " answered with status 200 and an unreadable body: ";

  final Replies replies = new Replies(ENDPOINT, null);

  final Replies proxied = new Replies(ENDPOINT, PROXY);

  static final WebPubSubRequest TOKEN =
      WebPubSubRequest.of("generateClientToken", "chat", HttpMethod.POST)
          .path("/api/hubs/chat/:generateToken")
          .readsBody()
          .build();

  static final WebPubSubRequest PAGE =
      WebPubSubRequest.of("listConnectionsInGroup", "chat", HttpMethod.GET)
          .path("/api/hubs/chat/groups/g/connections")
          .readsBody()
          .build();

  static WebPubSubResponse ok(String body) {
    return new WebPubSubResponse(200, new HttpHeaders(), body.getBytes(StandardCharsets.UTF_8));
  }

  static String page(@Nullable String nextLink) {
    return "{\"value\":[{\"connectionId\":\"c1\",\"userId\":\"u1\"},{\"connectionId\":\"c2\"}]"
        + ((nextLink != null) ? ",\"nextLink\":\"" + nextLink + "\"" : "")
        + "}";
  }

  // ---- token ----

  @Test
  void theTokenIsRead() {
    assertThat(this.replies.token(TOKEN, ok("{\"token\":\"ey.J.x\",\"other\":1}")))
        .isEqualTo("ey.J.x");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"token\":\"\"}", "{\"token\":42}", "{\"token\":null}"})
  void anAnswerWithoutATokenIsRefused(String body) {
    assertThatExceptionOfType(WebPubSubException.class)
        .isThrownBy(() -> this.replies.token(TOKEN, ok(body)))
        .withMessage(
            "generateClientToken on hub 'chat' at contoso.example:443"
                + UNREADABLE
                + "no token in it")
        .withNoCause();
  }

  @Test
  void anAnswerThatIsNoJsonObjectIsRefusedSayingWhy() {
    assertThatExceptionOfType(WebPubSubException.class)
        .isThrownBy(() -> this.replies.token(TOKEN, ok("[\"ey.J.x\"]")))
        .withMessage(
            "generateClientToken on hub 'chat' at contoso.example:443"
                + UNREADABLE
                + "not a JSON object")
        .withCauseInstanceOf(IllegalArgumentException.class);
    assertThatExceptionOfType(WebPubSubException.class)
        .isThrownBy(() -> this.replies.token(TOKEN, ok("token=ey.J.x")))
        .withMessageStartingWith(
            "generateClientToken on hub 'chat' at contoso.example:443"
                + UNREADABLE
                + "not readable as JSON (Unrecognized token 'token'");
  }

  // ---- page ----

  @Test
  void aPageGivesItsMembersInOrderWithOrWithoutUser() {
    Replies.Page page = this.replies.page(PAGE, ok(page(null)));

    assertThat(page.members())
        .containsExactly(new GroupMember("c1", "u1"), new GroupMember("c2", null));
    assertThat(page.nextLink()).isNull();
    assertThat(page.nextLinkError()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"value\":{}}", "{\"value\":null}", "{\"value\":[]}"})
  void aPageWithoutAMemberArrayHasNoMembers(String body) {
    Replies.Page page = this.replies.page(PAGE, ok(body));

    assertThat(page.members()).isEmpty();
    assertThat(page.nextLink()).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"value\":[{\"userId\":\"u1\"}]}",
        "{\"value\":[{\"connectionId\":7}]}",
        "{\"value\":[\"c1\"]}"
      })
  void aMemberWithoutConnectionIdMakesThePageUnreadable(String body) {
    assertThatExceptionOfType(WebPubSubException.class)
        .isThrownBy(() -> this.replies.page(PAGE, ok(body)))
        .withMessage(LIST + UNREADABLE + "a member without connectionId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "\" \"", "null", "3"})
  void aBlankOrMissingNextLinkIsTheLastPage(String nextLink) {
    Replies.Page page =
        this.replies.page(
            PAGE, ok("{\"value\":[{\"connectionId\":\"c1\"}],\"nextLink\":" + nextLink + "}"));

    assertThat(page.nextLink()).isNull();
    assertThat(page.nextLinkError()).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "/api/hubs/chat/groups/g/connections?continuationToken=a%2Bb,"
        + " https://contoso.example/api/hubs/chat/groups/g/connections?continuationToken=a%2Bb",
    "https://contoso.example/next, https://contoso.example/next",
    "HTTPS://CONTOSO.EXAMPLE:443/next, HTTPS://CONTOSO.EXAMPLE:443/next",
    "next?page=2, https://contoso.example/next?page=2"
  })
  void aNextLinkOnTheEndpointsOriginIsFollowed(String link, String absolute) {
    Replies.Page page = this.replies.page(PAGE, ok(page(link)));

    assertThat(page.nextLink()).isEqualTo(absolute);
    assertThat(page.nextLinkError()).isNull();
    assertThat(page.members()).hasSize(2);
  }

  @ParameterizedTest
  @CsvSource({
    "https://evil.example/next, evil.example:443",
    "http://contoso.example/next, contoso.example:80",
    "https://contoso.example:8443/next, contoso.example:8443",
    "//evil.example/next, evil.example:443",
    "http://gateway.local:8080/wps/next, gateway.local:8080"
  })
  void aNextLinkToAnotherOriginIsNotFollowedButThePageIsKept(String link, String origin) {
    Replies.Page page = this.replies.page(PAGE, ok(page(link)));

    assertThat(page.members()).hasSize(2);
    assertThat(page.nextLink()).isNull();
    assertThat(page.nextLinkError())
        .isNotNull()
        .hasMessage(
            LIST
                + UNREADABLE
                + "a nextLink to another origin ("
                + origin
                + "), which is not followed so that the token stays with the service");
  }

  @Test
  void aNextLinkWithoutHostIsNotFollowed() {
    Replies.Page page = this.replies.page(PAGE, ok(page("mailto:someone")));

    assertThat(page.nextLink()).isNull();
    assertThat(page.nextLinkError()).hasMessageContaining("a nextLink to another origin (?:");
  }

  @Test
  void aMalformedNextLinkIsNotFollowed() {
    Replies.Page page = this.replies.page(PAGE, ok(page("http://[bad/next")));

    assertThat(page.members()).hasSize(2);
    assertThat(page.nextLink()).isNull();
    assertThat(page.nextLinkError())
        .hasMessage(LIST + UNREADABLE + "a malformed nextLink")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "http://gateway.local:8080/wps/api/hubs/chat/groups/g/connections?page=2,"
        + " https://contoso.example/api/hubs/chat/groups/g/connections?page=2",
    "HTTP://Gateway.Local:8080/wps/next, https://contoso.example/next",
    "http://gateway.local:8080/other/next, https://contoso.example/other/next",
    "http://gateway.local:8080/wpsfoo/next, https://contoso.example/wpsfoo/next",
    "http://gateway.local:8080/wps, https://contoso.example/",
    "http://gateway.local:8080/wps//evil.example/x, https://contoso.example/evil.example/x",
    "https://contoso.example/direct?x=1, https://contoso.example/direct?x=1"
  })
  void aNextLinkThroughTheReverseProxyBecomesTheServiceUrlItStandsFor(
      String link, String serviceUrl) {
    Replies.Page page = this.proxied.page(PAGE, ok(page(link)));

    assertThat(page.nextLinkError()).isNull();
    assertThat(page.nextLink()).isEqualTo(serviceUrl);
  }

  @Test
  void aProxyWithoutPathKeepsTheLinksPath() {
    Replies replies = new Replies(ENDPOINT, URI.create("https://gw.example"));

    assertThat(replies.page(PAGE, ok(page("https://gw.example/api/next?p=1"))).nextLink())
        .isEqualTo("https://contoso.example/api/next?p=1");
    assertThat(replies.page(PAGE, ok(page("https://gw.example"))).nextLink())
        .isEqualTo("https://contoso.example/");
  }

  @Test
  void aLinkToAnotherOriginIsRefusedWithAProxyToo() {
    Replies.Page page = this.proxied.page(PAGE, ok(page("https://gateway.local:8080/wps/next")));

    assertThat(page.nextLink()).isNull();
    assertThat(page.nextLinkError()).hasMessageContaining("(gateway.local:8080)");
  }

  @Test
  void aPageThatIsNoJsonIsUnreadable() {
    assertThatExceptionOfType(WebPubSubException.class)
        .isThrownBy(() -> this.replies.page(PAGE, ok("")))
        .withMessage(LIST + UNREADABLE + "not a JSON object");
  }
}
