package io.github.webpubsub.core;

import java.util.Collection;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reactive operations on one Azure Web PubSub hub: what applications program against, implemented
 * by {@link WebPubSubTemplate}.
 *
 * <p>Every method validates its arguments before anything is sent (an {@link
 * IllegalArgumentException} names the argument and the rule) and signals a {@link
 * WebPubSubException} when the service answers with an error. Nothing happens until the returned
 * publisher is subscribed.
 *
 * <p>Messages: a {@link CharSequence} is sent as {@code text/plain}; {@code byte[]}, {@link
 * java.nio.ByteBuffer} and {@link org.springframework.core.io.buffer.DataBuffer} as {@code
 * application/octet-stream}; any other object is written as JSON with the application's JSON
 * mapper. {@link SendOptions#contentType(WebPubSubContentType)} overrides the choice.
 *
 * @since 0.1.0
 */
public interface WebPubSubOperations {

  /** Name of the hub these operations act on. */
  String getHub();

  /**
   * Operations bound to another hub, sharing this instance's connection, authentication, retries
   * and observations.
   *
   * @param hub the hub name (a letter, then up to 127 letters, digits or {@code _`,.[]})
   */
  WebPubSubOperations forHub(String hub);

  // ---- Sending ----

  /** Broadcasts a message to every connection of the hub. */
  default Mono<Void> sendToAll(Object message) {
    return sendToAll(message, SendOptions.defaults());
  }

  /** Broadcasts a message to the hub, honouring excluded connections, filter and TTL. */
  Mono<Void> sendToAll(Object message, SendOptions options);

  /** Sends a message to every connection in a group. */
  default Mono<Void> sendToGroup(String group, Object message) {
    return sendToGroup(group, message, SendOptions.defaults());
  }

  /** Sends a message to a group, honouring excluded connections, filter and TTL. */
  Mono<Void> sendToGroup(String group, Object message, SendOptions options);

  /** Sends a message to every connection of a user. */
  default Mono<Void> sendToUser(String userId, Object message) {
    return sendToUser(userId, message, SendOptions.defaults());
  }

  /**
   * Sends a message to a user, honouring filter and TTL (the service has no excluded connections
   * for this operation; setting them is rejected).
   */
  Mono<Void> sendToUser(String userId, Object message, SendOptions options);

  /** Sends a message to one connection. */
  default Mono<Void> sendToConnection(String connectionId, Object message) {
    return sendToConnection(connectionId, message, SendOptions.defaults());
  }

  /** Sends a message to one connection, honouring the TTL (filter and exclusions are rejected). */
  Mono<Void> sendToConnection(String connectionId, Object message, SendOptions options);

  // ---- Existence checks (404 answers false) ----

  /** Whether the connection is currently connected. */
  Mono<Boolean> connectionExists(String connectionId);

  /** Whether the group has at least one connection. */
  Mono<Boolean> groupExists(String group);

  /** Whether the user has at least one connection. */
  Mono<Boolean> userExists(String userId);

  // ---- Groups ----

  /** Adds a connection to a group. */
  Mono<Void> addConnectionToGroup(String group, String connectionId);

  /** Removes a connection from a group. */
  Mono<Void> removeConnectionFromGroup(String group, String connectionId);

  /** Removes a connection from every group it is in. */
  Mono<Void> removeConnectionFromAllGroups(String connectionId);

  /** Adds a user (all of the user's connections, present and future) to a group. */
  Mono<Void> addUserToGroup(String group, String userId);

  /** Removes a user from a group. */
  Mono<Void> removeUserFromGroup(String group, String userId);

  /** Removes a user from every group. */
  Mono<Void> removeUserFromAllGroups(String userId);

  /**
   * Adds the connections selected by an OData filter to groups (a {@code null} filter selects every
   * connection of the hub).
   */
  Mono<Void> addConnectionsToGroups(Collection<String> groups, @Nullable String filter);

  /** Removes the connections selected by an OData filter from groups. */
  Mono<Void> removeConnectionsFromGroups(Collection<String> groups, @Nullable String filter);

  /** Lists the connections in a group, following the service's pages as the Flux is consumed. */
  Flux<GroupMember> listConnectionsInGroup(String group);

  // ---- Closing connections ----

  /** Closes one connection. */
  default Mono<Void> closeConnection(String connectionId) {
    return closeConnection(connectionId, null);
  }

  /** Closes one connection, telling the client why. */
  Mono<Void> closeConnection(String connectionId, @Nullable String reason);

  /** Closes every connection of the hub but the excluded ones. */
  Mono<Void> closeAllConnections(CloseOptions options);

  /** Closes every connection in a group but the excluded ones. */
  Mono<Void> closeGroupConnections(String group, CloseOptions options);

  /** Closes every connection of a user but the excluded ones. */
  Mono<Void> closeUserConnections(String userId, CloseOptions options);

  // ---- Permissions ----

  /**
   * Grants a connection a permission, on one group ({@code targetName}) or, when it is {@code
   * null}, on all groups.
   */
  Mono<Void> grantPermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName);

  /** Revokes a permission granted to a connection. */
  Mono<Void> revokePermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName);

  /** Whether a connection has a permission. */
  Mono<Boolean> checkPermission(
      WebPubSubPermission permission, String connectionId, @Nullable String targetName);

  // ---- Client access ----

  /**
   * Client URL and token for a WebSocket client of this hub. Signed locally with the access key
   * when one is configured (no network call), otherwise obtained from the service.
   */
  Mono<WebPubSubClientAccess> getClientAccessToken(ClientAccessOptions options);

  /** Client URL and token obtained from the service's {@code :generateToken} operation. */
  Mono<WebPubSubClientAccess> generateClientAccessToken(ClientAccessOptions options);

  // ---- Service ----

  /**
   * Calls the service's health endpoint: completes when it answers 2xx, errors with a {@link
   * WebPubSubException} otherwise.
   */
  Mono<Void> checkServiceHealth();
}
