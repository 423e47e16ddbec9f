package io.github.webpubsub.emulator.internal;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The REST operations on a connection's permissions: {@code
 * /api/hubs/{hub}/permissions/{permission}/connections/{connectionId}}, optionally for one group
 * ({@code targetName}).
 */
final class PermissionOperations {

  private PermissionOperations() {}

  /** Checks {@code targetName}, a group name when present. */
  static void checkTargetName(RestCall call) {
    String target = target(call);
    if (target != null) {
      Names.group(target);
    }
  }

  /** {@code grantPermission}: 404 for an unknown connection. */
  static Mono<Void> grant(RestCall call) {
    String id = call.variable("connectionId");
    ClientConnection connection = call.hub().connection(id);
    if (connection == null) {
      throw ServiceError.notFound("connectionId", "Connection '" + id + "' does not exist");
    }
    connection.roles().add(role(call));
    return call.status(200);
  }

  /** {@code revokePermission}: without {@code targetName} for every group. */
  static Mono<Void> revoke(RestCall call) {
    ClientConnection connection = call.hub().connection(call.variable("connectionId"));
    if (connection != null) {
      if (target(call) != null) {
        connection.roles().remove(role(call));
      } else {
        String prefix = prefix(call);
        connection.roles().removeIf((r) -> r.equals(prefix) || r.startsWith(prefix + "."));
      }
    }
    return call.status(204);
  }

  /** {@code checkPermission}: without {@code targetName} the permission for all groups. */
  static Mono<Void> check(RestCall call) {
    ClientConnection connection = call.hub().connection(call.variable("connectionId"));
    String target = target(call);
    String prefix = prefix(call);
    boolean granted =
        connection != null
            && ((target != null)
                ? Permissions.allows(connection.roles(), prefix, target)
                : connection.roles().contains(prefix));
    return call.status(granted ? 200 : 404);
  }

  private static String prefix(RestCall call) {
    return Permissions.rolePrefix(call.variable("permission"));
  }

  private static @Nullable String target(RestCall call) {
    return Http.first(call.query(), "targetName");
  }

  private static String role(RestCall call) {
    String target = target(call);
    return (target != null) ? prefix(call) + "." + target : prefix(call);
  }
}
