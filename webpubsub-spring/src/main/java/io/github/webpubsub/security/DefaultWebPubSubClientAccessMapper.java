package io.github.webpubsub.security;

import io.github.webpubsub.core.ClientAccessOptions;
import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The default mapping of a signed-in user to client access: the user id is {@link
 * Principal#getName()}; with Spring Security, the {@code Authentication}'s authorities give roles
 * and groups by prefix:
 *
 * <table>
 *   <caption>Authorities and what they grant (default prefixes)</caption>
 *   <tr><th>authority</th><th>grants</th></tr>
 *   <tr><td>{@code webpubsub.sendToGroup.lobby}</td>
 *       <td>role {@code webpubsub.sendToGroup.lobby}</td></tr>
 *   <tr><td>{@code webpubsub.joinLeaveGroup.lobby}</td>
 *       <td>role {@code webpubsub.joinLeaveGroup.lobby}</td></tr>
 *   <tr><td>{@code WEBPUBSUB_GROUP_lobby}</td><td>joins group {@code lobby} on connect</td></tr>
 *   <tr><td>{@code ROLE_USER}, anything else</td><td>nothing</td></tr>
 * </table>
 *
 * <p>An authority {@code <rolePrefix>X} becomes the role {@code webpubsub.X}, so with the default
 * prefix {@value #DEFAULT_ROLE_AUTHORITY_PREFIX} the authority is the role itself, and with {@code
 * SCOPE_webpubsub.} an OAuth2 scope {@code webpubsub.sendToGroup.lobby} grants that role. An
 * authority {@code <groupPrefix>X} makes the client join group {@code X} when it connects; the
 * group prefix is checked first. Each role and group appears once, in the authorities' order. A
 * plain {@code Principal} (not an {@code Authentication}) gets its user id only.
 *
 * @since 0.1.0
 */
public final class DefaultWebPubSubClientAccessMapper implements WebPubSubClientAccessMapper {

  /** Prefix of the authorities that grant Web PubSub roles when none is set. */
  public static final String DEFAULT_ROLE_AUTHORITY_PREFIX = "webpubsub.";

  /** Prefix of the authorities that name groups joined on connect when none is set. */
  public static final String DEFAULT_GROUP_AUTHORITY_PREFIX = "WEBPUBSUB_GROUP_";

  private static final String ROLE_PREFIX = "webpubsub.";

  private final String roleAuthorityPrefix;

  private final String groupAuthorityPrefix;

  /** A mapper with the default prefixes. */
  public DefaultWebPubSubClientAccessMapper() {
    this(DEFAULT_ROLE_AUTHORITY_PREFIX, DEFAULT_GROUP_AUTHORITY_PREFIX);
  }

  /**
   * A mapper with the given prefixes.
   *
   * @param roleAuthorityPrefix authorities {@code <prefix>X} grant role {@code webpubsub.X}; not
   *     blank
   * @param groupAuthorityPrefix authorities {@code <prefix>X} join group {@code X} on connect; not
   *     blank
   */
  public DefaultWebPubSubClientAccessMapper(
      String roleAuthorityPrefix, String groupAuthorityPrefix) {
    this.roleAuthorityPrefix = notBlank("roleAuthorityPrefix", roleAuthorityPrefix);
    this.groupAuthorityPrefix = notBlank("groupAuthorityPrefix", groupAuthorityPrefix);
  }

  @Override
  public ClientAccessOptions map(Principal principal) {
    ClientAccessOptions options = ClientAccessOptions.forUser(principal.getName());
    if (!(principal instanceof Authentication authentication)) {
      return options;
    }
    Set<String> roles = new LinkedHashSet<>();
    Set<String> groups = new LinkedHashSet<>();
    for (GrantedAuthority granted : authentication.getAuthorities()) {
      String authority = granted.getAuthority();
      if (authority == null) {
        continue;
      }
      if (authority.startsWith(this.groupAuthorityPrefix)) {
        String group = authority.substring(this.groupAuthorityPrefix.length());
        if (!group.isBlank()) {
          groups.add(group);
        }
      } else if (authority.startsWith(this.roleAuthorityPrefix)) {
        String role = authority.substring(this.roleAuthorityPrefix.length());
        if (!role.isBlank()) {
          roles.add(ROLE_PREFIX + role);
        }
      }
    }
    return options.roles(roles.toArray(String[]::new)).groups(groups.toArray(String[]::new));
  }

  /** Prefix of the authorities that grant roles. */
  public String getRoleAuthorityPrefix() {
    return this.roleAuthorityPrefix;
  }

  /** Prefix of the authorities that name groups joined on connect. */
  public String getGroupAuthorityPrefix() {
    return this.groupAuthorityPrefix;
  }

  @Override
  public String toString() {
    return "DefaultWebPubSubClientAccessMapper[roleAuthorityPrefix="
        + this.roleAuthorityPrefix
        + ", groupAuthorityPrefix="
        + this.groupAuthorityPrefix
        + "]";
  }

  private static String notBlank(String name, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be null or blank");
    }
    return value;
  }
}
