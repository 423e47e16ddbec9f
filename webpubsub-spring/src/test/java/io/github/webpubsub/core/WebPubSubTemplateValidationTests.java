package io.github.webpubsub.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** Bad input is rejected before anything is sent, naming the argument and the rule. */
class WebPubSubTemplateValidationTests {

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  WebPubSubTemplate template;

  @BeforeEach
  void setUp() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    this.template =
        WebPubSubTemplate.builder(WebClient.builder())
            .endpoint(URI.create(wm.baseUrl()))
            .hub("chat")
            .accessKey(TestTokens.KEY)
            .build();
  }

  @AfterEach
  void nothingWasSent() {
    assertThat(wm.getAllServeEvents()).isEmpty();
  }

  static Stream<Arguments> invalidCalls() {
    String longGroup = "g".repeat(1025);
    byte[] tooLarge = new byte[1024 * 1024 + 1];
    return Stream.of(
        invalid(
            "hub pattern",
            ops -> ops.forHub("1chat").sendToAll("x"),
            "hub must start with a letter"),
        invalid(
            "hub with a slash",
            ops -> ops.forHub("a/b").sendToAll("x"),
            "hub must start with a letter"),
        invalid(
            "hub too long",
            ops -> ops.forHub("h" + "x".repeat(128)).sendToAll("x"),
            "hub must start"),
        invalid(
            "empty group",
            ops -> ops.sendToGroup("", "x"),
            "group must have 1 to 1024 characters but has 0"),
        invalid(
            "group too long",
            ops -> ops.groupExists(longGroup),
            "group must have 1 to 1024 characters but has 1025"),
        invalid(
            "dot-dot group",
            ops -> ops.sendToGroup("..", "x"),
            "group must not be '.' or '..' (they are path navigation, not names)"),
        invalid(
            "dot user id",
            ops -> ops.closeUserConnections(".", CloseOptions.defaults()),
            "userId must not be '.' or '..'"),
        invalid(
            "whitespace group",
            ops -> ops.addUserToGroup("  ", "u1"),
            "group must not be only whitespace"),
        invalid("null group", ops -> ops.listConnectionsInGroup(null), "group must not be null"),
        invalid("empty user id", ops -> ops.sendToUser("", "x"), "userId must not be empty"),
        invalid(
            "null connection id",
            ops -> ops.connectionExists(null),
            "connectionId must not be null"),
        invalid(
            "empty connection id",
            ops -> ops.closeConnection(""),
            "connectionId must not be empty"),
        invalid(
            "empty excluded id",
            ops -> ops.sendToAll("x", SendOptions.defaults().excluding("")),
            "options.excluded element must not be empty"),
        invalid(
            "empty excluded on close",
            ops -> ops.closeAllConnections(CloseOptions.defaults().excluding("")),
            "options.excluded element must not be empty"),
        invalid(
            "null permission",
            ops -> ops.grantPermission(null, "c1", null),
            "permission must not be null"),
        invalid(
            "blank targetName",
            ops -> ops.checkPermission(WebPubSubPermission.SEND_TO_GROUP, "c1", " "),
            "targetName must not be only whitespace"),
        invalid("null message", ops -> ops.sendToAll(null), "message must not be null"),
        invalid(
            "message over 1 MiB",
            ops -> ops.sendToAll(tooLarge),
            "message must not exceed 1048576 bytes (1 MiB) after serialization but has 1048577"),
        invalid(
            "text over 1 MiB",
            ops -> ops.sendToGroup("g", "é".repeat(524289)),
            "message must not exceed 1048576 bytes"),
        invalid(
            "excluded on sendToUser",
            ops -> ops.sendToUser("u1", "x", SendOptions.defaults().excluding("c1")),
            "options.excluded must be empty for sendToUser"),
        invalid(
            "filter on sendToConnection",
            ops -> ops.sendToConnection("c1", "x", SendOptions.defaults().filter("userId eq 'a'")),
            "options.excluded and options.filter must not be set for sendToConnection"),
        invalid(
            "blank filter",
            ops -> ops.sendToAll("x", SendOptions.defaults().filter(" ")),
            "options.filter must not be blank"),
        invalid("null options", ops -> ops.sendToAll("x", null), "options must not be null"),
        invalid(
            "no groups",
            ops -> ops.addConnectionsToGroups(List.of(), null),
            "groups must contain at least one group"),
        invalid(
            "blank group in groups",
            ops -> ops.removeConnectionsFromGroups(List.of("g1", " "), null),
            "groups element must not be only whitespace"),
        invalid(
            "null client options",
            ops -> ops.getClientAccessToken(null),
            "options must not be null"));
  }

  static Arguments invalid(
      String rule, Function<WebPubSubOperations, Publisher<?>> call, String message) {
    return Arguments.of(rule, call, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCalls")
  void invalidArgumentIsRejectedBeforeAnythingIsSent(
      String rule, Function<WebPubSubOperations, Publisher<?>> call, String message) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Mono.from(call.apply(this.template)).block(Duration.ofSeconds(5)))
        .withMessageContaining(message);
  }

  @Test
  void ttlOutsideZeroTo300IsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SendOptions.defaults().messageTtlSeconds(301))
        .withMessage("messageTtlSeconds must be between 0 and 300 but was 301");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SendOptions.defaults().messageTtlSeconds(-1))
        .withMessageContaining("messageTtlSeconds must be between 0 and 300");
  }

  @Test
  void validHubNamesOfThePatternAreAccepted() {
    for (String hub : List.of("a", "Hub_1", "h`,.[]", "h" + "x".repeat(127))) {
      assertThat(this.template.forHub(hub).getHub()).isEqualTo(hub);
    }
  }

  @Test
  void builderNamesWhatIsMissing() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                WebPubSubTemplate.builder(WebClient.builder())
                    .hub("h")
                    .accessKey(TestTokens.KEY)
                    .build())
        .withMessageStartingWith("endpoint is required");
    assertThatIllegalStateException()
        .isThrownBy(() -> builder().hub(null).build())
        .withMessage("hub is required");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                WebPubSubTemplate.builder(WebClient.builder())
                    .endpoint(URI.create(wm.baseUrl()))
                    .hub("h")
                    .build())
        .withMessage("accessKey or tokenProvider is required");
    assertThatIllegalStateException()
        .isThrownBy(() -> builder().tokenProvider(() -> Mono.just("t")).build())
        .withMessage("set either accessKey or tokenProvider, not both");
  }

  @Test
  void builderRejectsMalformedSettings() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().endpoint(URI.create("ftp://host")).build())
        .withMessageStartingWith("endpoint must be an absolute http(s) URL");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().endpoint(URI.create("https://host/api")).build())
        .withMessageStartingWith("endpoint must not have a path");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().endpoint(URI.create("https://host?x=1")).build())
        .withMessageStartingWith("endpoint must not have user info, a query or a fragment");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().hub("9").build())
        .withMessageStartingWith("hub must start with a letter");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().responseTimeout(Duration.ZERO).build())
        .withMessage("responseTimeout must be positive but was PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().connectTimeout(Duration.ofSeconds(-1)).build())
        .withMessage("connectTimeout must be positive but was PT-1S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().listPageSize(201).build())
        .withMessage("listPageSize must be between 1 and 200 but was 201");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().listPageSize(0).build())
        .withMessage("listPageSize must be between 1 and 200 but was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().reverseProxyEndpoint(URI.create("gateway")).build())
        .withMessageStartingWith("reverseProxyEndpoint must be an absolute http(s) URL");
  }

  @Test
  void accessKeyShorterThan32BytesIsRejectedWithoutShowingIt() {
    String shortKey = "short-SECRET-key-31-bytes-long!";
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().accessKey(shortKey).build())
        .withMessage(
            "accessKey is too short to sign HS256 tokens: it has 31 bytes, at least 32 are needed")
        .withMessageNotContaining(shortKey);
  }

  @Test
  void retrySettingsRejectNonsense() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebPubSubRetrySettings(-1, Duration.ZERO, Duration.ZERO, false))
        .withMessage("maxRetries must not be negative but was -1");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new WebPubSubRetrySettings(1, Duration.ofSeconds(2), Duration.ofSeconds(1), false))
        .withMessageStartingWith("maxBackoff must not be shorter than firstBackoff");
    assertThat(WebPubSubRetrySettings.defaults())
        .isEqualTo(
            new WebPubSubRetrySettings(3, Duration.ofMillis(800), Duration.ofSeconds(8), false));
  }

  @Test
  @SuppressWarnings("NullAway")
  void nullWhereNoneIsAllowedIsAnIllegalArgumentNamingTheArgument() {
    WebPubSubTemplate template = builder().build();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> template.forHub(null))
        .withMessage("hub must not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebPubSubTemplate.builder((WebClient.Builder) null))
        .withMessage("webClientBuilder must not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SendOptions.defaults().excluding("c1", null))
        .withMessage("excluded connection id must not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> CloseOptions.defaults().excluding("c1", null))
        .withMessage("excluded connection id must not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebPubSubRetrySettings(1, null, Duration.ZERO, false))
        .withMessage("firstBackoff must not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ODataFilter.userId().eq(null))
        .withMessage("value must not be null");
  }

  private WebPubSubTemplate.Builder builder() {
    return WebPubSubTemplate.builder(WebClient.builder())
        .endpoint(URI.create(wm.baseUrl()))
        .hub("chat")
        .accessKey(TestTokens.KEY);
  }
}
