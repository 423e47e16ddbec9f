package io.github.webpubsub.core;

import io.github.webpubsub.core.internal.AccessKeySigner;
import io.github.webpubsub.core.internal.Arguments;
import io.github.webpubsub.core.internal.HttpTransport;
import io.github.webpubsub.core.internal.HttpWebPubSubExchange;
import io.github.webpubsub.core.internal.Json;
import io.github.webpubsub.core.internal.MessageBody;
import io.github.webpubsub.core.internal.ObservedWebPubSubExchange;
import io.github.webpubsub.core.internal.ReactorNettyTransport;
import io.github.webpubsub.core.internal.RequestAuthorizer;
import io.github.webpubsub.core.internal.RetryPolicy;
import io.github.webpubsub.core.internal.TokenProviderAuthorizer;
import io.github.webpubsub.core.internal.UrlEncoding;
import io.github.webpubsub.core.internal.WebClientTransport;
import io.github.webpubsub.core.internal.WebPubSubExchange;
import io.github.webpubsub.core.internal.WebPubSubRequest;
import io.github.webpubsub.core.internal.WebPubSubResponse;
import io.github.webpubsub.core.observation.WebPubSubObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * Reactive client of the Azure Web PubSub data-plane REST API, bound to one hub.
 *
 * <p>Every request carries {@code Authorization: Bearer <token>}: with an access key, an HS256 JWT
 * whose {@code aud} is the request URL exactly as sent (reused per URL until half of its ten-minute
 * lifetime has passed); with a {@link WebPubSubTokenProvider}, the provider's token. Failed
 * requests are retried as {@link WebPubSubRetrySettings} describes. Create one with {@link
 * #builder(WebClient.Builder)} (Spring's HTTP client stack) or {@link #builder(HttpClient)}
 * (Reactor Netty directly, the cheapest per request); {@link #forHub(String)} gives views of other
 * hubs sharing everything else.
 *
 * @since 0.1.0
 */
public final class WebPubSubTemplate implements WebPubSubOperations {

  /** The api-version used when none is set. */
  public static final String DEFAULT_API_VERSION = "2024-12-01";

  private static final byte[] NO_BODY = new byte[0];

  private final Shared shared;

  private final String hub;

  /** {@code /api/hubs/<encoded hub>}, encoded once per hub view rather than per request. */
  private final String hubPath;

  private WebPubSubTemplate(Shared shared, String hub) {
    this.shared = shared;
    this.hub = hub;
    this.hubPath = "/api/hubs/" + UrlEncoding.pathSegment(hub);
  }

  /**
   * Starts a builder. The given builder is cloned, so Boot's customizers (codecs, filters, HTTP
   * client observations) apply without the template changing the application's builder.
   *
   * @param webClientBuilder the builder to start from, typically Spring Boot's
   * @return a new builder
   */
  public static Builder builder(WebClient.Builder webClientBuilder) {
    return new Builder(
        Objects.requireNonNull(webClientBuilder, "webClientBuilder must not be null"), null);
  }

  /**
   * Starts a builder that sends with a Reactor Netty {@link HttpClient} directly: about half the
   * allocation and CPU per request of a {@code WebClient}, but {@code WebClient} filters,
   * customizers and {@code http.client.requests} observations do not apply (the template's own
   * {@code webpubsub.client.requests} observations do).
   *
   * @param httpClient the client to send with (SSL, proxy and connection pool are its own)
   * @return a new builder
   * @since 0.1.0
   */
  public static Builder builder(HttpClient httpClient) {
    return new Builder(null, Objects.requireNonNull(httpClient, "httpClient must not be null"));
  }

  @Override
  public String getHub() {
    return this.hub;
  }

  @Override
  public WebPubSubTemplate forHub(String hub) {
    return new WebPubSubTemplate(this.shared, Arguments.hub(hub));
  }

  // ---- Sending ----

  @Override
  public Mono<Void> sendToAll(Object message, SendOptions options) {
    Arguments.notNull("options", options);
    MessageBody body = encode(message, options);
    WebPubSubRequest.Builder request =
        request("sendToAll", HttpMethod.POST)
            .path("/:send")
            .encodedQuery(this.shared.apiVersionQuery);
    addExcluded(request, options.getExcluded());
    return send(request.query("filter", filter(options)), body, options);
  }

  @Override
  public Mono<Void> sendToGroup(String group, Object message, SendOptions options) {
    Arguments.group("group", group);
    Arguments.notNull("options", options);
    MessageBody body = encode(message, options);
    WebPubSubRequest.Builder request =
        request("sendToGroup", HttpMethod.POST)
            .path("/groups/")
            .target("group", group)
            .path("/:send")
            .encodedQuery(this.shared.apiVersionQuery);
    addExcluded(request, options.getExcluded());
    return send(request.query("filter", filter(options)), body, options);
  }

  @Override
  public Mono<Void> sendToUser(String userId, Object message, SendOptions options) {
    Arguments.id("userId", userId);
    Arguments.notNull("options", options);
    if (!options.getExcluded().isEmpty()) {
      throw new IllegalArgumentException(
          "options.excluded must be empty for sendToUser: the service has no excluded connections"
              + " for this operation");
    }
    MessageBody body = encode(message, options);
    WebPubSubRequest.Builder request =
        request("sendToUser", HttpMethod.POST)
            .path("/users/")
            .target("userId", userId)
            .path("/:send")
            .encodedQuery(this.shared.apiVersionQuery)
            .query("filter", filter(options));
    return send(request, body, options);
  }

  @Override
  public Mono<Void> sendToConnection(String connectionId, Object message, SendOptions options) {
    Arguments.id("connectionId", connectionId);
    Arguments.notNull("options", options);
    if (!options.getExcluded().isEmpty() || options.getFilter() != null) {
      throw new IllegalArgumentException(
          "options.excluded and options.filter must not be set for sendToConnection: the service"
              + " has neither for this operation");
    }
    MessageBody body = encode(message, options);
    WebPubSubRequest.Builder request =
        request("sendToConnection", HttpMethod.POST)
            .path("/connections/")
            .target("connectionId", connectionId)
            .path("/:send")
            .encodedQuery(this.shared.apiVersionQuery);
    return send(request, body, options);
  }

  // ---- Existence checks ----

  @Override
  public Mono<Boolean> connectionExists(String connectionId) {
    Arguments.id("connectionId", connectionId);
    return exists(
        request("connectionExists", HttpMethod.HEAD)
            .path("/connections/")
            .target("connectionId", connectionId)
            .encodedQuery(this.shared.apiVersionQuery));
  }

  @Override
  public Mono<Boolean> groupExists(String group) {
    Arguments.group("group", group);
    return exists(
        request("groupExists", HttpMethod.HEAD)
            .path("/groups/")
            .target("group", group)
            .encodedQuery(this.shared.apiVersionQuery));
  }

  @Override
  public Mono<Boolean> userExists(String userId) {
    Arguments.id("userId", userId);
    return exists(
        request("userExists", HttpMethod.HEAD)
            .path("/users/")
            .target("userId", userId)
            .encodedQuery(this.shared.apiVersionQuery));
  }

  // ---- Groups ----

  @Override
  public Mono<Void> addConnectionToGroup(String group, String connectionId) {
    return execute(connectionInGroup("addConnectionToGroup", HttpMethod.PUT, group, connectionId));
  }

  @Override
  public Mono<Void> removeConnectionFromGroup(String group, String connectionId) {
    return execute(
        connectionInGroup("removeConnectionFromGroup", HttpMethod.DELETE, group, connectionId));
  }

  @Override
  public Mono<Void> removeConnectionFromAllGroups(String connectionId) {
    Arguments.id("connectionId", connectionId);
    return execute(
        request("removeConnectionFromAllGroups", HttpMethod.DELETE)
            .path("/connections/")
            .target("connectionId", connectionId)
            .path("/groups")
            .encodedQuery(this.shared.apiVersionQuery));
  }

  @Override
  public Mono<Void> addUserToGroup(String group, String userId) {
    return execute(userInGroup("addUserToGroup", HttpMethod.PUT, group, userId));
  }

  @Override
  public Mono<Void> removeUserFromGroup(String group, String userId) {
    return execute(userInGroup("removeUserFromGroup", HttpMethod.DELETE, group, userId));
  }

  @Override
  public Mono<Void> removeUserFromAllGroups(String userId) {
    Arguments.id("userId", userId);
    return execute(
        request("removeUserFromAllGroups", HttpMethod.DELETE)
            .path("/users/")
            .target("userId", userId)
            .path("/groups")
            .encodedQuery(this.shared.apiVersionQuery));
  }

  /** {@code /groups/{group}/connections/{connectionId}}: add (PUT) or remove (DELETE). */
  private WebPubSubRequest.Builder connectionInGroup(
      String operation, HttpMethod method, String group, String connectionId) {
    Arguments.group("group", group);
    Arguments.id("connectionId", connectionId);
    return request(operation, method)
        .path("/groups/")
        .target("group", group)
        .path("/connections/")
        .target("connectionId", connectionId)
        .encodedQuery(this.shared.apiVersionQuery);
  }

  /** {@code /users/{userId}/groups/{group}}: add (PUT) or remove (DELETE). */
  private WebPubSubRequest.Builder userInGroup(
      String operation, HttpMethod method, String group, String userId) {
    Arguments.group("group", group);
    Arguments.id("userId", userId);
    return request(operation, method)
        .path("/users/")
        .target("userId", userId)
        .path("/groups/")
        .target("group", group)
        .encodedQuery(this.shared.apiVersionQuery);
  }

  @Override
  public Mono<Void> addConnectionsToGroups(Collection<String> groups, @Nullable String filter) {
    return groupsByFilter("addConnectionsToGroups", "/:addToGroups", groups, filter);
  }

  @Override
  public Mono<Void> removeConnectionsFromGroups(
      Collection<String> groups, @Nullable String filter) {
    return groupsByFilter("removeConnectionsFromGroups", "/:removeFromGroups", groups, filter);
  }

  private Mono<Void> groupsByFilter(
      String operation, String action, Collection<String> groups, @Nullable String filter) {
    Arguments.groups("groups", groups);
    Arguments.optionalNotBlank("filter", filter);
    StringJoiner names = new StringJoiner(",", "[", "]");
    groups.forEach(group -> names.add(Json.quote(group)));
    String json =
        "{\"groups\":"
            + names
            + ((filter != null) ? ",\"filter\":" + Json.quote(filter) : "")
            + "}";
    return execute(
        request(operation, HttpMethod.POST)
            .path(action)
            .encodedQuery(this.shared.apiVersionQuery)
            .body(json.getBytes(StandardCharsets.UTF_8), WebPubSubContentType.JSON.mediaType()));
  }

  @Override
  public Flux<GroupMember> listConnectionsInGroup(String group) {
    Arguments.group("group", group);
    WebPubSubRequest first =
        request("listConnectionsInGroup", HttpMethod.GET)
            .path("/groups/")
            .target("group", group)
            .path("/connections")
            .encodedQuery(this.shared.apiVersionQuery)
            .query("maxpagesize", this.shared.listPageSize)
            .readsBody()
            .build();
    return readPage(first)
        .expand(
            page -> {
              if (page.nextLink() == null) {
                return Mono.empty();
              }
              WebPubSubRequest next =
                  WebPubSubRequest.of("listConnectionsInGroup", this.hub, HttpMethod.GET)
                      .absoluteUrl(page.nextLink())
                      .readsBody()
                      .build();
              return readPage(next);
            })
        .concatMapIterable(Page::members);
  }

  private Mono<Page> readPage(WebPubSubRequest request) {
    return this.shared
        .exchange
        .exchange(request)
        .map(response -> Page.parse(request, response, this.hub));
  }

  // ---- Closing connections ----

  @Override
  public Mono<Void> closeConnection(String connectionId, @Nullable String reason) {
    Arguments.id("connectionId", connectionId);
    return execute(
        request("closeConnection", HttpMethod.DELETE)
            .path("/connections/")
            .target("connectionId", connectionId)
            .encodedQuery(this.shared.apiVersionQuery)
            .query("reason", reason));
  }

  @Override
  public Mono<Void> closeAllConnections(CloseOptions options) {
    Arguments.notNull("options", options);
    return close(request("closeAllConnections", HttpMethod.POST), options);
  }

  @Override
  public Mono<Void> closeGroupConnections(String group, CloseOptions options) {
    Arguments.group("group", group);
    Arguments.notNull("options", options);
    return close(
        request("closeGroupConnections", HttpMethod.POST).path("/groups/").target("group", group),
        options);
  }

  @Override
  public Mono<Void> closeUserConnections(String userId, CloseOptions options) {
    Arguments.id("userId", userId);
    Arguments.notNull("options", options);
    return close(
        request("closeUserConnections", HttpMethod.POST).path("/users/").target("userId", userId),
        options);
  }

  private Mono<Void> close(WebPubSubRequest.Builder request, CloseOptions options) {
    Arguments.ids("options.excluded", options.getExcluded());
    request.path("/:closeConnections").encodedQuery(this.shared.apiVersionQuery);
    addExcluded(request, options.getExcluded());
    return execute(request.query("reason", options.getReason()));
  }

  // ---- Permissions ----

  @Override
  public Mono<Void> grantPermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName) {
    return execute(
        permissionRequest("grantPermission", HttpMethod.PUT, permission, connectionId, targetName));
  }

  @Override
  public Mono<Void> revokePermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName) {
    return execute(
        permissionRequest(
            "revokePermission", HttpMethod.DELETE, permission, connectionId, targetName));
  }

  @Override
  public Mono<Boolean> checkPermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName) {
    return exists(
        permissionRequest(
            "checkPermission", HttpMethod.HEAD, permission, connectionId, targetName));
  }

  private WebPubSubRequest.Builder permissionRequest(
      String operation,
      HttpMethod method,
      @Nullable WebPubSubPermission permission,
      String connectionId,
      @Nullable String targetName) {
    Arguments.notNull("permission", permission);
    Arguments.id("connectionId", connectionId);
    if (targetName != null) {
      Arguments.group("targetName", targetName);
    }
    return request(operation, method)
        .path("/permissions/")
        .target("permission", permission.value())
        .path("/connections/")
        .target("connectionId", connectionId)
        .encodedQuery(this.shared.apiVersionQuery)
        .query("targetName", targetName);
  }

  // ---- Client access ----

  @Override
  public Mono<WebPubSubClientAccess> getClientAccessToken(ClientAccessOptions options) {
    Arguments.notNull("options", options);
    AccessKeySigner signer = this.shared.signer;
    if (signer == null) {
      return generateClientAccessToken(options);
    }
    return Mono.fromSupplier(
        () -> {
          String path = clientPath(options.getProtocol());
          String token =
              signer.clientToken(
                  this.shared.endpoint + path,
                  options.getUserId(),
                  options.getRoles(),
                  options.getGroups(),
                  options.getExpiresAfter());
          return clientAccess(path, token);
        });
  }

  @Override
  public Mono<WebPubSubClientAccess> generateClientAccessToken(ClientAccessOptions options) {
    Arguments.notNull("options", options);
    long minutes = Math.max(1, (options.getExpiresAfter().toSeconds() + 59) / 60);
    WebPubSubClientProtocol protocol = options.getProtocol();
    WebPubSubRequest.Builder request =
        request("generateClientToken", HttpMethod.POST)
            .path("/:generateToken")
            .encodedQuery(this.shared.apiVersionQuery)
            .query("userId", options.getUserId());
    request.queryEach("role", options.getRoles()).query("minutesToExpire", minutes);
    request.queryEach("group", options.getGroups());
    if (protocol != WebPubSubClientProtocol.DEFAULT) {
      request.query("clientType", protocol.clientType());
    }
    WebPubSubRequest built = request.readsBody().build();
    return this.shared
        .exchange
        .exchange(built)
        .map(
            response -> {
              Object token = readJsonObject(built, response).get("token");
              if (!(token instanceof String value) || value.isEmpty()) {
                throw new WebPubSubException(
                    "generateClientToken on hub '" + this.hub + "' answered without a token",
                    response.statusCode(),
                    null,
                    null,
                    null);
              }
              return clientAccess(clientPath(protocol), value);
            });
  }

  private String clientPath(WebPubSubClientProtocol protocol) {
    return "/" + protocol.pathPrefix() + UrlEncoding.pathSegment(this.hub);
  }

  private WebPubSubClientAccess clientAccess(String path, String token) {
    String baseUrl = this.shared.clientEndpoint + path;
    return new WebPubSubClientAccess(token, baseUrl, baseUrl + "?access_token=" + token);
  }

  // ---- Service ----

  @Override
  public Mono<Void> checkServiceHealth() {
    return execute(
        WebPubSubRequest.of("getServiceStatus", null, HttpMethod.HEAD)
            .noRetry()
            .path("/api/health")
            .encodedQuery(this.shared.apiVersionQuery));
  }

  // ---- Plumbing ----

  private WebPubSubRequest.Builder request(String operation, HttpMethod method) {
    return WebPubSubRequest.of(operation, this.hub, method).path(this.hubPath);
  }

  private MessageBody encode(Object message, SendOptions options) {
    return MessageBody.of(message, options.getContentType(), this.shared.jsonSerializer);
  }

  private static void addExcluded(WebPubSubRequest.Builder request, List<String> excluded) {
    if (excluded.isEmpty()) {
      return; // the usual case: no iterator to allocate per send
    }
    Arguments.ids("options.excluded", excluded);
    request.queryEach("excluded", excluded);
  }

  private static @Nullable String filter(SendOptions options) {
    return Arguments.optionalNotBlank("options.filter", options.getFilter());
  }

  private Mono<Void> send(WebPubSubRequest.Builder request, MessageBody body, SendOptions options) {
    Integer ttl = options.getMessageTtlSeconds();
    if (ttl != null && (ttl < 0 || ttl > 300)) {
      throw new IllegalArgumentException(
          "options.messageTtlSeconds must be between 0 and 300 but was " + ttl);
    }
    request
        .query("messageTtlSeconds", ttl)
        .body(body.bytes(), body.contentType().mediaType())
        .send();
    return execute(request);
  }

  private Mono<Void> execute(WebPubSubRequest.Builder request) {
    return this.shared.exchange.exchange(request.build()).then();
  }

  private Mono<Boolean> exists(WebPubSubRequest.Builder request) {
    return this.shared
        .exchange
        .exchange(request.notFoundIsAnswer().build())
        .map(response -> response.statusCode() != 404);
  }

  private static Map<?, ?> readJsonObject(WebPubSubRequest request, WebPubSubResponse response) {
    try {
      if (Json.parse(response.bodyAsString()) instanceof Map<?, ?> map) {
        return map;
      }
      throw new IllegalArgumentException("not a JSON object");
    } catch (IllegalArgumentException ex) {
      throw new WebPubSubException(
          request.operation()
              + " on hub '"
              + request.hub()
              + "' answered with an unreadable body: "
              + ex.getMessage(),
          response.statusCode(),
          null,
          null,
          ex);
    }
  }

  /**
   * The service endpoint this template talks to (requests may go through a reverse proxy).
   *
   * @return the endpoint, e.g. {@code https://contoso.webpubsub.azure.com}
   */
  public URI getEndpoint() {
    return URI.create(this.shared.endpoint);
  }

  @Override
  public String toString() {
    return "WebPubSubTemplate[endpoint="
        + this.shared.endpoint
        + ", transport="
        + this.shared.transport
        + ", hub="
        + this.hub
        + ", apiVersion="
        + this.shared.apiVersion
        + ", credential="
        + ((this.shared.signer != null) ? "access key" : "token provider")
        + "]";
  }

  /** A page of {@code listConnectionsInGroup}. */
  private record Page(List<GroupMember> members, @Nullable String nextLink) {

    static Page parse(WebPubSubRequest request, WebPubSubResponse response, String hub) {
      Map<?, ?> json = readJsonObject(request, response);
      List<GroupMember> members = new ArrayList<>();
      if (json.get("value") instanceof List<?> values) {
        for (Object value : values) {
          if (value instanceof Map<?, ?> member
              && member.get("connectionId") instanceof String connectionId) {
            Object userId = member.get("userId");
            members.add(new GroupMember(connectionId, (userId instanceof String u) ? u : null));
          } else {
            throw new WebPubSubException(
                "listConnectionsInGroup on hub '"
                    + hub
                    + "' answered a member without connectionId",
                response.statusCode(),
                null,
                null,
                null);
          }
        }
      }
      Object nextLink = json.get("nextLink");
      return new Page(members, (nextLink instanceof String link && !link.isBlank()) ? link : null);
    }
  }

  /** What all hub views of one template share. */
  private record Shared(
      WebPubSubExchange exchange,
      String transport,
      @Nullable AccessKeySigner signer,
      String endpoint,
      String clientEndpoint,
      String apiVersion,
      String apiVersionQuery,
      int listPageSize,
      WebPubSubJsonSerializer jsonSerializer) {}

  /**
   * Builds a {@link WebPubSubTemplate}: an endpoint, a hub and either an access key or a token
   * provider are required.
   *
   * @since 0.1.0
   */
  public static final class Builder {

    private final WebClient.@Nullable Builder webClientBuilder;

    private final @Nullable HttpClient httpClient;

    private @Nullable URI endpoint;

    private @Nullable String hub;

    private @Nullable String accessKey;

    private @Nullable WebPubSubTokenProvider tokenProvider;

    private String apiVersion = DEFAULT_API_VERSION;

    private @Nullable URI reverseProxyEndpoint;

    private @Nullable Duration connectTimeout;

    private Duration responseTimeout = Duration.ofSeconds(30);

    private WebPubSubRetrySettings retry = WebPubSubRetrySettings.defaults();

    private @Nullable WebPubSubJsonSerializer jsonSerializer;

    private int listPageSize = 200;

    private @Nullable ObservationRegistry observationRegistry;

    private @Nullable WebPubSubObservationConvention observationConvention;

    private Builder(WebClient.@Nullable Builder webClientBuilder, @Nullable HttpClient httpClient) {
      this.webClientBuilder = webClientBuilder;
      this.httpClient = httpClient;
    }

    /** Service endpoint, {@code http(s)://host[:port][/]} (required). */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** Default hub of the template (required). */
    public Builder hub(String hub) {
      this.hub = hub;
      return this;
    }

    /**
     * Access key signing requests and client tokens; its UTF-8 bytes are the HS256 key, so it must
     * have at least 32 bytes.
     */
    public Builder accessKey(String accessKey) {
      this.accessKey = accessKey;
      return this;
    }

    /** Source of bearer tokens (e.g. Microsoft Entra ID), instead of an access key. */
    public Builder tokenProvider(WebPubSubTokenProvider provider) {
      this.tokenProvider = provider;
      return this;
    }

    /** REST api-version, {@value WebPubSubTemplate#DEFAULT_API_VERSION} by default. */
    public Builder apiVersion(String apiVersion) {
      this.apiVersion = apiVersion;
      return this;
    }

    /**
     * Reverse proxy (e.g. Azure API Management) that requests are sent to instead of the endpoint,
     * keeping the path and query and adding the proxy's own path prefix; tokens still name the
     * service URL. Client URLs keep the service endpoint.
     */
    public Builder reverseProxyEndpoint(@Nullable URI reverseProxyEndpoint) {
      this.reverseProxyEndpoint = reverseProxyEndpoint;
      return this;
    }

    /**
     * Time to establish a connection. With a {@code WebClient.Builder}: when set, the template uses
     * its own Reactor Netty connector with that timeout instead of the builder's; when not set (the
     * default), the builder's connector, with its SSL, proxy and timeout settings, is kept. With an
     * {@link HttpClient}: when set, it replaces the client's connect timeout.
     */
    public Builder connectTimeout(@Nullable Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Time to wait for each attempt's complete answer, 30 seconds by default. */
    public Builder responseTimeout(Duration responseTimeout) {
      this.responseTimeout = responseTimeout;
      return this;
    }

    /** How failed requests are retried, {@link WebPubSubRetrySettings#defaults()} by default. */
    public Builder retry(WebPubSubRetrySettings retry) {
      this.retry = retry;
      return this;
    }

    /** How messages that are neither text nor binary become JSON; Jackson 3 by default. */
    public Builder jsonSerializer(WebPubSubJsonSerializer jsonSerializer) {
      this.jsonSerializer = jsonSerializer;
      return this;
    }

    /** Connections per page requested when listing a group ({@code maxpagesize}, 1 to 200). */
    public Builder listPageSize(int listPageSize) {
      this.listPageSize = listPageSize;
      return this;
    }

    /**
     * Registry observing every operation as {@code webpubsub.client.requests} (a timer with
     * metrics, a span with tracing), from the first attempt to the final answer; none by default.
     *
     * @param observationRegistry the registry, {@code null} for no observations
     * @return this builder
     * @since 0.1.0
     */
    public Builder observationRegistry(@Nullable ObservationRegistry observationRegistry) {
      this.observationRegistry = observationRegistry;
      return this;
    }

    /**
     * Convention replacing {@link
     * io.github.webpubsub.core.observation.DefaultWebPubSubObservationConvention} for the
     * observations of {@link #observationRegistry(ObservationRegistry)}.
     *
     * @param observationConvention the convention, {@code null} for the default
     * @return this builder
     * @since 0.1.0
     */
    public Builder observationConvention(
        @Nullable WebPubSubObservationConvention observationConvention) {
      this.observationConvention = observationConvention;
      return this;
    }

    /**
     * Builds the template.
     *
     * @throws IllegalStateException when a required setting is missing or both credentials are set
     * @throws IllegalArgumentException when a setting is malformed (the key is never shown)
     */
    public WebPubSubTemplate build() {
      return build(Clock.systemUTC());
    }

    WebPubSubTemplate build(Clock clock) {
      if (this.endpoint == null) {
        throw new IllegalStateException(
            "endpoint is required, e.g. https://<name>.webpubsub.azure.com");
      }
      if (this.hub == null) {
        throw new IllegalStateException("hub is required");
      }
      if (this.accessKey == null && this.tokenProvider == null) {
        throw new IllegalStateException("accessKey or tokenProvider is required");
      }
      if (this.accessKey != null && this.tokenProvider != null) {
        throw new IllegalStateException("set either accessKey or tokenProvider, not both");
      }
      String endpoint = normalizeEndpoint("endpoint", this.endpoint, false);
      String reverseProxy =
          (this.reverseProxyEndpoint != null)
              ? normalizeEndpoint("reverseProxyEndpoint", this.reverseProxyEndpoint, true)
              : null;
      String hub = Arguments.hub(this.hub);
      if (this.apiVersion == null || this.apiVersion.isBlank()) {
        throw new IllegalArgumentException("apiVersion must not be blank");
      }
      if (this.connectTimeout != null) {
        requirePositive("connectTimeout", this.connectTimeout);
      }
      requirePositive("responseTimeout", this.responseTimeout);
      Objects.requireNonNull(this.retry, "retry must not be null");
      if (this.listPageSize < 1 || this.listPageSize > 200) {
        throw new IllegalArgumentException(
            "listPageSize must be between 1 and 200 but was " + this.listPageSize);
      }
      AccessKeySigner signer =
          (this.accessKey != null) ? new AccessKeySigner(this.accessKey, clock) : null;
      RequestAuthorizer authorizer =
          (signer != null)
              ? signer
              : new TokenProviderAuthorizer(Objects.requireNonNull(this.tokenProvider));
      HttpTransport transport = transport();
      WebPubSubExchange exchange =
          new HttpWebPubSubExchange(
              transport,
              endpoint,
              reverseProxy,
              authorizer,
              new RetryPolicy(this.retry),
              this.responseTimeout,
              Schedulers.parallel());
      if (this.observationRegistry != null
          && this.observationRegistry != ObservationRegistry.NOOP) {
        exchange =
            new ObservedWebPubSubExchange(
                exchange, this.observationRegistry, this.observationConvention);
      }
      String clientEndpoint = "ws" + endpoint.substring("http".length());
      Shared shared =
          new Shared(
              exchange,
              (this.httpClient != null) ? "reactor-netty" : "web-client",
              signer,
              endpoint,
              clientEndpoint,
              this.apiVersion,
              "api-version=" + UrlEncoding.queryParameter(this.apiVersion),
              this.listPageSize,
              (this.jsonSerializer != null)
                  ? this.jsonSerializer
                  : JacksonJsonSerializer.defaults());
      return new WebPubSubTemplate(shared, hub);
    }

    private HttpTransport transport() {
      Integer connectTimeoutMillis =
          (this.connectTimeout != null)
              ? (int) Math.min(Integer.MAX_VALUE, this.connectTimeout.toMillis())
              : null;
      if (this.httpClient != null) {
        HttpClient httpClient =
            (connectTimeoutMillis != null)
                ? this.httpClient.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                : this.httpClient;
        return new ReactorNettyTransport(httpClient, this.responseTimeout);
      }
      WebClient.Builder webClientBuilder = Objects.requireNonNull(this.webClientBuilder).clone();
      if (connectTimeoutMillis != null) {
        webClientBuilder.clientConnector(
            new ReactorClientHttpConnector(
                HttpClient.create()
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)));
      }
      return new WebClientTransport(webClientBuilder.build(), this.responseTimeout);
    }

    private static void requirePositive(String name, @Nullable Duration value) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive but was " + value);
      }
    }

    private static String normalizeEndpoint(String name, URI uri, boolean pathAllowed) {
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            name
                + " must be an absolute http(s) URL such as https://<name>.webpubsub.azure.com but was '"
                + uri
                + "'");
      }
      if (uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            name + " must not have user info, a query or a fragment but was '" + uri + "'");
      }
      String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      if (!path.isEmpty() && !pathAllowed) {
        throw new IllegalArgumentException(
            name + " must not have a path (http(s)://host[:port]) but was '" + uri + "'");
      }
      return scheme.toLowerCase(java.util.Locale.ROOT) + "://" + uri.getRawAuthority() + path;
    }

    @Override
    public String toString() {
      return "WebPubSubTemplate.Builder[transport="
          + ((this.httpClient != null) ? "reactor-netty" : "web-client")
          + ", endpoint="
          + this.endpoint
          + ", hub="
          + this.hub
          + ", accessKey="
          + ((this.accessKey != null) ? "<redacted>" : "null")
          + ", tokenProvider="
          + ((this.tokenProvider != null) ? "set" : "null")
          + ", apiVersion="
          + this.apiVersion
          + ", reverseProxyEndpoint="
          + this.reverseProxyEndpoint
          + ", retry="
          + this.retry
          + "]";
    }
  }
}
