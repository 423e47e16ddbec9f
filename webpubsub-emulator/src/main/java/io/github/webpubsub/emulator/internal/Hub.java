package io.github.webpubsub.emulator.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The connections of one hub with their groups and users. Membership changes are serialized on the
 * hub; deliveries read concurrent views without locking.
 *
 * <p>A hub whose last connection has gone and that keeps no user's groups for later connections
 * holds nothing the REST API could observe, so it is freed ({@link #releaseIfIdle}): a freed hub
 * refuses to take state ({@link #add} and {@link #addUserToGroup} answer false) and the caller
 * takes the hub's successor from the server, which creates it afresh.
 */
final class Hub {

  private final String name;

  private final Consumer<Hub> whenFreed;

  /** Set once, when the hub is freed (guarded by this). */
  private volatile boolean freed;

  private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();

  private final Map<String, Set<ClientConnection>> groups = new ConcurrentHashMap<>();

  private final Map<String, Set<ClientConnection>> users = new ConcurrentHashMap<>();

  private final Map<String, Set<String>> userGroups = new ConcurrentHashMap<>();

  /** A hub no server tracks (for tests of one connection). */
  Hub(String name) {
    this(name, (hub) -> {});
  }

  Hub(String name, Consumer<Hub> whenFreed) {
    this.name = name;
    this.whenFreed = whenFreed;
  }

  /** True once this hub was freed: the server then hands out a new one for the name. */
  boolean isFreed() {
    return this.freed;
  }

  /**
   * Frees the hub if it holds nothing: no connection (a dropped reliable client waiting for its
   * recovery still counts) and no user's groups kept for later connections. Groups and permissions
   * belong to connections, so without connections there are none.
   */
  void releaseIfIdle() {
    synchronized (this) {
      if (this.freed || !this.connections.isEmpty() || !this.userGroups.isEmpty()) {
        return;
      }
      this.freed = true;
    }
    this.whenFreed.accept(this);
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

  /**
   * Adds a connection with its initial groups (and the groups kept for its user).
   *
   * @return false, and nothing added, if this hub was freed
   */
  synchronized boolean add(ClientConnection connection, Collection<String> initialGroups) {
    if (this.freed) {
      return false;
    }
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
    return true;
  }

  void remove(ClientConnection connection) {
    synchronized (this) {
      if (!removeConnection(connection)) {
        return;
      }
    }
    releaseIfIdle();
  }

  private boolean removeConnection(ClientConnection connection) {
    // By key and value: an MQTT client that took over a client ID must not be removed by the old
    // one.
    if (!this.connections.remove(connection.connectionId(), connection)) {
      return false;
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
    return true;
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

  /**
   * Adds a user to a group: every live connection now and every future connection.
   *
   * @return false, and nothing changed, if this hub was freed
   */
  synchronized boolean addUserToGroup(String userId, String group) {
    if (this.freed) {
      return false;
    }
    this.userGroups.computeIfAbsent(userId, (k) -> ConcurrentHashMap.newKeySet()).add(group);
    for (ClientConnection connection : user(userId)) {
      join(connection, group);
    }
    return true;
  }

  void removeUserFromGroup(String userId, String group) {
    synchronized (this) {
      Set<String> groupsOfUser = this.userGroups.get(userId);
      if (groupsOfUser != null) {
        groupsOfUser.remove(group);
        if (groupsOfUser.isEmpty()) {
          this.userGroups.remove(userId);
        }
      }
      for (ClientConnection connection : user(userId)) {
        leave(connection, group);
      }
    }
    releaseIfIdle();
  }

  void removeUserFromAllGroups(String userId) {
    synchronized (this) {
      this.userGroups.remove(userId);
      for (ClientConnection connection : user(userId)) {
        for (String group : List.copyOf(connection.groups())) {
          leave(connection, group);
        }
      }
    }
    releaseIfIdle();
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
