package io.github.webpubsub.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Every operation against WireMock: method, exact path and query as received, content type, body
 * bytes and a JWT verified with the key whose {@code aud} is the exact URL received.
 */
class WebPubSubTemplateOperationsTests {

  static final String LATEST = "2024-12-01";

  static final String SEED = "2021-08-01-preview";

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  /** The builder every test starts from; subclasses run the same tests on another transport. */
  WebPubSubTemplate.Builder newBuilder() {
    return WebPubSubTemplate.builder(WebClient.builder());
  }

  WebPubSubTemplate template(String apiVersion) {
    return newBuilder()
        .endpoint(URI.create(wm.baseUrl()))
        .hub("chat")
        .accessKey(TestTokens.KEY)
        .apiVersion(apiVersion)
        .retry(WebPubSubRetrySettings.none())
        .build();
  }

  record Op(
      String name,
      boolean inSeed,
      Function<WebPubSubOperations, Publisher<?>> call,
      String method,
      String url,
      @Nullable String contentType,
      byte[] body,
      int status,
      @Nullable Object result) {

    @Override
    public String toString() {
      return this.name;
    }
  }

  static Op op(
      String name,
      boolean inSeed,
      Function<WebPubSubOperations, Publisher<?>> call,
      String method,
      String url,
      int status) {
    return new Op(name, inSeed, call, method, url, null, new byte[0], status, null);
  }

  static Op sendOp(
      String name,
      boolean inSeed,
      Function<WebPubSubOperations, Publisher<?>> call,
      String url,
      String contentType,
      byte[] body) {
    return new Op(name, inSeed, call, "POST", url, contentType, body, 202, null);
  }

