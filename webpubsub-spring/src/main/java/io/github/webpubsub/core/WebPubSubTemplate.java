package io.github.webpubsub.core;

import io.github.webpubsub.core.internal.AccessKeySigner;
import io.github.webpubsub.core.internal.Arguments;
import io.github.webpubsub.core.internal.HttpTransport;
import io.github.webpubsub.core.internal.MessageBody;
import io.github.webpubsub.core.internal.Replies;
import io.github.webpubsub.core.internal.Routes;
import io.github.webpubsub.core.internal.TemplateSettings;
import io.github.webpubsub.core.internal.Transports;
import io.github.webpubsub.core.internal.WebPubSubExchange;
import io.github.webpubsub.core.internal.WebPubSubRequest;
import io.github.webpubsub.core.observation.WebPubSubObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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
 * <p>(Why this class is long: it implements the 25 operations of {@link WebPubSubOperations}, each
 * a few lines of argument checks handing a request from {@code Routes} to the exchange, and holds
 * its {@link Builder} nested, as {@code WebClient.Builder} is. Routing, reply decoding, builder
 * validation and transport construction live in classes of their own.)
 *
 * @since 0.1.0
 */
public final class WebPubSubTemplate implements WebPubSubOperations {

  /** The api-version used when none is set. */
  public static final String DEFAULT_API_VERSION = "2024-12-01";

  /** The limit of each attempt when none is set. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  private final Shared shared;

  private final String hub;

  private final Routes routes;

  private WebPubSubTemplate(Shared shared, String hub) {
    this.shared = shared;
    this.hub = hub;
    this.routes = new Routes(hub, shared.settings().apiVersion());
  }

  /**
   * Starts a builder. The given builder is cloned, so Boot's customizers (codecs, filters, HTTP
   * client observations) apply without the template changing the application's builder.
   *
   * @param webClientBuilder the builder to start from, typically Spring Boot's
   * @return a new builder
   */
  public static Builder builder(WebClient.Builder webClientBuilder) {
    Arguments.notNull("webClientBuilder", webClientBuilder);
    return new Builder(webClientBuilder, null);
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
    Arguments.notNull("httpClient", httpClient);
    return new Builder(null, httpClient);
  }

  @Override
  public String getHub() {
    return this.hub;
  }

  /**
   * The service endpoint this template talks to (requests may go through a reverse proxy).
   *
   * @return the endpoint, e.g. {@code https://contoso.webpubsub.azure.com}
   */
  public URI getEndpoint() {
    return URI.create(this.shared.settings().endpoint());
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
    WebPubSubRequest.Builder request = this.routes.sendToAll();
    addExcluded(request, options.getExcluded());
    return send(request.query("filter", filter(options)), body, options);
  }

  @Override
  public Mono<Void> sendToGroup(String group, Object message, SendOptions options) {
    Arguments.group("group", group);
    Arguments.notNull("options", options);
    MessageBody body = encode(message, options);
    WebPubSubRequest.Builder request = this.routes.sendToGroup(group);
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
    return send(this.routes.sendToUser(userId).query("filter", filter(options)), body, options);
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
    return send(this.routes.sendToConnection(connectionId), body, options);
  }

  // ---- Existence checks ----

  @Override
  public Mono<Boolean> connectionExists(String connectionId) {
    Arguments.id("connectionId", connectionId);
    return exists(this.routes.connectionExists(connectionId));
  }

  @Override
  public Mono<Boolean> groupExists(String group) {
    Arguments.group("group", group);
    return exists(this.routes.groupExists(group));
  }

  @Override
  public Mono<Boolean> userExists(String userId) {
    Arguments.id("userId", userId);
    return exists(this.routes.userExists(userId));
  }

  // ---- Groups ----

  @Override
  public Mono<Void> addConnectionToGroup(String group, String connectionId) {
    return connectionInGroup("addConnectionToGroup", HttpMethod.PUT, group, connectionId);
  }

  @Override
  public Mono<Void> removeConnectionFromGroup(String group, String connectionId) {
    return connectionInGroup("removeConnectionFromGroup", HttpMethod.DELETE, group, connectionId);
  }

  @Override
  public Mono<Void> removeConnectionFromAllGroups(String connectionId) {
    Arguments.id("connectionId", connectionId);
    return execute(this.routes.removeConnectionFromAllGroups(connectionId));
  }

