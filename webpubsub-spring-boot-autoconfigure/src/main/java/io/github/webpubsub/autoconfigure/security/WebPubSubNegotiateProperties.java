package io.github.webpubsub.autoconfigure.security;

import io.github.webpubsub.security.DefaultWebPubSubClientAccessMapper;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the default mapping from a signed-in user's authorities to what its client access
 * token grants ({@code DefaultWebPubSubClientAccessMapper}).
 *
 * @since 0.1.0
 */
@ConfigurationProperties("webpubsub.negotiate")
public class WebPubSubNegotiateProperties {

  /**
   * Prefix of the authorities that grant Web PubSub roles: an authority "<prefix>X" grants the role
   * "webpubsub.X" (e.g. "SCOPE_webpubsub." for OAuth2 scopes).
   */
  private String roleAuthorityPrefix =
      DefaultWebPubSubClientAccessMapper.DEFAULT_ROLE_AUTHORITY_PREFIX;

  /**
   * Prefix of the authorities that name groups joined on connect: an authority "<prefix>X" joins
   * group "X".
   */
  private String groupAuthorityPrefix =
      DefaultWebPubSubClientAccessMapper.DEFAULT_GROUP_AUTHORITY_PREFIX;

  /** Prefix of the authorities that grant roles. */
  public String getRoleAuthorityPrefix() {
    return this.roleAuthorityPrefix;
  }

  /** Sets the prefix of the authorities that grant roles. */
  public void setRoleAuthorityPrefix(String roleAuthorityPrefix) {
    this.roleAuthorityPrefix = roleAuthorityPrefix;
  }

  /** Prefix of the authorities that name groups joined on connect. */
  public String getGroupAuthorityPrefix() {
    return this.groupAuthorityPrefix;
  }

  /** Sets the prefix of the authorities that name groups joined on connect. */
  public void setGroupAuthorityPrefix(String groupAuthorityPrefix) {
    this.groupAuthorityPrefix = groupAuthorityPrefix;
  }
}
