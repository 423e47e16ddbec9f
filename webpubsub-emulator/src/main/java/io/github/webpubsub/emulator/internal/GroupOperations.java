package io.github.webpubsub.emulator.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The REST operations on one group: {@code /api/hubs/{hub}/groups/{group}}. */
final class GroupOperations {

  private static final int DEFAULT_PAGE_SIZE = 100;

  private GroupOperations() {}

  /** {@code sendToGroup}: 202, also when the group is empty. */
  static Mono<Void> send(RestCall call) {
    String group = call.variable("group");
    Predicate<ClientConnection> select = call.selection(true);
    call.ttl();
    return call.body()
        .flatMap(
            (body) -> {
              Hub.deliver(
                  call.hub().group(group),
                  select,
                  OutboundMessage.fromGroup(group, null, false, body.type(), body.bytes()));
              return call.status(202);
            });
  }

  /** {@code closeGroupConnections}. */
  static Mono<Void> closeConnections(RestCall call) {
    return call.closeConnections(call.hub().group(call.variable("group")));
  }

  /** {@code groupExists}: 200 when the group has a member. */
  static Mono<Void> exists(RestCall call) {
    return call.status(call.hub().group(call.variable("group")).isEmpty() ? 404 : 200);
  }

  /** {@code addConnectionToGroup}: 404 for an unknown connection. */
  static Mono<Void> addConnection(RestCall call) {
    String id = call.variable("connectionId");
    ClientConnection connection = call.hub().connection(id);
    if (connection == null) {
      throw ServiceError.notFound("connectionId", "Connection '" + id + "' does not exist");
    }
    call.hub().join(connection, call.variable("group"));
    return call.status(200);
  }

  /** {@code removeConnectionFromGroup}: 204, also for an unknown connection. */
  static Mono<Void> removeConnection(RestCall call) {
    ClientConnection connection = call.hub().connection(call.variable("connectionId"));
    if (connection != null) {
      call.hub().leave(connection, call.variable("group"));
    }
    return call.status(204);
  }

  /**
   * {@code listConnectionsInGroup}: pages ordered by connection id ({@code maxpagesize}, {@code
   * top}), with an opaque {@code continuationToken} in an absolute {@code nextLink}.
   */
  static Mono<Void> listConnections(RestCall call) {
    String group = call.variable("group");
    Map<String, List<String>> query = call.query();
    Integer pageSize = Http.integer(query, "maxpagesize", 1, 200);
    Integer top = Http.integer(query, "top", 1, Integer.MAX_VALUE);
    String token = Http.first(query, "continuationToken");
    int offset = 0;
    if (token != null) {
      try {
        offset =
            Integer.parseInt(
                new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException ex) {
        throw ServiceError.badRequest("continuationToken", "Invalid continuationToken");
      }
    }
    List<ClientConnection> members = new ArrayList<>(call.hub().group(group));
    members.sort(Comparator.comparing(ClientConnection::connectionId));
    int size = (pageSize != null) ? pageSize : DEFAULT_PAGE_SIZE;
    if (top != null) {
      size = Math.min(size, top);
    }
    int end = Math.min(members.size(), offset + size);
    ObjectNode page = Json.MAPPER.createObjectNode();
    ArrayNode value = page.putArray("value");
    for (ClientConnection member : members.subList(Math.min(offset, end), end)) {
      ObjectNode item = value.addObject();
      item.put("connectionId", member.connectionId());
      item.put("userId", member.userId());
    }
    int remaining = (top != null) ? top - (end - offset) : Integer.MAX_VALUE;
    if (end < members.size() && remaining > 0) {
      Map<String, String> next = new LinkedHashMap<>();
      String apiVersion = Http.first(query, "api-version");
      if (apiVersion != null) {
        next.put("api-version", apiVersion);
      }
      if (pageSize != null) {
        next.put("maxpagesize", pageSize.toString());
      }
      if (top != null) {
        next.put("top", Integer.toString(remaining));
      }
      next.put(
          "continuationToken",
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)));
      StringBuilder link =
          new StringBuilder("http://")
              .append(call.host())
              .append("/api/hubs/")
              .append(encode(call.hub().name()))
              .append("/groups/")
              .append(encode(group))
              .append("/connections");
      char separator = '?';
      for (Map.Entry<String, String> entry : next.entrySet()) {
        link.append(separator).append(entry.getKey()).append('=').append(encode(entry.getValue()));
        separator = '&';
      }
      page.put("nextLink", link.toString());
    }
    return Http.json(call.response(), 200, page);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