  @Override
  public Mono<Void> addUserToGroup(String group, String userId) {
    return userInGroup("addUserToGroup", HttpMethod.PUT, group, userId);
  }

  @Override
  public Mono<Void> removeUserFromGroup(String group, String userId) {
    return userInGroup("removeUserFromGroup", HttpMethod.DELETE, group, userId);
  }

  @Override
  public Mono<Void> removeUserFromAllGroups(String userId) {
    Arguments.id("userId", userId);
    return execute(this.routes.removeUserFromAllGroups(userId));
  }

  private Mono<Void> connectionInGroup(
      String operation, HttpMethod method, String group, String connectionId) {
    Arguments.group("group", group);
    Arguments.id("connectionId", connectionId);
    return execute(this.routes.connectionInGroup(operation, method, group, connectionId));
  }

  private Mono<Void> userInGroup(String operation, HttpMethod method, String group, String userId) {
    Arguments.group("group", group);
    Arguments.id("userId", userId);
    return execute(this.routes.userInGroup(operation, method, group, userId));
  }

  @Override
  public Mono<Void> addConnectionsToGroups(Collection<String> groups, @Nullable String filter) {
    return groupsByFilter(true, groups, filter);
  }

  @Override
  public Mono<Void> removeConnectionsFromGroups(
      Collection<String> groups, @Nullable String filter) {
    return groupsByFilter(false, groups, filter);
  }

  private Mono<Void> groupsByFilter(
      boolean add, Collection<String> groups, @Nullable String filter) {
    Arguments.groups("groups", groups);
    Arguments.optionalNotBlank("filter", filter);
    return execute(this.routes.groupsByFilter(add, groups, filter));
  }

  @Override
  public Flux<GroupMember> listConnectionsInGroup(String group) {
    Arguments.group("group", group);
    WebPubSubRequest first =
        this.routes.listConnectionsInGroup(group, this.shared.settings().listPageSize()).build();
    return readPage(first)
        .expand(
            page -> {
              if (page.nextLinkError() != null) {
                return Mono.error(page.nextLinkError());
              }
              String nextLink = page.nextLink();
              return (nextLink != null)
                  ? readPage(this.routes.nextPage(nextLink).build())
                  : Mono.empty();
            })
        .concatMapIterable(Replies.Page::members);
  }

  private Mono<Replies.Page> readPage(WebPubSubRequest request) {
    return this.shared
        .exchange()
        .exchange(request)
        .map(response -> this.shared.replies().page(request, response));
  }

  // ---- Closing connections ----

  @Override
  public Mono<Void> closeConnection(String connectionId, @Nullable String reason) {
    Arguments.id("connectionId", connectionId);
    return execute(this.routes.closeConnection(connectionId, reason));
  }

  @Override
  public Mono<Void> closeAllConnections(CloseOptions options) {
    Arguments.notNull("options", options);
    return close(this.routes.closeAllConnections(), options);
  }

  @Override
  public Mono<Void> closeGroupConnections(String group, CloseOptions options) {
    Arguments.group("group", group);
    Arguments.notNull("options", options);
    return close(this.routes.closeGroupConnections(group), options);
  }

  @Override
  public Mono<Void> closeUserConnections(String userId, CloseOptions options) {
    Arguments.id("userId", userId);
    Arguments.notNull("options", options);
    return close(this.routes.closeUserConnections(userId), options);
  }

  private Mono<Void> close(WebPubSubRequest.Builder request, CloseOptions options) {
    addExcluded(request, options.getExcluded());
    return execute(request.query("reason", options.getReason()));
  }

  // ---- Permissions ----

