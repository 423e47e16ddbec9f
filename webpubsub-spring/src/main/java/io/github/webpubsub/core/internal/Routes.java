package io.github.webpubsub.core.internal;

import io.github.webpubsub.core.WebPubSubClientProtocol;
import io.github.webpubsub.core.WebPubSubContentType;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;

/**
 * Where each REST operation of one hub goes: its operation id, method, path and query, as the
 * service's REST API defines them. Arguments are validated by the caller before they get here.
 */
public final class Routes {

  private final String hub;

  /** {@code /api/hubs/<encoded hub>}, encoded once per hub rather than per request. */
  private final String hubPath;

  private final String apiVersionQuery;

  /**
   * Creates the routes of a hub.
   *
   * @param hub the hub, already validated
   * @param apiVersion the REST api-version
   */
  public Routes(String hub, String apiVersion) {
    this.hub = hub;
    this.hubPath = "/api/hubs/" + UrlEncoding.pathSegment(hub);
    this.apiVersionQuery = "api-version=" + UrlEncoding.queryParameter(apiVersion);
  }

  // ---- Sending: the caller adds excluded, filter, TTL and the body ----

  /** {@code POST /api/hubs/{hub}/:send}. */
  public WebPubSubRequest.Builder sendToAll() {
    return hub("sendToAll", HttpMethod.POST).path("/:send").encodedQuery(this.apiVersionQuery);
  }

  /** {@code POST /api/hubs/{hub}/groups/{group}/:send}. */
  public WebPubSubRequest.Builder sendToGroup(String group) {
    return hub("sendToGroup", HttpMethod.POST)
        .path("/groups/")
        .target("group", group)
        .path("/:send")
        .encodedQuery(this.apiVersionQuery);
  }

  /** {@code POST /api/hubs/{hub}/users/{userId}/:send}. */
  public WebPubSubRequest.Builder sendToUser(String userId) {
    return hub("sendToUser", HttpMethod.POST)
        .path("/users/")
        .target("userId", userId)
        .path("/:send")
        .encodedQuery(this.apiVersionQuery);
  }

  /** {@code POST /api/hubs/{hub}/connections/{connectionId}/:send}. */
  public WebPubSubRequest.Builder sendToConnection(String connectionId) {
    return hub("sendToConnection", HttpMethod.POST)
        .path("/connections/")
        .target("connectionId", connectionId)
        .path("/:send")
        .encodedQuery(this.apiVersionQuery);
  }

  // ---- Existence checks (HEAD, 404 is an answer) ----

  /** {@code HEAD /api/hubs/{hub}/connections/{connectionId}}. */
  public WebPubSubRequest.Builder connectionExists(String connectionId) {
    return hub("connectionExists", HttpMethod.HEAD)
        .path("/connections/")
        .target("connectionId", connectionId)
        .encodedQuery(this.apiVersionQuery)
        .notFoundIsAnswer();
  }

  /** {@code HEAD /api/hubs/{hub}/groups/{group}}. */
  public WebPubSubRequest.Builder groupExists(String group) {
    return hub("groupExists", HttpMethod.HEAD)
        .path("/groups/")
        .target("group", group)
        .encodedQuery(this.apiVersionQuery)
        .notFoundIsAnswer();
  }

  /** {@code HEAD /api/hubs/{hub}/users/{userId}}. */
  public WebPubSubRequest.Builder userExists(String userId) {
    return hub("userExists", HttpMethod.HEAD)
        .path("/users/")
        .target("userId", userId)
        .encodedQuery(this.apiVersionQuery)
        .notFoundIsAnswer();
  }

  // ---- Groups ----

  /** {@code PUT|DELETE /api/hubs/{hub}/groups/{group}/connections/{connectionId}}. */
  public WebPubSubRequest.Builder connectionInGroup(
      String operation, HttpMethod method, String group, String connectionId) {
    return hub(operation, method)
        .path("/groups/")
        .target("group", group)
        .path("/connections/")
        .target("connectionId", connectionId)
        .encodedQuery(this.apiVersionQuery);
  }

  /** {@code DELETE /api/hubs/{hub}/connections/{connectionId}/groups}. */
  public WebPubSubRequest.Builder removeConnectionFromAllGroups(String connectionId) {
    return hub("removeConnectionFromAllGroups", HttpMethod.DELETE)
        .path("/connections/")
        .target("connectionId", connectionId)
        .path("/groups")
        .encodedQuery(this.apiVersionQuery);
  }

  /** {@code PUT|DELETE /api/hubs/{hub}/users/{userId}/groups/{group}}. */
  public WebPubSubRequest.Builder userInGroup(
      String operation, HttpMethod method, String group, String userId) {
    return hub(operation, method)
        .path("/users/")
        .target("userId", userId)
        .path("/groups/")
        .target("group", group)
        .encodedQuery(this.apiVersionQuery);
  }

  /** {@code DELETE /api/hubs/{hub}/users/{userId}/groups}. */
  public WebPubSubRequest.Builder removeUserFromAllGroups(String userId) {
    return hub("removeUserFromAllGroups", HttpMethod.DELETE)
        .path("/users/")
        .target("userId", userId)
        .path("/groups")
        .encodedQuery(this.apiVersionQuery);
  }

