package io.github.webpubsub.security;

import io.github.webpubsub.core.ClientAccessOptions;
import java.security.Principal;

/**
 * Decides what a signed-in user's client access token grants: user id, roles, groups joined on
 * connect, lifetime. Declare a bean of this type to replace {@link
 * DefaultWebPubSubClientAccessMapper} in {@link WebPubSubNegotiator}.
 *
 * <pre>{@code
 * @Bean
 * WebPubSubClientAccessMapper clientAccessMapper() {
 *   return (principal) -> ClientAccessOptions.forUser(principal.getName())
 *       .roles("webpubsub.sendToGroup.lobby");
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface WebPubSubClientAccessMapper {

  /**
   * Maps a signed-in user to client access options. Called only with a user that {@link
   * WebPubSubNegotiator} has checked is authenticated and not anonymous.
   *
   * @param principal the signed-in user: Spring Security's {@code Authentication} when the
   *     application uses it, else any {@code Principal}
   * @return what the user's token grants
   */
  ClientAccessOptions map(Principal principal);
}
