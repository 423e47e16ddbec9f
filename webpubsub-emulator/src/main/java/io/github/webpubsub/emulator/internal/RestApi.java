package io.github.webpubsub.emulator.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The REST data plane ({@code /api/...}): all operations of api-version 2024-12-01 and the
 * 2021-08-01-preview paths, authenticated with an HS256 JWT whose {@code aud} is the request URL.
 */
final class RestApi {

  static final int MAX_BODY = 1024 * 1024;

  private static final int DEFAULT_PAGE_SIZE = 100;

  private final EmulatorServer server;

  RestApi(EmulatorServer server) {
    this.server = server;
  }

  Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    try {
      List<String> path = Http.segments(request.uri());
      HttpMethod method = request.method();
      if (path.size() == 2 && path.get(1).equals("health")) {
        return (method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.GET))
            ? Http.status(response, 200)
            : Http.error(request, response, methodNotAllowed(method));
      }
      authenticate(request);
      if (path.size() < 4 || !path.get(1).equals("hubs")) {
        throw ServiceError.notFound("path", "No such operation: " + request.path());
      }
      Call call =
          new Call(request, response, this.server.hub(Names.hub(path.get(2))), path, method);
      return dispatch(call)
          .onErrorResume(ServiceError.class, (e) -> Http.error(request, response, e));
    } catch (ServiceError e) {
      return Http.error(request, response, e);
    }
  }

  private void authenticate(HttpServerRequest request) {
    String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("The request has no 'Authorization: Bearer <token>' header");
    }
    Jwt.Claims claims;
    try {
      claims = this.server.jwt().verify(authorization.substring(7).trim(), Instant.now());
    } catch (Jwt.InvalidTokenException ex) {
      throw unauthorized(ex.getMessage());
    }
    String host = request.requestHeaders().get(HttpHeaderNames.HOST, "");
    String url = host + request.uri();
    int query = url.indexOf('?');
    List<String> accepted = new ArrayList<>(List.of(url));
    if (query >= 0) {
      accepted.add(url.substring(0, query));
    }
    for (String aud : claims.strings("aud")) {
      String withoutScheme = Tokens.withoutScheme(aud);
      for (String candidate : accepted) {
        if (withoutScheme.equalsIgnoreCase(candidate)
            || decode(withoutScheme).equalsIgnoreCase(decode(candidate))) {
          return;
        }
      }
    }
    throw unauthorized("The token aud " + claims.strings("aud") + " is not the request URL");
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException ex) {
      return value;
    }
  }

  private static ServiceError unauthorized(String message) {
    return new ServiceError(401, "Error.Unauthorized", "Authorization", message);
  }

  private static ServiceError methodNotAllowed(HttpMethod method) {
    return new ServiceError(405, "Error.MethodNotAllowed", "method", method + " is not allowed");
  }

  private Mono<Void> dispatch(Call c) {
    List<String> p = c.path;
    String m = c.method.name();
    int n = p.size();
    if (n == 4) {
      switch (p.get(3) + " " + m) {
        case ":send POST":
          return c.body(true).flatMap((b) -> sendToAll(c, b));
        case ":closeConnections POST":
          return closeMany(c, c.hub.connections());
        case ":addToGroups POST":
          return c.body(false).flatMap((b) -> bulkGroups(c, b, true));
        case ":removeFromGroups POST":
          return c.body(false).flatMap((b) -> bulkGroups(c, b, false));
        case ":generateToken POST":
          return generateToken(c);
        default:
          throw notFound(c);
      }
    }
    String kind = p.get(3);
    String name = p.get(4);
    String rest = (n > 5) ? String.join("/", p.subList(5, n)) : "";
    return switch (kind) {
      case "connections" -> connections(c, Names.nonEmpty("connectionId", name), rest);
      case "groups" -> groups(c, Names.group(name), rest, n);
      case "users" -> users(c, Names.nonEmpty("userId", name), rest, n);
      case "permissions" -> permissions(c, name, n);
      default -> throw notFound(c);
    };
  }

  private Mono<Void> connections(Call c, String id, String rest) {
    ClientConnection connection = c.hub.connection(id);
    switch (rest + " " + c.method.name()) {
      case ":send POST":
        c.ttl();
        return c.body(true)
            .flatMap(
                (b) -> {
                  if (connection != null) {
                    connection.deliver(OutboundMessage.fromServer(b.type, b.bytes));
                  }
                  return Http.status(c.response, 202);
                });
      case " HEAD":
        return Http.status(c.response, (connection != null) ? 200 : 404);
      case " DELETE":
        if (connection != null) {
          this.server.closeConnection(connection, 1000, reason(c));
        }
        return Http.status(c.response, 204);
      case "groups DELETE":
        if (connection != null) {
          c.hub.removeFromAllGroups(connection);
        }
        return Http.status(c.response, 204);
      default:
        throw notFound(c);
    }
  }

  private Mono<Void> groups(Call c, String group, String rest, int n) {
    switch (rest + " " + c.method.name()) {
      case ":send POST":
        {
          Predicate<ClientConnection> select = c.selection(true);
          c.ttl();
          return c.body(true)
              .flatMap(
                  (b) -> {
                    Hub.deliver(
                        c.hub.group(group),
                        select,
                        OutboundMessage.fromGroup(group, null, false, b.type, b.bytes));
                    return Http.status(c.response, 202);
                  });
        }
      case ":closeConnections POST":
        return closeMany(c, c.hub.group(group));
      case " HEAD":
        return Http.status(c.response, c.hub.group(group).isEmpty() ? 404 : 200);
      case "connections GET":
        return listGroup(c, group);
      default:
        break;
    }
    if (n == 7 && c.path.get(5).equals("connections")) {
      String id = Names.nonEmpty("connectionId", c.path.get(6));
      ClientConnection connection = c.hub.connection(id);
      if (c.method.equals(HttpMethod.PUT)) {
        if (connection == null) {
          throw ServiceError.notFound("connectionId", "Connection '" + id + "' does not exist");
        }
        c.hub.join(connection, group);
        return Http.status(c.response, 200);
      }
      if (c.method.equals(HttpMethod.DELETE)) {
        if (connection != null) {
          c.hub.leave(connection, group);
        }
        return Http.status(c.response, 204);
      }
    }
    throw notFound(c);
  }

  private Mono<Void> users(Call c, String userId, String rest, int n) {
    switch (rest + " " + c.method.name()) {
      case ":send POST":
        {
          Predicate<ClientConnection> select = c.selection(false);
          c.ttl();
          return c.body(true)
              .flatMap(
                  (b) -> {
                    Hub.deliver(
                        c.hub.user(userId), select, OutboundMessage.fromServer(b.type, b.bytes));
                    return Http.status(c.response, 202);
                  });
        }
      case ":closeConnections POST":
        return closeMany(c, c.hub.user(userId));
      case " HEAD":
        return Http.status(c.response, c.hub.user(userId).isEmpty() ? 404 : 200);
      case "groups DELETE":
        c.hub.removeUserFromAllGroups(userId);
        return Http.status(c.response, 204);
      default:
        break;
    }
    if (n == 7 && c.path.get(5).equals("groups")) {
      String group = Names.group(c.path.get(6));
      if (c.method.equals(HttpMethod.PUT)) {
        c.hub.addUserToGroup(userId, group);
        return Http.status(c.response, 200);
      }
      if (c.method.equals(HttpMethod.DELETE)) {
        c.hub.removeUserFromGroup(userId, group);
        return Http.status(c.response, 204);
      }
    }
    throw notFound(c);
  }

  private Mono<Void> permissions(Call c, String permission, int n) {
    if (n != 7 || !c.path.get(5).equals("connections")) {
      throw notFound(c);
    }
    String prefix = Permissions.rolePrefix(permission);
    String id = Names.nonEmpty("connectionId", c.path.get(6));
    String target = Http.first(c.query, "targetName");
    if (target != null) {
      Names.group(target);
    }
    ClientConnection connection = c.hub.connection(id);
    String role = (target != null) ? prefix + "." + target : prefix;
    switch (c.method.name()) {
      case "PUT":
        if (connection == null) {
          throw ServiceError.notFound("connectionId", "Connection '" + id + "' does not exist");
        }
        connection.roles().add(role);
        return Http.status(c.response, 200);
      case "DELETE":
        if (connection != null) {
          if (target != null) {
            connection.roles().remove(role);
          } else {
            connection.roles().removeIf((r) -> r.equals(prefix) || r.startsWith(prefix + "."));
          }
        }
        return Http.status(c.response, 204);
      case "HEAD":
        boolean granted =
            connection != null
                && ((target != null)
                    ? Permissions.allows(connection.roles(), prefix, target)
                    : connection.roles().contains(prefix));
        return Http.status(c.response, granted ? 200 : 404);
      default:
        throw notFound(c);
    }
  }

  private Mono<Void> sendToAll(Call c, Body body) {
    Predicate<ClientConnection> select = c.selection(true);
    c.ttl();
    Hub.deliver(c.hub.connections(), select, OutboundMessage.fromServer(body.type, body.bytes));
    return Http.status(c.response, 202);
  }

  private Mono<Void> closeMany(Call c, Collection<ClientConnection> targets) {
    Set<String> excluded = Set.copyOf(c.query.getOrDefault("excluded", List.of()));
    String reason = reason(c);
    for (ClientConnection connection : List.copyOf(targets)) {
      if (!excluded.contains(connection.connectionId())) {
        this.server.closeConnection(connection, 1000, reason);
      }
    }
    return Http.status(c.response, 204);
  }

  private Mono<Void> bulkGroups(Call c, Body body, boolean add) {
    if (body.type != DataType.JSON) {
      throw new ServiceError(
          415, "Error.UnsupportedMediaType", "Content-Type", "The body must be application/json");
    }
    JsonNode json = Json.MAPPER.readTree(body.bytes);
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
    for (ClientConnection connection : List.copyOf(c.hub.connections())) {
      if (filter == null || filter.matches(connection)) {
        for (String group : groups) {
          if (add) {
            c.hub.join(connection, group);
          } else {
            c.hub.leave(connection, group);
          }
        }
      }
    }
    return Http.status(c.response, 200);
  }

  private Mono<Void> listGroup(Call c, String group) {
    Integer pageSize = Http.integer(c.query, "maxpagesize", 1, 200);
    Integer top = Http.integer(c.query, "top", 1, Integer.MAX_VALUE);
    String token = Http.first(c.query, "continuationToken");
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
    List<ClientConnection> members = new ArrayList<>(c.hub.group(group));
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
      String apiVersion = Http.first(c.query, "api-version");
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
              .append(c.host())
              .append("/api/hubs/")
              .append(encode(c.hub.name()))
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
    return Http.json(c.response, 200, page);
  }

  private Mono<Void> generateToken(Call c) {
    String userId = Http.first(c.query, "userId");
    Integer minutes = Http.integer(c.query, "minutesToExpire", 1, Integer.MAX_VALUE);
    String clientType = Http.first(c.query, "clientType");
    String path =
        switch ((clientType == null) ? "default" : clientType.toLowerCase(Locale.ROOT)) {
          case "default" -> "client/hubs/";
          case "mqtt" -> "clients/mqtt/hubs/";
          case "socketio" -> "clients/socketio/hubs/";
          default ->
              throw ServiceError.badRequest(
                  "clientType", "Invalid clientType '" + clientType + "': use Default or MQTT");
        };
    List<String> groups = c.query.getOrDefault("group", List.of());
    groups.forEach(Names::group);
    String token =
        Tokens.clientToken(
            this.server.jwt(),
            "http://" + c.host() + "/" + path + c.hub.name(),
            (userId == null || userId.isEmpty()) ? null : userId,
            c.query.getOrDefault("role", List.of()),
            groups,
            (minutes != null) ? minutes : 60);
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("token", token);
    return Http.json(c.response, 200, body);
  }

  private static String reason(Call c) {
    String reason = Http.first(c.query, "reason");
    return (reason != null) ? reason : "Connection closed by the server";
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static ServiceError notFound(Call c) {
    return ServiceError.notFound("path", "No such operation: " + c.method + " " + c.request.path());
  }

  /** A request body with its data type. */
  private record Body(DataType type, byte[] bytes) {}

  /** One REST call being answered. */
  private static final class Call {

    final HttpServerRequest request;

    final HttpServerResponse response;

    final Hub hub;

    final List<String> path;

    final HttpMethod method;

    final Map<String, List<String>> query;

    Call(
        HttpServerRequest request,
        HttpServerResponse response,
        Hub hub,
        List<String> path,
        HttpMethod method) {
      this.request = request;
      this.response = response;
      this.hub = hub;
      this.path = path;
      this.method = method;
      this.query = Http.query(request.uri());
    }

    String host() {
      return this.request.requestHeaders().get(HttpHeaderNames.HOST, "localhost");
    }

    void ttl() {
      Http.integer(this.query, "messageTtlSeconds", 0, 300);
    }

    /** The recipients' filter: {@code excluded} ids (when allowed) and the OData filter. */
    Predicate<ClientConnection> selection(boolean allowExcluded) {
      Set<String> excluded =
          allowExcluded ? Set.copyOf(this.query.getOrDefault("excluded", List.of())) : Set.of();
      String text = Http.first(this.query, "filter");
      Filter filter = (text != null && !text.isBlank()) ? Filter.parse(text) : null;
      return (connection) ->
          !excluded.contains(connection.connectionId())
              && (filter == null || filter.matches(connection));
    }

    /** Reads the body (at most 1 MiB) and checks its content type. */
    Mono<Body> body(boolean message) {
      String contentType = this.request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
      DataType type = DataType.ofContentType(contentType);
      if (type == null) {
        return Mono.error(
            new ServiceError(
                415,
                "Error.UnsupportedMediaType",
                "Content-Type",
                "Unsupported Content-Type '"
                    + contentType
                    + "': use text/plain, application/json or application/octet-stream"));
      }
      String length = this.request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
      if (length != null && Long.parseLong(length.trim()) > MAX_BODY) {
        return Mono.error(tooLarge());
      }
      return this.request
          .receive()
          .asByteArray()
          .collect(
              ByteArrayOutputStream::new,
              (out, chunk) -> {
                if (out.size() + chunk.length > MAX_BODY) {
                  throw tooLarge();
                }
                out.writeBytes(chunk);
              })
          .map(
              (out) -> {
                byte[] bytes = out.toByteArray();
                if (type == DataType.JSON) {
                  try {
                    Json.MAPPER.readTree(bytes);
                  } catch (RuntimeException ex) {
                    throw ServiceError.badRequest("body", "The body is not valid JSON");
                  }
                }
                return new Body(type, bytes);
              });
    }

    private static ServiceError tooLarge() {
      return new ServiceError(
          413, "Error.PayloadTooLarge", "body", "The message is larger than 1 MiB (1048576 bytes)");
    }

    @Override
    public String toString() {
      return this.method + " " + this.request.uri();
    }
  }
}
