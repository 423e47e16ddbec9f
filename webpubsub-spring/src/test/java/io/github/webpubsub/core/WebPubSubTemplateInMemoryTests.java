package io.github.webpubsub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/**
 * The template over an in-memory {@code WebClient} exchange function: the exact request each
 * operation sends and how it reads the answer, without a socket (fast enough for mutation testing).
 * The WireMock and emulator tests check the same over real HTTP.
 */
class WebPubSubTemplateInMemoryTests {

  static final String SERVICE = "https://contoso.webpubsub.azure.com";

  private final List<ClientRequest> requests = new ArrayList<>();

  private final Deque<ClientResponse> answers = new ArrayDeque<>();

  private WebPubSubTemplate.Builder builder() {
    return WebPubSubTemplate.builder(
            WebClient.builder()
                .exchangeFunction(
                    request -> {
                      this.requests.add(request);
                      ClientResponse answer = this.answers.poll();
                      return Mono.just(
                          (answer != null) ? answer : ClientResponse.create(HttpStatus.OK).build());
                    }))
        .endpoint(URI.create(SERVICE))
        .hub("chat")
        .retry(WebPubSubRetrySettings.none());
  }

  private WebPubSubTemplate template() {
    return builder().accessKey(TestTokens.KEY).build();
  }

  private void answer(HttpStatus status) {
    this.answers.add(ClientResponse.create(status).build());
  }

  private void answerJson(String json) {
    this.answers.add(
        ClientResponse.create(HttpStatus.OK)
            .header(HttpHeaders.CONTENT_TYPE, "application/json")
            .body(json)
            .build());
  }

  private String url(int index) {
    return this.requests.get(index).url().toString();
  }

  // ---- existence checks: 404 is "no", any success "yes" ----

  @Test
  void existenceChecksAnswerFalseFor404AndTrueForASuccess() {
    WebPubSubTemplate template = template();
    answer(HttpStatus.NOT_FOUND);
    answer(HttpStatus.OK);

    assertThat(template.connectionExists("c1").block()).isFalse();
    assertThat(template.groupExists("g1").block()).isTrue();

    assertThat(this.requests).extracting(ClientRequest::method).containsOnly(HttpMethod.HEAD);
    assertThat(url(0)).isEqualTo(SERVICE + "/api/hubs/chat/connections/c1?api-version=2024-12-01");
    assertThat(url(1)).isEqualTo(SERVICE + "/api/hubs/chat/groups/g1?api-version=2024-12-01");
  }

  // ---- listing a group: pages followed by their nextLink ----

  @Test
  void nextLinksAreFollowedUntilAPageHasNone() {
    answerJson(
        "{\"value\":[{\"connectionId\":\"c1\",\"userId\":\"alice\"}],\"nextLink\":\""
            + "/api/hubs/chat/groups/g1/connections?continuationToken=t1\"}");
    answerJson("{\"value\":[{\"connectionId\":\"c2\"}]}");

    List<GroupMember> members =
        builder()
            .accessKey(TestTokens.KEY)
            .listPageSize(2)
            .build()
            .listConnectionsInGroup("g1")
            .collectList()
            .block();

    assertThat(members)
        .containsExactly(new GroupMember("c1", "alice"), new GroupMember("c2", null));
    assertThat(url(0))
        .isEqualTo(
            SERVICE + "/api/hubs/chat/groups/g1/connections?api-version=2024-12-01&maxpagesize=2");
    assertThat(url(1))
        .isEqualTo(SERVICE + "/api/hubs/chat/groups/g1/connections?continuationToken=t1");
    assertThat(this.requests).hasSize(2);
  }

  @Test
  void aNextLinkToAnotherOriginFailsTheListingAfterTheMembersOfItsPage() {
    answerJson(
        "{\"value\":[{\"connectionId\":\"c1\"}],\"nextLink\":\"https://evil.example.com/next\"}");
    StepVerifier.create(template().listConnectionsInGroup("g1"))
        .expectNext(new GroupMember("c1", null))
        .expectErrorSatisfies(
            failure ->
                assertThat(failure)
                    .isInstanceOf(WebPubSubException.class)
                    .hasMessageContaining(
                        "a nextLink to another origin (evil.example.com:443), which is not followed"
                            + " so that the token stays with the service"))
        .verify(Duration.ofSeconds(5));
    assertThat(this.requests).hasSize(1);
  }

