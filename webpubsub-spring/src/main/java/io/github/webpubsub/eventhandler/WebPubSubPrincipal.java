package io.github.webpubsub.eventhandler;

import java.security.Principal;
import org.jspecify.annotations.Nullable;

/**
 * The caller of an upstream event as a {@link Principal}: its name is the {@code ce-userId} of a
 * request whose {@code ce-signature} checked out, so the service vouches for it. A listener method
 * takes it as a {@code Principal} parameter; it is {@code null} for an anonymous connection.
 *
 * @param name the user id the connection was issued for
 * @since 0.1.0
 */
public record WebPubSubPrincipal(String name) implements Principal {

  /**
   * The principal of a user id.
   *
   * @param userId the user id, or {@code null} for an anonymous connection
   * @return the principal, or {@code null} when there is no user id
   */
  public static @Nullable WebPubSubPrincipal of(@Nullable String userId) {
    return (userId == null || userId.isEmpty()) ? null : new WebPubSubPrincipal(userId);
  }

  @Override
  public String getName() {
    return this.name;
  }
}