  static Op check(String name, Function<WebPubSubOperations, Publisher<?>> call, String url) {
    return new Op(name, true, call, "HEAD", url, null, new byte[0], 200, Boolean.TRUE);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static List<Op> allOperations() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("text", "hi");
    json.put("n", 1);
    byte[] binary = {0, 1, 2, (byte) 0xFF};
    return List.of(
        sendOp(
            "sendToAll with excluded, filter and ttl",
            false,
            ops ->
                ops.sendToAll(
                    "hello",
                    SendOptions.defaults()
                        .excluding("c1", "c 2")
                        .filter(ODataFilter.userId().ne("o'neil"))
                        .messageTtlSeconds(15)),
            "/api/hubs/chat/:send?api-version={v}&excluded=c1&excluded=c%202"
                + "&filter=userId%20ne%20'o''neil'&messageTtlSeconds=15",
            "text/plain",
            utf8("hello")),
        sendOp(
            "sendToAll of an object as JSON with excluded",
            true,
            ops -> ops.sendToAll(json, SendOptions.defaults().excluding("c1")),
            "/api/hubs/chat/:send?api-version={v}&excluded=c1",
            "application/json",
            utf8("{\"text\":\"hi\",\"n\":1}")),
        sendOp(
            "sendToAll of text declared as JSON",
            true,
            ops ->
                ops.sendToAll(
                    "\"quoted\"", SendOptions.defaults().contentType(WebPubSubContentType.JSON)),
            "/api/hubs/chat/:send?api-version={v}",
            "application/json",
            utf8("\"quoted\"")),
        sendOp(
            "sendToGroup of bytes with excluded and filter",
            false,
            ops ->
                ops.sendToGroup(
                    "room 1/a",
                    binary,
                    SendOptions.defaults().excluding("c1").filter("userId eq 'a&b=c+d'")),
            "/api/hubs/chat/groups/room%201%2Fa/:send?api-version={v}&excluded=c1"
                + "&filter=userId%20eq%20'a%26b%3Dc%2Bd'",
            "application/octet-stream",
            binary),
        sendOp(
            "sendToGroup of text",
            true,
            ops -> ops.sendToGroup("room1", "héllo"),
            "/api/hubs/chat/groups/room1/:send?api-version={v}",
            "text/plain",
            utf8("héllo")),
        sendOp(
            "sendToUser of a ByteBuffer with filter and ttl",
            false,
            ops ->
                ops.sendToUser(
                    "user/1 x",
                    ByteBuffer.wrap(binary),
                    SendOptions.defaults().filter(ODataFilter.inGroup("vip")).messageTtlSeconds(0)),
            "/api/hubs/chat/users/user%2F1%20x/:send?api-version={v}"
                + "&filter='vip'%20in%20groups&messageTtlSeconds=0",
            "application/octet-stream",
            binary),
        sendOp(
            "sendToUser of text",
            true,
            ops -> ops.sendToUser("alice", "hi"),
            "/api/hubs/chat/users/alice/:send?api-version={v}",
            "text/plain",
            utf8("hi")),
        sendOp(
            "sendToConnection of a DataBuffer with ttl",
            false,
            ops ->
                ops.sendToConnection(
                    "conn+1",
                    DefaultDataBufferFactory.sharedInstance.wrap(binary),
                    SendOptions.defaults().messageTtlSeconds(300)),
            "/api/hubs/chat/connections/conn%2B1/:send?api-version={v}&messageTtlSeconds=300",
            "application/octet-stream",
            binary),
        sendOp(
            "sendToConnection of text",
            true,
            ops -> ops.sendToConnection("conn1", "hi"),
            "/api/hubs/chat/connections/conn1/:send?api-version={v}",
            "text/plain",
            utf8("hi")),
        check(
            "connectionExists",
            ops -> ops.connectionExists("conn 1"),
            "/api/hubs/chat/connections/conn%201?api-version={v}"),
        check(
            "groupExists",
            ops -> ops.groupExists("g[1]"),
            "/api/hubs/chat/groups/g%5B1%5D?api-version={v}"),
        check(
            "userExists",
            ops -> ops.userExists("a@b.c"),
            "/api/hubs/chat/users/a@b.c?api-version={v}"),
        op(
            "closeConnection with reason",
            true,
            ops -> ops.closeConnection("conn1", "bye now&then"),
            "DELETE",
            "/api/hubs/chat/connections/conn1?api-version={v}&reason=bye%20now%26then",
            204),
        op(
            "closeConnection without reason",
            true,
            ops -> ops.closeConnection("conn1"),
            "DELETE",
            "/api/hubs/chat/connections/conn1?api-version={v}",
            204),
        op(
            "closeAllConnections",
            false,
            ops ->
                ops.closeAllConnections(
                    CloseOptions.defaults().excluding("c1", "c2").reason("maintenance")),
            "POST",
            "/api/hubs/chat/:closeConnections?api-version={v}&excluded=c1&excluded=c2"
                + "&reason=maintenance",
            204),
        op(
            "closeGroupConnections",
            false,
            ops -> ops.closeGroupConnections("g 1", CloseOptions.defaults().excluding("c1")),
            "POST",
            "/api/hubs/chat/groups/g%201/:closeConnections?api-version={v}&excluded=c1",
            204),
        op(
            "closeUserConnections",
            false,
            ops -> ops.closeUserConnections("u/1", CloseOptions.defaults().reason("kicked")),
            "POST",
            "/api/hubs/chat/users/u%2F1/:closeConnections?api-version={v}&reason=kicked",
            204),
        op(
            "addConnectionToGroup",
            true,
            ops -> ops.addConnectionToGroup("g1", "c1"),
            "PUT",
            "/api/hubs/chat/groups/g1/connections/c1?api-version={v}",
            200),
        op(
            "removeConnectionFromGroup",
            true,
            ops -> ops.removeConnectionFromGroup("g1", "c1"),
            "DELETE",
            "/api/hubs/chat/groups/g1/connections/c1?api-version={v}",
            204),
        op(
            "removeConnectionFromAllGroups",
            false,
            ops -> ops.removeConnectionFromAllGroups("c1"),
            "DELETE",
            "/api/hubs/chat/connections/c1/groups?api-version={v}",
            204),
        op(
            "addUserToGroup",
            true,
            ops -> ops.addUserToGroup("g1", "user 1"),
            "PUT",
            "/api/hubs/chat/users/user%201/groups/g1?api-version={v}",
            200),
        op(
            "removeUserFromGroup",
            true,
            ops -> ops.removeUserFromGroup("g1", "u1"),
            "DELETE",
            "/api/hubs/chat/users/u1/groups/g1?api-version={v}",
            204),
        op(
            "removeUserFromAllGroups",
            true,
            ops -> ops.removeUserFromAllGroups("u1"),
            "DELETE",
            "/api/hubs/chat/users/u1/groups?api-version={v}",
            204),
        new Op(
            "addConnectionsToGroups",
            false,
            ops -> ops.addConnectionsToGroups(List.of("g1", "g\"2"), "startswith(userId, 'a')"),
            "POST",
            "/api/hubs/chat/:addToGroups?api-version={v}",
            "application/json",
            utf8("{\"groups\":[\"g1\",\"g\\\"2\"],\"filter\":\"startswith(userId, 'a')\"}"),
            200,
            null),
        new Op(
            "removeConnectionsFromGroups without filter",
            false,
            ops -> ops.removeConnectionsFromGroups(List.of("g1"), null),
            "POST",
            "/api/hubs/chat/:removeFromGroups?api-version={v}",
            "application/json",
            utf8("{\"groups\":[\"g1\"]}"),
            200,
            null),
        op(
            "grantPermission with targetName",
            true,
            ops -> ops.grantPermission(WebPubSubPermission.SEND_TO_GROUP, "c1", "room 1"),
            "PUT",
            "/api/hubs/chat/permissions/sendToGroup/connections/c1?api-version={v}"
                + "&targetName=room%201",
            200),
        op(
            "grantPermission without targetName",
            true,
            ops -> ops.grantPermission(WebPubSubPermission.JOIN_LEAVE_GROUP, "c1", null),
            "PUT",
            "/api/hubs/chat/permissions/joinLeaveGroup/connections/c1?api-version={v}",
            200),
        op(
            "revokePermission",
            true,
            ops -> ops.revokePermission(WebPubSubPermission.JOIN_LEAVE_GROUP, "c1", "g1"),
            "DELETE",
            "/api/hubs/chat/permissions/joinLeaveGroup/connections/c1?api-version={v}"
                + "&targetName=g1",
            204),
        new Op(
            "checkPermission",
            true,
            ops -> ops.checkPermission(WebPubSubPermission.SEND_TO_GROUP, "c1", "g1"),
            "HEAD",
            "/api/hubs/chat/permissions/sendToGroup/connections/c1?api-version={v}&targetName=g1",
            null,
            new byte[0],
            200,
            Boolean.TRUE),
        op(
            "checkServiceHealth",
            true,
            WebPubSubOperations::checkServiceHealth,
            "HEAD",
            "/api/health?api-version={v}",
            200));
  }

