package io.github.webpubsub.emulator.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The connections of one hub with their groups and users. Membership changes are serialized on the
 * hub; deliveries read concurrent views without locking.
 */
final class Hub {

  private final String name;

  private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();

  private final Map<String, Set<ClientConnection>> groups = new ConcurrentHashMap<>();

  private final Map<String, Set<ClientConnection>> users = new ConcurrentHashMap<>();

  private final Map<String, Set<String>> userGroups = new ConcurrentHashMap<>();

  Hub(String name) {
    this.name = name;
  }

  String name() {
    return this.name;
  }

  Collection<ClientConnection> connections() {
    return this.connections.values();
  }

  @Nullable ClientConnection connection(String connectionId) {
    return this.connections.get(connectionId);
  }

  Collection<ClientConnection> group(String group) {
    Set<ClientConnection> members = this.groups.get(group);
    return (members != null) ? members : List.of();
  }

  Collection<ClientConnection> user(String userId) {
    Set<ClientConnection> members = this.users.get(userId);
    return (members != null) ? members : List.of();
  }

  synchronized void add(ClientConnection connection, Collection<String> initialGroups) {
    this.connections.put(connection.connectionId(), connection);
    String userId = connection.userId();
    if (userId != null) {
      this.users.computeIfAbsent(userId, (k) -> ConcurrentHashMap.newKeySet()).add(connection);
      initialGroups = new ArrayList<>(initialGroups);
      initialGroups.addAll(this.userGroups.getOrDefault(userId, Set.of()));
    }
    for (String group : initialGroups) {
      join(connection, group);
    }
  }

  synchronized void remove(ClientConnection connection) {
    if (this.connections.remove(connection.connectionId()) == null) {
      return;
    }
    for (String group : List.copyOf(connection.groups())) {
      leave(connection, group);
    }
    String userId = connection.userId();
    if (userId != null) {
      Set<ClientConnection> members = this.users.get(userId);
      if (members != null) {
        members.remove(connection);
        if (members.isEmpty()) {
          this.users.remove(userId);
        }
      }
    }
  }

  synchronized void join(ClientConnection connection, String group) {
    if (this.connections.containsKey(connection.connectionId())) {
      this.groups.computeIfAbsent(group, (k) -> ConcurrentHashMap.newKeySet()).add(connection);
      connection.groups().add(group);
    }
  }

  synchronized void leave(ClientConnection connection, String group) {
    connection.groups().remove(group);
    Set<ClientConnection> members = this.groups.get(group);
    if (members != null) {
      members.remove(connection);
      if (members.isEmpty()) {
        this.groups.remove(group);
      }
    }
  }

  /** Adds a user to a group: every live connection now and every future connection. */
  synchronized void addUserToGroup(String userId, String group) {
    this.userGroups.computeIfAbsent(userId, (k) -> ConcurrentHashMap.newKeySet()).add(group);
    for (ClientConnection connection : user(userId)) {
      join(connection, group);
    }
  }

  synchronized void removeUserFromGroup(String userId, String group) {
    Set<String> groupsOfUser = this.userGroups.get(userId);
    if (groupsOfUser != null) {
      groupsOfUser.remove(group);
    }
    for (ClientConnection connection : user(userId)) {
      leave(connection, group);
    }
  }

  synchronized void removeUserFromAllGroups(String userId) {
    this.userGroups.remove(userId);
    for (ClientConnection connection : user(userId)) {
      for (String group : List.copyOf(connection.groups())) {
        leave(connection, group);
      }
    }
  }

  synchronized void removeFromAllGroups(ClientConnection connection) {
    for (String group : List.copyOf(connection.groups())) {
      leave(connection, group);
    }
  }

  /** Sends to every target that passes the predicate, in the caller's thread, in order. */
  static void deliver(
      Collection<ClientConnection> targets,
      Predicate<ClientConnection> predicate,
      OutboundMessage message) {
    for (ClientConnection connection : targets) {
      if (predicate.test(connection)) {
        connection.deliver(message);
      }
    }
  }
}