  @Test
  void nextLinksThroughTheReverseProxyAreFollowedThroughIt() {
    answerJson(
        "{\"value\":[],\"nextLink\":\"https://gateway.example.com/wps/api/hubs/chat/groups/g1/"
            + "connections?continuationToken=t1\"}");
    answerJson("{\"value\":[{\"connectionId\":\"c1\"}]}");

    List<GroupMember> members =
        builder()
            .accessKey(TestTokens.KEY)
            .reverseProxyEndpoint(URI.create("https://gateway.example.com/wps"))
            .build()
            .listConnectionsInGroup("g1")
            .collectList()
            .block();

    assertThat(members).containsExactly(new GroupMember("c1", null));
    assertThat(url(1))
        .isEqualTo(
            "https://gateway.example.com/wps/api/hubs/chat/groups/g1/connections"
                + "?continuationToken=t1");
    String bearer = this.requests.get(1).headers().getFirst(HttpHeaders.AUTHORIZATION);
    TestTokens.verify(
        bearer.substring("Bearer ".length()),
        SERVICE + "/api/hubs/chat/groups/g1/connections?continuationToken=t1");
  }

  // ---- client access with a token provider: the service generates the token ----

  @Test
  void withATokenProviderClientTokensComeFromTheServiceWithTheLifetimeInWholeMinutes() {
    WebPubSubTemplate template = builder().tokenProvider(() -> Mono.just("entra-token")).build();
    answerJson("{\"token\":\"service-token\"}");
    answerJson("{\"token\":\"mqtt-token\"}");

    WebPubSubClientAccess access =
        template
            .getClientAccessToken(
                ClientAccessOptions.forUser("alice")
                    .roles("webpubsub.joinLeaveGroup")
                    .groups("g1")
                    .expiresAfter(Duration.ofSeconds(61)))
            .block();
    WebPubSubClientAccess mqtt =
        template
            .generateClientAccessToken(
                ClientAccessOptions.defaults()
                    .expiresAfter(Duration.ofSeconds(1))
                    .protocol(WebPubSubClientProtocol.MQTT))
            .block();

    assertThat(this.requests.get(0).method()).isEqualTo(HttpMethod.POST);
    assertThat(url(0))
        .isEqualTo(
            SERVICE
                + "/api/hubs/chat/:generateToken?api-version=2024-12-01&userId=alice"
                + "&role=webpubsub.joinLeaveGroup&minutesToExpire=2&group=g1");
    assertThat(this.requests.get(0).headers().getFirst(HttpHeaders.AUTHORIZATION))
        .isEqualTo("Bearer entra-token");
    assertThat(access.token()).isEqualTo("service-token");
    assertThat(access.baseUrl()).isEqualTo("wss://contoso.webpubsub.azure.com/client/hubs/chat");
    assertThat(access.url())
        .isEqualTo("wss://contoso.webpubsub.azure.com/client/hubs/chat?access_token=service-token");
    assertThat(url(1))
        .isEqualTo(
            SERVICE
                + "/api/hubs/chat/:generateToken?api-version=2024-12-01&minutesToExpire=1"
                + "&clientType=mqtt");
    assertThat(mqtt.baseUrl())
        .isEqualTo("wss://contoso.webpubsub.azure.com/clients/mqtt/hubs/chat");
  }

  @Test
  void withAnAccessKeyClientTokensAreSignedLocally() {
    WebPubSubClientAccess access =
        template().getClientAccessToken(ClientAccessOptions.forUser("bob")).block();

    assertThat(this.requests).isEmpty();
    TestTokens.verify(access.token(), SERVICE + "/client/hubs/chat");
    assertThat(access)
        .hasToString(
            "WebPubSubClientAccess[baseUrl=wss://contoso.webpubsub.azure.com/client/hubs/chat,"
                + " token=<redacted>]");
  }

  // ---- sends: the options become the query ----

