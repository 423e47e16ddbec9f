package io.github.webpubsub.emulator.internal;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.HEAD;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The route table of the REST data plane: one {@link RestOperation} per method and path pattern
 * ({@code {name}} segments capture a name). Names are checked in the order the service checks them,
 * so a bad name is a 400 rather than a 404: a connection, group or user name as soon as the path
 * names one, the other names once the path has the shape of an operation's, before its method is
 * looked up. The hub name is checked by {@link RestApi} before the hub is looked up.
 */
final class RestRoutes {

  static final RestRoutes API =
      new RestRoutes()
          .add(POST, "/api/hubs/{hub}/:send", HubOperations::sendToAll)
          .add(POST, "/api/hubs/{hub}/:closeConnections", HubOperations::closeAllConnections)
          .add(POST, "/api/hubs/{hub}/:addToGroups", HubOperations::addConnectionsToGroups)
          .add(
              POST, "/api/hubs/{hub}/:removeFromGroups", HubOperations::removeConnectionsFromGroups)
          .add(POST, "/api/hubs/{hub}/:generateToken", HubOperations::generateClientToken)
          .add(POST, "/api/hubs/{hub}/connections/{connectionId}/:send", ConnectionOperations::send)
          .add(HEAD, "/api/hubs/{hub}/connections/{connectionId}", ConnectionOperations::exists)
          .add(DELETE, "/api/hubs/{hub}/connections/{connectionId}", ConnectionOperations::close)
          .add(
              DELETE,
              "/api/hubs/{hub}/connections/{connectionId}/groups",
              ConnectionOperations::removeFromAllGroups)
          .add(POST, "/api/hubs/{hub}/groups/{group}/:send", GroupOperations::send)
          .add(
              POST,
              "/api/hubs/{hub}/groups/{group}/:closeConnections",
              GroupOperations::closeConnections)
          .add(HEAD, "/api/hubs/{hub}/groups/{group}", GroupOperations::exists)
          .add(GET, "/api/hubs/{hub}/groups/{group}/connections", GroupOperations::listConnections)
          .add(
              PUT,
              "/api/hubs/{hub}/groups/{group}/connections/{connectionId}",
              GroupOperations::addConnection)
          .add(
              DELETE,
              "/api/hubs/{hub}/groups/{group}/connections/{connectionId}",
              GroupOperations::removeConnection)
          .add(POST, "/api/hubs/{hub}/users/{userId}/:send", UserOperations::send)
          .add(
              POST,
              "/api/hubs/{hub}/users/{userId}/:closeConnections",
              UserOperations::closeConnections)
          .add(HEAD, "/api/hubs/{hub}/users/{userId}", UserOperations::exists)
          .add(DELETE, "/api/hubs/{hub}/users/{userId}/groups", UserOperations::removeFromAllGroups)
          .add(PUT, "/api/hubs/{hub}/users/{userId}/groups/{group}", UserOperations::addToGroup)
          .add(
              DELETE,
              "/api/hubs/{hub}/users/{userId}/groups/{group}",
              UserOperations::removeFromGroup)
          .add(
              PUT,
              "/api/hubs/{hub}/permissions/{permission}/connections/{connectionId}",
              PermissionOperations::grant)
          .add(
              DELETE,
              "/api/hubs/{hub}/permissions/{permission}/connections/{connectionId}",
              PermissionOperations::revoke)
          .add(
              HEAD,
              "/api/hubs/{hub}/permissions/{permission}/connections/{connectionId}",
              PermissionOperations::check)
          .check(
              "/api/hubs/{hub}/permissions/{permission}/connections/{connectionId}",
              PermissionOperations::checkTargetName);

  /** How each name is checked; {@code hub} is checked before routing. */
  private static final Map<String, UnaryOperator<String>> NAMES =
      Map.of(
          "connectionId",
          (value) -> Names.nonEmpty("connectionId", value),
          "userId",
          (value) -> Names.nonEmpty("userId", value),
          "group",
          Names::group,
          "permission",
          Permissions::rolePrefix);

  /** The path segment before a resource's name, and the name's variable. */
  private static final Map<String, String> RESOURCES =
      Map.of("connections", "connectionId", "groups", "group", "users", "userId");

  private static final int RESOURCE_KIND = 3;

  private final List<Route> routes = new ArrayList<>();

  private final Map<String, Consumer<RestCall>> checks = new LinkedHashMap<>();

  private RestRoutes add(HttpMethod method, String pattern, RestOperation operation) {
    this.routes.add(new Route(method, pattern, segments(pattern), operation));
    return this;
  }

  /** A check of a pattern's call (such as its query) made before the method is looked up. */
  private RestRoutes check(String pattern, Consumer<RestCall> check) {
    this.checks.put(pattern, check);
    return this;
  }

  /** Answers the call with the operation of its method and path, or a 404. */
  Mono<Void> dispatch(RestCall call) {
    List<String> path = call.path();
    if (path.size() > RESOURCE_KIND + 1) {
      String variable = RESOURCES.get(path.get(RESOURCE_KIND));
      if (variable != null) {
        checkName(variable, path.get(RESOURCE_KIND + 1));
      }
    }
    String matchedPattern = null;
    for (Route route : this.routes) {
      Map<String, String> variables = route.match(path);
      if (variables == null) {
        continue;
      }
      RestCall bound = call.withVariables(variables);
      if (matchedPattern == null) {
        matchedPattern = route.pattern;
        variables.forEach(this::checkName);
        Consumer<RestCall> check = this.checks.get(route.pattern);
        if (check != null) {
          check.accept(bound);
        }
      }
      if (route.method.equals(call.method())) {
        return route.operation.handle(bound);
      }
    }
    throw call.notFound();
  }

  private void checkName(String variable, String value) {
    UnaryOperator<String> check = NAMES.get(variable);
    if (check != null) {
      check.apply(value);
    }
  }

  private static String[] segments(String pattern) {
    return pattern.substring(1).split("/");
  }

  /** One operation under its method and path pattern. */
  private record Route(
      HttpMethod method, String pattern, String[] segments, RestOperation operation) {

    /** The captured names in path order, or {@code null} when the path has another shape. */
    @Nullable Map<String, String> match(List<String> path) {
      if (path.size() != this.segments.length) {
        return null;
      }
      Map<String, String> variables = new LinkedHashMap<>();
      for (int i = 0; i < this.segments.length; i++) {
        String segment = this.segments[i];
        if (segment.startsWith("{") && segment.endsWith("}")) {
          variables.put(segment.substring(1, segment.length() - 1), path.get(i));
        } else if (!segment.equals(path.get(i))) {
          return null;
        }
      }
      return variables;
    }
  }
}
