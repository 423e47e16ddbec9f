package io.github.webpubsub.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.web.reactive.function.client.WebClient;

/** A reverse proxy receives the requests under its path prefix; tokens name the service. */
class WebPubSubTemplateReverseProxyTests {

  static final String SERVICE = "https://contoso.webpubsub.azure.com";

  @RegisterExtension
  static WireMockExtension proxy =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  WebPubSubTemplate template() {
    return WebPubSubTemplate.builder(WebClient.builder())
        .endpoint(URI.create(SERVICE + "/"))
        .hub("chat")
        .accessKey(TestTokens.KEY)
        .reverseProxyEndpoint(URI.create(proxy.baseUrl() + "/gateway/"))
        .build();
  }

  @Test
  void requestReachesTheProxyUnderItsPrefixAndTheAudienceNamesTheService() {
    proxy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));

    template().sendToGroup("g 1", "hi").block();

    LoggedRequest request = proxy.getAllServeEvents().get(0).getRequest();
    assertThat(request.getUrl())
        .isEqualTo("/gateway/api/hubs/chat/groups/g%201/:send?api-version=2024-12-01");
    TestTokens.verify(
        TestTokens.bearer(request),
        SERVICE + "/api/hubs/chat/groups/g%201/:send?api-version=2024-12-01");
  }

  @Test
  void nextLinksOfTheServiceAreFollowedThroughTheProxy() {
    proxy.stubFor(
        any(anyUrl())
            .willReturn(
                okJson(
                    "{\"value\":[],\"nextLink\":\""
                        + SERVICE
                        + "/api/hubs/chat/groups/g1/connections?continuationToken=t1\"}")));
    proxy.stubFor(
        any(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(
                "/gateway/api/hubs/chat/groups/g1/connections?continuationToken=t1"))
            .willReturn(okJson("{\"value\":[{\"connectionId\":\"c1\"}]}")));

    assertThat(template().listConnectionsInGroup("g1").collectList().block())
        .containsExactly(new GroupMember("c1", null));

    LoggedRequest second = proxy.getAllServeEvents().get(0).getRequest();
    assertThat(second.getUrl())
        .isEqualTo("/gateway/api/hubs/chat/groups/g1/connections?continuationToken=t1");
    TestTokens.verify(
        TestTokens.bearer(second),
        SERVICE + "/api/hubs/chat/groups/g1/connections?continuationToken=t1");
  }

  @Test
  void clientUrlsUseTheServiceEndpointNotTheProxy() {
    WebPubSubClientAccess access =
        template().getClientAccessToken(ClientAccessOptions.forUser("u1")).block();

    assertThat(access.baseUrl()).isEqualTo("wss://contoso.webpubsub.azure.com/client/hubs/chat");
    TestTokens.verify(access.token(), SERVICE + "/client/hubs/chat");
    assertThat(proxy.getAllServeEvents()).isEmpty();
  }
}