  /**
   * {@code POST /api/hubs/{hub}/:addToGroups} or {@code :removeFromGroups} with a JSON body.
   *
   * @param add whether connections are added (or removed)
   * @param groups the groups
   * @param filter the OData filter selecting connections, or {@code null}
   * @return the request
   */
  public WebPubSubRequest.Builder groupsByFilter(
      boolean add, Collection<String> groups, @Nullable String filter) {
    return hub(add ? "addConnectionsToGroups" : "removeConnectionsFromGroups", HttpMethod.POST)
        .path(add ? "/:addToGroups" : "/:removeFromGroups")
        .encodedQuery(this.apiVersionQuery)
        .body(ReplyJson.groupsBody(groups, filter), WebPubSubContentType.JSON.mediaType());
  }

  /** {@code GET /api/hubs/{hub}/groups/{group}/connections?maxpagesize=}. */
  public WebPubSubRequest.Builder listConnectionsInGroup(String group, int pageSize) {
    return hub("listConnectionsInGroup", HttpMethod.GET)
        .path("/groups/")
        .target("group", group)
        .path("/connections")
        .encodedQuery(this.apiVersionQuery)
        .query("maxpagesize", pageSize)
        .readsBody();
  }

  /** The next page of {@code listConnectionsInGroup}, at a URL already checked by the caller. */
  public WebPubSubRequest.Builder nextPage(String url) {
    return WebPubSubRequest.of("listConnectionsInGroup", this.hub, HttpMethod.GET)
        .absoluteUrl(url)
        .readsBody();
  }

  // ---- Closing connections: the caller adds excluded and reason ----

  /** {@code DELETE /api/hubs/{hub}/connections/{connectionId}?reason=}. */
  public WebPubSubRequest.Builder closeConnection(String connectionId, @Nullable String reason) {
    return hub("closeConnection", HttpMethod.DELETE)
        .path("/connections/")
        .target("connectionId", connectionId)
        .encodedQuery(this.apiVersionQuery)
        .query("reason", reason);
  }

  /** {@code POST /api/hubs/{hub}/:closeConnections}. */
  public WebPubSubRequest.Builder closeAllConnections() {
    return hub("closeAllConnections", HttpMethod.POST)
        .path("/:closeConnections")
        .encodedQuery(this.apiVersionQuery);
  }

  /** {@code POST /api/hubs/{hub}/groups/{group}/:closeConnections}. */
  public WebPubSubRequest.Builder closeGroupConnections(String group) {
    return hub("closeGroupConnections", HttpMethod.POST)
        .path("/groups/")
        .target("group", group)
        .path("/:closeConnections")
        .encodedQuery(this.apiVersionQuery);
  }

  /** {@code POST /api/hubs/{hub}/users/{userId}/:closeConnections}. */
  public WebPubSubRequest.Builder closeUserConnections(String userId) {
    return hub("closeUserConnections", HttpMethod.POST)
        .path("/users/")
        .target("userId", userId)
        .path("/:closeConnections")
        .encodedQuery(this.apiVersionQuery);
  }

  // ---- Permissions ----

  /**
   * {@code PUT|DELETE|HEAD /api/hubs/{hub}/permissions/{permission}/connections/{connectionId}}.
   */
  public WebPubSubRequest.Builder permission(
      String operation,
      HttpMethod method,
      String permission,
      String connectionId,
      @Nullable String targetName) {
    WebPubSubRequest.Builder request =
        hub(operation, method)
            .path("/permissions/")
            .target("permission", permission)
            .path("/connections/")
            .target("connectionId", connectionId)
            .encodedQuery(this.apiVersionQuery)
            .query("targetName", targetName);
    return (method == HttpMethod.HEAD) ? request.notFoundIsAnswer() : request;
  }

  // ---- Client access ----

  /** {@code POST /api/hubs/{hub}/:generateToken}, answered with {@code {"token": ...}}. */
  public WebPubSubRequest.Builder generateToken(
      @Nullable String userId,
      List<String> roles,
      List<String> groups,
      long minutesToExpire,
      WebPubSubClientProtocol protocol) {
    WebPubSubRequest.Builder request =
        hub("generateClientToken", HttpMethod.POST)
            .path("/:generateToken")
            .encodedQuery(this.apiVersionQuery)
            .query("userId", userId);
    request.queryEach("role", roles).query("minutesToExpire", minutesToExpire);
    request.queryEach("group", groups);
    if (protocol != WebPubSubClientProtocol.DEFAULT) {
      request.query("clientType", protocol.clientType());
    }
    return request.readsBody();
  }

  /** The path clients of the given protocol connect to, e.g. {@code /client/hubs/chat}. */
  public String clientPath(WebPubSubClientProtocol protocol) {
    return "/" + protocol.pathPrefix() + UrlEncoding.pathSegment(this.hub);
  }

  // ---- Service ----

  /** {@code HEAD /api/health}, never retried. */
  public WebPubSubRequest.Builder health() {
    return WebPubSubRequest.of("getServiceStatus", null, HttpMethod.HEAD)
        .noRetry()
        .path("/api/health")
        .encodedQuery(this.apiVersionQuery);
  }

  private WebPubSubRequest.Builder hub(String operation, HttpMethod method) {
    return WebPubSubRequest.of(operation, this.hub, method).path(this.hubPath);
  }
}
