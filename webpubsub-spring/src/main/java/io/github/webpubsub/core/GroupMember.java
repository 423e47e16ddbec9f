package io.github.webpubsub.core;

import org.jspecify.annotations.Nullable;

/**
 * A connection in a group, as listed by {@link WebPubSubOperations#listConnectionsInGroup}.
 *
 * @param connectionId the connection's id
 * @param userId the user of the connection, {@code null} for an anonymous connection
 * @since 0.1.0
 */
public record GroupMember(String connectionId, @Nullable String userId) {}