  @Test
  void sendOptionsBecomeTheQueryOfTheSend() {
    WebPubSubTemplate template = template();

    template
        .sendToGroup(
            "g1",
            "hi",
            SendOptions.defaults()
                .excluding("c1", "c2")
                .filter(ODataFilter.userId().ne("bot"))
                .messageTtlSeconds(30))
        .block();
    template
        .closeGroupConnections("g1", CloseOptions.defaults().excluding("c3").reason("bye"))
        .block();

    assertThat(url(0))
        .isEqualTo(
            SERVICE
                + "/api/hubs/chat/groups/g1/:send?api-version=2024-12-01&excluded=c1&excluded=c2"
                + "&filter=userId%20ne%20'bot'&messageTtlSeconds=30");
    assertThat(url(1))
        .isEqualTo(
            SERVICE
                + "/api/hubs/chat/groups/g1/:closeConnections?api-version=2024-12-01"
                + "&excluded=c3&reason=bye");
  }

  @Test
  void aSendToOneConnectionCarriesOnlyTheTimeToLive() {
    template().sendToConnection("c1", "hi", SendOptions.defaults().messageTtlSeconds(5)).block();

    assertThat(this.requests.get(0).method()).isEqualTo(HttpMethod.POST);
    assertThat(url(0))
        .isEqualTo(
            SERVICE
                + "/api/hubs/chat/connections/c1/:send?api-version=2024-12-01&messageTtlSeconds=5");
    assertThat(this.requests.get(0).headers().getContentType()).hasToString("text/plain");
  }

  @Test
  void excludedConnectionsAreRefusedForSendToConnection() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> template().sendToConnection("c1", "x", SendOptions.defaults().excluding("c2")))
        .withMessage(
            "options.excluded and options.filter must not be set for sendToConnection: the service"
                + " has neither for this operation");
    assertThat(this.requests).isEmpty();
  }

  @Test
  void theConfiguredJsonSerializerWritesObjectMessages() {
    List<Object> serialized = new ArrayList<>();
    WebPubSubTemplate template =
        builder()
            .accessKey(TestTokens.KEY)
            .jsonSerializer(
                value -> {
                  serialized.add(value);
                  return "{\"custom\":true}".getBytes();
                })
            .build();

    template.sendToAll(List.of(1, 2)).block();

    assertThat(serialized).containsExactly(List.of(1, 2));
    assertThat(this.requests.get(0).headers().getContentType()).hasToString("application/json");
  }

  // ---- what the template and its builder show ----

  @Test
  void templateShowsEndpointTransportHubApiVersionAndCredentialKind() {
    assertThat(template().forHub("news"))
        .hasToString(
            "WebPubSubTemplate[endpoint="
                + SERVICE
                + ", transport=web-client, hub=news, apiVersion=2024-12-01,"
                + " credential=access key]");
    assertThat(
            WebPubSubTemplate.builder(HttpClient.create())
                .endpoint(URI.create(SERVICE + "/"))
                .hub("chat")
                .tokenProvider(() -> Mono.just("t"))
                .apiVersion("2023-07-01")
                .build())
        .hasToString(
            "WebPubSubTemplate[endpoint="
                + SERVICE
                + ", transport=reactor-netty, hub=chat, apiVersion=2023-07-01,"
                + " credential=token provider]");
    assertThat(template().getEndpoint()).isEqualTo(URI.create(SERVICE));
  }

  @Test
  void builderShowsItsSettingsWithTheKeyRedacted() {
    assertThat(
            WebPubSubTemplate.builder(HttpClient.create())
                .endpoint(URI.create(SERVICE))
                .hub("chat")
                .accessKey(TestTokens.KEY))
        .hasToString(
            "WebPubSubTemplate.Builder[transport=reactor-netty, endpoint="
                + SERVICE
                + ", hub=chat, accessKey=<redacted>, tokenProvider=null, apiVersion=2024-12-01,"
                + " reverseProxyEndpoint=null, retry="
                + WebPubSubRetrySettings.defaults()
                + "]");
    assertThat(WebPubSubTemplate.builder(WebClient.builder()).tokenProvider(() -> Mono.just("t")))
        .hasToString(
            "WebPubSubTemplate.Builder[transport=web-client, endpoint=null, hub=null,"
                + " accessKey=null, tokenProvider=set, apiVersion=2024-12-01,"
                + " reverseProxyEndpoint=null, retry="
                + WebPubSubRetrySettings.defaults()
                + "]");
  }
}
