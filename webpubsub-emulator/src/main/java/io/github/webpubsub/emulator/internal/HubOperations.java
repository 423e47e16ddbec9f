package io.github.webpubsub.emulator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The REST operations on a whole hub: {@code /api/hubs/{hub}/:...}. */
final class HubOperations {

  private HubOperations() {}

  /** {@code sendToAll}: 202, also when nobody is connected. */
  static Mono<Void> sendToAll(RestCall call) {
    return call.body()
        .flatMap(
            (body) -> {
              Predicate<ClientConnection> select = call.selection(true);
              call.ttl();
              Hub.deliver(
                  call.hub().connections(),
                  select,
                  OutboundMessage.fromServer(body.type(), body.bytes()));
              return call.status(202);
            });
  }

  /** {@code closeAllConnections}. */
  static Mono<Void> closeAllConnections(RestCall call) {
    return call.closeConnections(call.hub().connections());
  }

  /** {@code addConnectionsToGroups}: the connections matching the body's filter join its groups. */
  static Mono<Void> addConnectionsToGroups(RestCall call) {
    return call.body().flatMap((body) -> bulkGroups(call, body, true));
  }

  /** {@code removeConnectionsFromGroups}. */
  static Mono<Void> removeConnectionsFromGroups(RestCall call) {
    return call.body().flatMap((body) -> bulkGroups(call, body, false));
  }

  private static Mono<Void> bulkGroups(RestCall call, RestCall.Body body, boolean add) {
    if (body.type() != DataType.JSON) {
      throw new ServiceError(
          415, "Error.UnsupportedMediaType", "Content-Type", "The body must be application/json");
    }
    JsonNode json = Json.MAPPER.readTree(body.bytes());
    JsonNode groupsNode = json.get("groups");
    if (groupsNode == null || !groupsNode.isArray() || groupsNode.isEmpty()) {
      throw ServiceError.badRequest("groups", "groups must be a non-empty array of group names");
    }
    List<String> groups = new ArrayList<>();
    for (JsonNode group : groupsNode) {
      if (!group.isString()) {
        throw ServiceError.badRequest("groups", "groups must contain strings");
      }
      groups.add(Names.group(group.asString()));
    }
    JsonNode filterNode = json.get("filter");
    Filter filter =
        (filterNode != null && filterNode.isString() && !filterNode.asString().isBlank())
            ? Filter.parse(filterNode.asString())
            : null;
    Hub hub = call.hub();
    for (ClientConnection connection : List.copyOf(hub.connections())) {
      if (filter == null || filter.matches(connection)) {
        for (String group : groups) {
          if (add) {
            hub.join(connection, group);
          } else {
            hub.leave(connection, group);
          }
        }
      }
    }
    return call.status(200);
  }

  /** {@code generateClientToken}: a client token for this emulator's client URL. */
  static Mono<Void> generateClientToken(RestCall call) {
    String userId = Http.first(call.query(), "userId");
    Integer minutes = Http.integer(call.query(), "minutesToExpire", 1, Integer.MAX_VALUE);
    String clientType = Http.first(call.query(), "clientType");
    String path =
        switch ((clientType == null) ? "default" : clientType.toLowerCase(Locale.ROOT)) {
          case "default" -> "client/hubs/";
          case "mqtt" -> "clients/mqtt/hubs/";
          case "socketio" -> "clients/socketio/hubs/";
          default ->
              throw ServiceError.badRequest(
                  "clientType", "Invalid clientType '" + clientType + "': use Default or MQTT");
        };
    List<String> groups = call.query().getOrDefault("group", List.of());
    groups.forEach(Names::group);
    String token =
        Tokens.clientToken(
            call.server().jwt(),
            "http://" + call.host() + "/" + path + call.hub().name(),
            (userId == null || userId.isEmpty()) ? null : userId,
            call.query().getOrDefault("role", List.of()),
            groups,
            (minutes != null) ? minutes : 60);
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("token", token);
    return Http.json(call.response(), 200, body);
  }
}