  static Stream<Arguments> operations() {
    return Stream.concat(
        allOperations().stream().map(op -> Arguments.of(LATEST, op)),
        allOperations().stream().filter(Op::inSeed).map(op -> Arguments.of(SEED, op)));
  }

  @ParameterizedTest(name = "[{0}] {1}")
  @MethodSource("operations")
  void operationSendsTheExactSignedRequest(String apiVersion, Op op) {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(op.status())));

    Object result = Mono.from(op.call().apply(template(apiVersion))).block(Duration.ofSeconds(60));

    assertThat(result).isEqualTo(op.result());
    LoggedRequest request = onlyRequest();
    assertThat(request.getMethod().getName()).isEqualTo(op.method());
    assertThat(request.getUrl()).isEqualTo(op.url().replace("{v}", apiVersion));
    assertThat(request.queryParameter("api-version").values()).containsExactly(apiVersion);
    assertThat(request.getHeader("Content-Type")).isEqualTo(op.contentType());
    assertThat(request.getBody()).isEqualTo(op.body());
    // A fixed length on the wire, never chunked: "0" or none for requests without a body.
    assertThat(request.getHeader("Transfer-Encoding")).isNull();
    String contentLength = request.getHeader("Content-Length");
    if (op.body().length > 0) {
      assertThat(contentLength).isEqualTo(String.valueOf(op.body().length));
    } else {
      assertThat(contentLength).isIn(null, "0");
    }
    TestTokens.verifyRequest(request, wm.baseUrl());
  }

  @Test
  void filtersAreDecodedByTheServiceToTheOriginalExpression() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
    String filter = "userId eq 'a&b=c+d %' or 'g#1' in groups";

    template(LATEST).sendToAll("x", SendOptions.defaults().filter(filter)).block();

    assertThat(onlyRequest().queryParameter("filter").values()).containsExactly(filter);
  }

  @Test
  void existenceChecksAnswerFalseWhenTheServiceAnswers404() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
    WebPubSubTemplate template = template(LATEST);

    StepVerifier.create(template.connectionExists("c1")).expectNext(false).verifyComplete();
    StepVerifier.create(template.groupExists("g1")).expectNext(false).verifyComplete();
    StepVerifier.create(template.userExists("u1")).expectNext(false).verifyComplete();
    StepVerifier.create(template.checkPermission(WebPubSubPermission.SEND_TO_GROUP, "c1", null))
        .expectNext(false)
        .verifyComplete();
  }

  @Test
  void addConnectionToGroupWhenTheServiceAnswers404ShouldFail() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));

    StepVerifier.create(template(LATEST).addConnectionToGroup("g1", "gone"))
        .expectErrorSatisfies(
            ex ->
                assertThat(ex)
                    .isInstanceOf(WebPubSubResponseException.class)
                    .extracting(e -> ((WebPubSubResponseException) e).getStatusCode())
                    .isEqualTo(404))
        .verify();
  }

  @Test
  void listConnectionsInGroupFollowsNextLinkAsIs() {
    String nextLink =
        wm.baseUrl()
            + "/api/hubs/chat/groups/g%201/connections?maxpagesize=2&continuationToken=abc%3D%3D";
    wm.stubFor(
        get(urlPathEqualTo("/api/hubs/chat/groups/g%201/connections"))
            .withQueryParam(
                "api-version", com.github.tomakehurst.wiremock.client.WireMock.equalTo(LATEST))
            .willReturn(
                okJson(
                    "{\"value\":[{\"connectionId\":\"c1\",\"userId\":\"u1\"},"
                        + "{\"connectionId\":\"c2\"}],\"nextLink\":\""
                        + nextLink
                        + "\"}")));
    wm.stubFor(
        get(urlPathEqualTo("/api/hubs/chat/groups/g%201/connections"))
            .withQueryParam(
                "continuationToken",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("abc=="))
            .willReturn(okJson("{\"value\":[{\"connectionId\":\"c3\",\"userId\":null}]}")));

    StepVerifier.create(template(LATEST).listConnectionsInGroup("g 1"))
        .expectNext(new GroupMember("c1", "u1"), new GroupMember("c2", null))
        .expectNext(new GroupMember("c3", null))
        .verifyComplete();

    List<LoggedRequest> requests = requestsInOrder();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).getUrl())
        .isEqualTo(
            "/api/hubs/chat/groups/g%201/connections?api-version=" + LATEST + "&maxpagesize=200");
    assertThat(requests.get(1).getUrl())
        .isEqualTo(
            "/api/hubs/chat/groups/g%201/connections?maxpagesize=2&continuationToken=abc%3D%3D");
    TestTokens.verifyRequest(requests.get(0), wm.baseUrl());
    TestTokens.verify(TestTokens.bearer(requests.get(1)), nextLink);
  }

  @Test
  void listConnectionsInGroupIsLazyAndPagesOnlyAsConsumed() {
    wm.stubFor(
        get(anyUrl())
            .willReturn(
                okJson(
                    "{\"value\":[{\"connectionId\":\"c1\"}],\"nextLink\":\""
                        + wm.baseUrl()
                        + "/api/hubs/chat/groups/g1/connections?continuationToken=t\"}")));
    Flux<GroupMember> members = template(LATEST).listConnectionsInGroup("g1");

    assertThat(wm.getAllServeEvents()).isEmpty();
    StepVerifier.create(members.take(1)).expectNext(new GroupMember("c1", null)).verifyComplete();
    assertThat(wm.getAllServeEvents()).hasSize(1);
  }

  @Test
  void getClientAccessTokenSignsLocallyWithoutCallingTheService() {
    ClientAccessOptions options =
        ClientAccessOptions.forUser("alice")
            .roles("webpubsub.sendToGroup.room1", "webpubsub.joinLeaveGroup.room1")
            .groups("room1", "room2")
            .expiresAfter(Duration.ofMinutes(30));

    WebPubSubClientAccess access = template(LATEST).getClientAccessToken(options).block();

    String wsBase = "ws" + wm.baseUrl().substring("http".length());
    assertThat(access.baseUrl()).isEqualTo(wsBase + "/client/hubs/chat");
    assertThat(access.url()).isEqualTo(wsBase + "/client/hubs/chat?access_token=" + access.token());
    Jwt jwt = TestTokens.verify(access.token(), wm.baseUrl() + "/client/hubs/chat");
    assertThat(jwt.getSubject()).isEqualTo("alice");
    assertThat(jwt.getClaimAsStringList("role"))
        .containsExactly("webpubsub.sendToGroup.room1", "webpubsub.joinLeaveGroup.room1");
    assertThat(jwt.getClaimAsStringList("webpubsub.group")).containsExactly("room1", "room2");
    assertThat(jwt.getExpiresAt())
        .isBetween(Instant.now().plusSeconds(29 * 60), Instant.now().plusSeconds(31 * 60));
    assertThat(wm.getAllServeEvents()).isEmpty();
  }

  @Test
  void getClientAccessTokenForAnAnonymousMqttClientHasNoSubRolesOrGroups() {
    WebPubSubClientAccess access =
        template(LATEST)
            .getClientAccessToken(
                ClientAccessOptions.defaults().protocol(WebPubSubClientProtocol.MQTT))
            .block();

    Jwt jwt = TestTokens.verify(access.token(), wm.baseUrl() + "/clients/mqtt/hubs/chat");
    assertThat(jwt.getClaims()).doesNotContainKeys("sub", "role", "webpubsub.group");
    assertThat(access.baseUrl()).endsWith("/clients/mqtt/hubs/chat").startsWith("ws://");
  }

  @Test
  void generateClientAccessTokenCallsGenerateTokenWithEveryParameter() {
    wm.stubFor(post(anyUrl()).willReturn(okJson("{\"token\":\"service.issued.jwt\"}")));
    ClientAccessOptions options =
        ClientAccessOptions.forUser("alice")
            .roles("r1", "r 2")
            .groups("g1", "g2")
            .expiresAfter(Duration.ofSeconds(90))
            .protocol(WebPubSubClientProtocol.SOCKETIO);

    WebPubSubClientAccess access = template(LATEST).generateClientAccessToken(options).block();

    assertThat(access.token()).isEqualTo("service.issued.jwt");
    String wsBase = "ws" + wm.baseUrl().substring("http".length());
    assertThat(access.url())
        .isEqualTo(wsBase + "/clients/socketio/hubs/chat?access_token=service.issued.jwt");
    LoggedRequest request = onlyRequest();
    assertThat(request.getMethod().getName()).isEqualTo("POST");
    assertThat(request.getUrl())
        .isEqualTo(
            "/api/hubs/chat/:generateToken?api-version="
                + LATEST
                + "&userId=alice&role=r1&role=r%202&minutesToExpire=2&group=g1&group=g2"
                + "&clientType=socketio");
    TestTokens.verifyRequest(request, wm.baseUrl());
  }

  @Test
  void generateClientAccessTokenWithTheSeedApiVersionSendsOnlyItsParameters() {
    wm.stubFor(post(anyUrl()).willReturn(okJson("{\"token\":\"t\"}")));

    template(SEED)
        .generateClientAccessToken(ClientAccessOptions.forUser("bob").roles("r1"))
        .block();

    LoggedRequest request = onlyRequest();
    assertThat(request.getUrl())
        .isEqualTo(
            "/api/hubs/chat/:generateToken?api-version="
                + SEED
                + "&userId=bob&role=r1&minutesToExpire=60");
    TestTokens.verifyRequest(request, wm.baseUrl());
  }

  @Test
  void withATokenProviderEveryRequestCarriesTheProvidersTokenAndClientTokensComeFromTheService() {
    wm.stubFor(post(anyUrl()).willReturn(okJson("{\"token\":\"from-service\"}")));
    WebPubSubTemplate template =
        newBuilder()
            .endpoint(URI.create(wm.baseUrl()))
            .hub("chat")
            .tokenProvider(() -> Mono.just("entra-token"))
            .build();

    WebPubSubClientAccess access =
        template.getClientAccessToken(ClientAccessOptions.forUser("alice")).block();

    assertThat(access.token()).isEqualTo("from-service");
    LoggedRequest request = onlyRequest();
    assertThat(request.getUrl())
        .isEqualTo(
            "/api/hubs/chat/:generateToken?api-version="
                + LATEST
                + "&userId=alice&minutesToExpire=60");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer entra-token");
  }

  @Test
  void forHubSendsToTheOtherHubAndKeepsTheDefault() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
    WebPubSubTemplate template = template(LATEST);

    WebPubSubOperations other = template.forHub("other_Hub.1");
    other.sendToAll("x").block();

    assertThat(other.getHub()).isEqualTo("other_Hub.1");
    assertThat(template.getHub()).isEqualTo("chat");
    assertThat(onlyRequest().getUrl())
        .isEqualTo("/api/hubs/other_Hub.1/:send?api-version=" + LATEST);
  }

  @Test
  void twoSendsToTheSameUrlReuseTheTokenAndAnotherUrlGetsItsOwn() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
    WebPubSubTemplate template = template(LATEST);

    template.sendToGroup("g1", "a").block();
    template.sendToGroup("g1", "b").block();
    template.sendToGroup("g2", "c").block();

    List<LoggedRequest> requests = requestsInOrder();
    assertThat(TestTokens.bearer(requests.get(0))).isEqualTo(TestTokens.bearer(requests.get(1)));
    assertThat(TestTokens.bearer(requests.get(2))).isNotEqualTo(TestTokens.bearer(requests.get(0)));
    TestTokens.verifyRequest(requests.get(2), wm.baseUrl());
  }

  @Test
  void clientUrlsEncodeHubCharactersOutsideThePathAlphabet() {
    WebPubSubClientAccess access =
        template(LATEST)
            .forHub("h[1]")
            .getClientAccessToken(ClientAccessOptions.defaults())
            .block();

    assertThat(access.baseUrl()).endsWith("/client/hubs/h%5B1%5D");
    TestTokens.verify(access.token(), wm.baseUrl() + "/client/hubs/h%5B1%5D");
  }

  @Test
  void defaultsOfTheGivenWebClientBuilderApplyToEveryRequest() {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
    WebClient.Builder application = WebClient.builder().defaultHeader("X-Customized", "yes");
    WebPubSubTemplate template =
        WebPubSubTemplate.builder(application)
            .endpoint(URI.create(wm.baseUrl()))
            .hub("chat")
            .accessKey(TestTokens.KEY)
            .build();

    template.sendToAll("x").block();

    assertThat(onlyRequest().getHeader("X-Customized")).isEqualTo("yes");
  }

  @Test
  void aNextLinkThatIsNotAUrlFailsClearly() {
    wm.stubFor(get(anyUrl()).willReturn(okJson("{\"value\":[],\"nextLink\":\"http://h/a b\"}")));

    StepVerifier.create(template(LATEST).listConnectionsInGroup("g1"))
        .expectErrorSatisfies(
            ex ->
                assertThat(ex)
                    .isInstanceOf(WebPubSubException.class)
                    .hasMessage(
                        "listConnectionsInGroup on hub 'chat' at localhost:"
                            + wm.getPort()
                            + " answered with status 200 and an unreadable body: a malformed"
                            + " nextLink"))
        .verify(Duration.ofSeconds(60));
  }

  static LoggedRequest onlyRequest() {
    List<ServeEvent> events = wm.getAllServeEvents();
    assertThat(events).hasSize(1);
    return events.get(0).getRequest();
  }

  /** Requests oldest first (WireMock lists the newest first). */
  static List<LoggedRequest> requestsInOrder() {
    List<LoggedRequest> requests =
        new java.util.ArrayList<>(
            wm.getAllServeEvents().stream().map(ServeEvent::getRequest).toList());
    java.util.Collections.reverse(requests);
    return requests;
  }
}