  @Override
  public Mono<Void> grantPermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName) {
    return execute(
        permission("grantPermission", HttpMethod.PUT, permission, connectionId, targetName));
  }

  @Override
  public Mono<Void> revokePermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName) {
    return execute(
        permission("revokePermission", HttpMethod.DELETE, permission, connectionId, targetName));
  }

  @Override
  public Mono<Boolean> checkPermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName) {
    return exists(
        permission("checkPermission", HttpMethod.HEAD, permission, connectionId, targetName));
  }

  private WebPubSubRequest.Builder permission(
      String operation,
      HttpMethod method,
      @Nullable WebPubSubPermission permission,
      String connectionId,
      @Nullable String targetName) {
    WebPubSubPermission checked = Arguments.notNull("permission", permission);
    Arguments.id("connectionId", connectionId);
    if (targetName != null) {
      Arguments.group("targetName", targetName);
    }
    return this.routes.permission(operation, method, checked.value(), connectionId, targetName);
  }

  // ---- Client access ----

  @Override
  public Mono<WebPubSubClientAccess> getClientAccessToken(ClientAccessOptions options) {
    Arguments.notNull("options", options);
    AccessKeySigner signer = this.shared.signer();
    if (signer == null) {
      return generateClientAccessToken(options);
    }
    return Mono.fromSupplier(
        () -> {
          String path = this.routes.clientPath(options.getProtocol());
          String token =
              signer.clientToken(
                  this.shared.settings().endpoint() + path,
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
    WebPubSubRequest request =
        this.routes
            .generateToken(
                options.getUserId(), options.getRoles(), options.getGroups(), minutes, protocol)
            .build();
    return this.shared
        .exchange()
        .exchange(request)
        .map(
            response ->
                clientAccess(
                    this.routes.clientPath(protocol),
                    this.shared.replies().token(request, response)));
  }

  private WebPubSubClientAccess clientAccess(String path, String token) {
    String baseUrl = this.shared.settings().clientEndpoint() + path;
    return new WebPubSubClientAccess(token, baseUrl, baseUrl + "?access_token=" + token);
  }

  // ---- Service ----

  @Override
  public Mono<Void> checkServiceHealth() {
    return execute(this.routes.health());
  }

  // ---- Plumbing ----

  private MessageBody encode(Object message, SendOptions options) {
    return MessageBody.of(message, options.getContentType(), this.shared.jsonSerializer());
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
    request
        .query("messageTtlSeconds", options.getMessageTtlSeconds())
        .body(body.bytes(), body.contentType().mediaType())
        .send();
    return execute(request);
  }

  private Mono<Void> execute(WebPubSubRequest.Builder request) {
    return this.shared.exchange().exchange(request.build()).then();
  }

  private Mono<Boolean> exists(WebPubSubRequest.Builder request) {
    return this.shared
        .exchange()
        .exchange(request.build())
        .map(response -> response.statusCode() != 404);
  }

  @Override
  public String toString() {
    return "WebPubSubTemplate[endpoint="
        + this.shared.settings().endpoint()
        + ", transport="
        + this.shared.transport()
        + ", hub="
        + this.hub
        + ", apiVersion="
        + this.shared.settings().apiVersion()
        + ", credential="
        + ((this.shared.signer() != null) ? "access key" : "token provider")
        + "]";
  }

  /** What all hub views of one template share. */
  private record Shared(
      TemplateSettings settings,
      WebPubSubExchange exchange,
      String transport,
      @Nullable AccessKeySigner signer,
      Replies replies,
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

    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;

    private WebPubSubRetrySettings retry = WebPubSubRetrySettings.defaults();

    private @Nullable WebPubSubJsonSerializer jsonSerializer;

    private int listPageSize = TemplateSettings.MAX_LIST_PAGE_SIZE;

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
      TemplateSettings settings =
          TemplateSettings.check(
              this.endpoint,
              this.reverseProxyEndpoint,
              this.hub,
              this.accessKey,
              this.tokenProvider,
              this.apiVersion,
              this.connectTimeout,
              this.responseTimeout,
              this.retry,
              this.listPageSize);
      HttpTransport transport =
          (this.httpClient != null)
              ? Transports.reactorNetty(
                  this.httpClient, settings.connectTimeout(), settings.responseTimeout())
              : Transports.webClient(
                  Objects.requireNonNull(this.webClientBuilder),
                  settings.connectTimeout(),
                  settings.responseTimeout());
      AccessKeySigner signer = Transports.signer(settings, clock);
      Shared shared =
          new Shared(
              settings,
              Transports.exchange(
                  settings,
                  transport,
                  signer,
                  this.observationRegistry,
                  this.observationConvention),
              (this.httpClient != null) ? "reactor-netty" : "web-client",
              signer,
              new Replies(
                  URI.create(settings.endpoint()),
                  (settings.reverseProxy() != null) ? URI.create(settings.reverseProxy()) : null),
              (this.jsonSerializer != null)
                  ? this.jsonSerializer
                  : JacksonJsonSerializer.defaults());
      return new WebPubSubTemplate(shared, settings.hub());
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
