package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.core.WebPubSubClientProtocol;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * Every REST operation's id, method, path and query, targets and flags, as the service's REST API
 * defines them (the template's WireMock tests show the same requests on the wire).
 */
class RoutesTests {

  static final String Q = "?api-version=2024-12-01";

  final Routes routes = new Routes("chat", "2024-12-01");

  /** A hub name and api-version that need encoding. */
  final Routes encoded = new Routes("a[b]", "2024 12");

  /** The flags of a request, in a fixed order: send, notFoundIsAnswer, retryable, readsBody. */
  static List<Boolean> flags(WebPubSubRequest request) {
    return List.of(
        request.send(), request.notFoundIsAnswer(), request.retryable(), request.readsBody());
  }

  static final List<Boolean> PLAIN = List.of(false, false, true, false);

  static final List<Boolean> EXISTS = List.of(false, true, true, false);

  static final List<Boolean> READS = List.of(false, false, true, true);

  void assertRequest(
      WebPubSubRequest.Builder builder,
      String operation,
      HttpMethod method,
      String pathAndQuery,
      Map<String, String> targets,
      List<Boolean> flags) {
    WebPubSubRequest request = builder.build();
    assertThat(request.operation()).isEqualTo(operation);
    assertThat(request.hub()).isEqualTo("chat");
    assertThat(request.method()).isEqualTo(method);
    assertThat(request.pathAndQuery()).isEqualTo(pathAndQuery);
    assertThat(request.targets()).isEqualTo(targets);
    assertThat(flags(request)).isEqualTo(flags);
    assertThat(request.body()).isNull();
    assertThat(request.contentType()).isNull();
  }

  /** The template marks sends (with their body) itself; a route is only where it goes. */
  @Test
  void sendsArePostsToSend() {
    List<Boolean> send = PLAIN;
    assertRequest(
        this.routes.sendToAll(),
        "sendToAll",
        HttpMethod.POST,
        "/api/hubs/chat/:send" + Q,
        Map.of(),
        send);
    assertRequest(
        this.routes.sendToGroup("g 1"),
        "sendToGroup",
        HttpMethod.POST,
        "/api/hubs/chat/groups/g%201/:send" + Q,
        Map.of("group", "g 1"),
        send);
    assertRequest(
        this.routes.sendToUser("u/1"),
        "sendToUser",
        HttpMethod.POST,
        "/api/hubs/chat/users/u%2F1/:send" + Q,
        Map.of("userId", "u/1"),
        send);
    assertRequest(
        this.routes.sendToConnection("c?1"),
        "sendToConnection",
        HttpMethod.POST,
        "/api/hubs/chat/connections/c%3F1/:send" + Q,
        Map.of("connectionId", "c?1"),
        send);
  }

  @Test
  void existenceChecksAreHeadsWhere404IsAnAnswer() {
    assertRequest(
        this.routes.connectionExists("c1"),
        "connectionExists",
        HttpMethod.HEAD,
        "/api/hubs/chat/connections/c1" + Q,
        Map.of("connectionId", "c1"),
        EXISTS);
    assertRequest(
        this.routes.groupExists("g1"),
        "groupExists",
        HttpMethod.HEAD,
        "/api/hubs/chat/groups/g1" + Q,
        Map.of("group", "g1"),
        EXISTS);
    assertRequest(
        this.routes.userExists("u1"),
        "userExists",
        HttpMethod.HEAD,
        "/api/hubs/chat/users/u1" + Q,
        Map.of("userId", "u1"),
        EXISTS);
  }

  @Test
  void groupMembershipRoutes() {
    assertRequest(
        this.routes.connectionInGroup("addConnectionToGroup", HttpMethod.PUT, "g1", "c1"),
        "addConnectionToGroup",
        HttpMethod.PUT,
        "/api/hubs/chat/groups/g1/connections/c1" + Q,
        Map.of("group", "g1", "connectionId", "c1"),
        PLAIN);
    assertRequest(
        this.routes.removeConnectionFromAllGroups("c1"),
        "removeConnectionFromAllGroups",
        HttpMethod.DELETE,
        "/api/hubs/chat/connections/c1/groups" + Q,
        Map.of("connectionId", "c1"),
        PLAIN);
    assertRequest(
        this.routes.userInGroup("removeUserFromGroup", HttpMethod.DELETE, "g1", "u1"),
        "removeUserFromGroup",
        HttpMethod.DELETE,
        "/api/hubs/chat/users/u1/groups/g1" + Q,
        Map.of("userId", "u1", "group", "g1"),
        PLAIN);
    assertRequest(
        this.routes.removeUserFromAllGroups("u1"),
        "removeUserFromAllGroups",
        HttpMethod.DELETE,
        "/api/hubs/chat/users/u1/groups" + Q,
        Map.of("userId", "u1"),
        PLAIN);
  }

  @Test
  void groupsByFilterPostsTheGroupsAndFilterAsJson() {
    WebPubSubRequest add =
        this.routes.groupsByFilter(true, List.of("g1", "g2"), "userId eq 'u1'").build();
    assertThat(add.operation()).isEqualTo("addConnectionsToGroups");
    assertThat(add.method()).isEqualTo(HttpMethod.POST);
    assertThat(add.pathAndQuery()).isEqualTo("/api/hubs/chat/:addToGroups" + Q);
    assertThat(add.contentType()).isEqualTo("application/json");
    assertThat(new String(add.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"groups\":[\"g1\",\"g2\"],\"filter\":\"userId eq 'u1'\"}");
    assertThat(flags(add)).isEqualTo(PLAIN);

    WebPubSubRequest remove = this.routes.groupsByFilter(false, List.of("g1"), null).build();
    assertThat(remove.operation()).isEqualTo("removeConnectionsFromGroups");
    assertThat(remove.pathAndQuery()).isEqualTo("/api/hubs/chat/:removeFromGroups" + Q);
    assertThat(new String(remove.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"groups\":[\"g1\"]}");
  }

  @Test
  void listingReadsItsBodyAndTheNextPageGoesToTheCheckedUrlAsIs() {
    assertRequest(
        this.routes.listConnectionsInGroup("g1", 50),
        "listConnectionsInGroup",
        HttpMethod.GET,
        "/api/hubs/chat/groups/g1/connections" + Q + "&maxpagesize=50",
        Map.of("group", "g1"),
        READS);
    WebPubSubRequest next =
        this.routes.nextPage("https://host/api/hubs/chat/groups/g1/connections?page=2").build();
    assertRequest(
        this.routes.nextPage("https://host/api/hubs/chat/groups/g1/connections?page=2"),
        "listConnectionsInGroup",
        HttpMethod.GET,
        "https://host/api/hubs/chat/groups/g1/connections?page=2",
        Map.of(),
        READS);
    assertThat(next.isAbsolute()).isTrue();
  }

  @Test
  void closingRoutes() {
    assertRequest(
        this.routes.closeConnection("c1", "bye now"),
        "closeConnection",
        HttpMethod.DELETE,
        "/api/hubs/chat/connections/c1" + Q + "&reason=bye%20now",
        Map.of("connectionId", "c1"),
        PLAIN);
    assertRequest(
        this.routes.closeConnection("c1", null),
        "closeConnection",
        HttpMethod.DELETE,
        "/api/hubs/chat/connections/c1" + Q,
        Map.of("connectionId", "c1"),
        PLAIN);
    assertRequest(
        this.routes.closeAllConnections(),
        "closeAllConnections",
        HttpMethod.POST,
        "/api/hubs/chat/:closeConnections" + Q,
        Map.of(),
        PLAIN);
    assertRequest(
        this.routes.closeGroupConnections("g1"),
        "closeGroupConnections",
        HttpMethod.POST,
        "/api/hubs/chat/groups/g1/:closeConnections" + Q,
        Map.of("group", "g1"),
        PLAIN);
    assertRequest(
        this.routes.closeUserConnections("u1"),
        "closeUserConnections",
        HttpMethod.POST,
        "/api/hubs/chat/users/u1/:closeConnections" + Q,
        Map.of("userId", "u1"),
        PLAIN);
  }

  @Test
  void permissionChecksTreat404AsAnAnswerGrantsAndRevokesDoNot() {
    assertRequest(
        this.routes.permission("grantPermission", HttpMethod.PUT, "sendToGroup", "c1", "g1"),
        "grantPermission",
        HttpMethod.PUT,
        "/api/hubs/chat/permissions/sendToGroup/connections/c1" + Q + "&targetName=g1",
        Map.of("permission", "sendToGroup", "connectionId", "c1"),
        PLAIN);
    assertRequest(
        this.routes.permission("revokePermission", HttpMethod.DELETE, "joinLeaveGroup", "c1", null),
        "revokePermission",
        HttpMethod.DELETE,
        "/api/hubs/chat/permissions/joinLeaveGroup/connections/c1" + Q,
        Map.of("permission", "joinLeaveGroup", "connectionId", "c1"),
        PLAIN);
    assertRequest(
        this.routes.permission("checkPermission", HttpMethod.HEAD, "sendToGroup", "c1", null),
        "checkPermission",
        HttpMethod.HEAD,
        "/api/hubs/chat/permissions/sendToGroup/connections/c1" + Q,
        Map.of("permission", "sendToGroup", "connectionId", "c1"),
        EXISTS);
  }

  @Test
  void generateTokenSendsEveryClaimAsAQueryParameterAndTheClientTypeOnlyWhenNotDefault() {
    assertRequest(
        this.routes.generateToken(
            "u 1", List.of("r1", "r2"), List.of("g1"), 60, WebPubSubClientProtocol.MQTT),
        "generateClientToken",
        HttpMethod.POST,
        "/api/hubs/chat/:generateToken"
            + Q
            + "&userId=u%201&role=r1&role=r2&minutesToExpire=60&group=g1&clientType=mqtt",
        Map.of(),
        READS);
    assertRequest(
        this.routes.generateToken(null, List.of(), List.of(), 5, WebPubSubClientProtocol.DEFAULT),
        "generateClientToken",
        HttpMethod.POST,
        "/api/hubs/chat/:generateToken" + Q + "&minutesToExpire=5",
        Map.of(),
        READS);
  }

  @Test
  void clientPathsPerProtocol() {
    assertThat(this.routes.clientPath(WebPubSubClientProtocol.DEFAULT))
        .isEqualTo("/client/hubs/chat");
    assertThat(this.routes.clientPath(WebPubSubClientProtocol.MQTT))
        .isEqualTo("/clients/mqtt/hubs/chat");
    assertThat(this.encoded.clientPath(WebPubSubClientProtocol.SOCKETIO))
        .isEqualTo("/clients/socketio/hubs/a%5Bb%5D");
  }

  @Test
  void healthIsServiceWideAndNeverRetried() {
    WebPubSubRequest health = this.routes.health().build();
    assertThat(health.operation()).isEqualTo("getServiceStatus");
    assertThat(health.hub()).isNull();
    assertThat(health.method()).isEqualTo(HttpMethod.HEAD);
    assertThat(health.pathAndQuery()).isEqualTo("/api/health" + Q);
    assertThat(flags(health)).isEqualTo(List.of(false, false, false, false));
  }

  @Test
  void hubAndApiVersionAreEncodedOnce() {
    assertThat(this.encoded.sendToAll().build().pathAndQuery())
        .isEqualTo("/api/hubs/a%5Bb%5D/:send?api-version=2024%2012");
    assertThat(this.encoded.health().build().pathAndQuery())
        .isEqualTo("/api/health?api-version=2024%2012");
  }
}
