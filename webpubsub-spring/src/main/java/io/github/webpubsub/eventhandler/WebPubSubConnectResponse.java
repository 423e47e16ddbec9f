package io.github.webpubsub.eventhandler;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * The answer to a {@code connect} event that accepts the client and overrides what its token said.
 * Unset members keep the token's values. Immutable; start with {@link #accept()}.
 *
 * <pre>{@code
 * return WebPubSubConnectResponse.accept().userId("alice").groups("room1").roles("webpubsub.sendToGroup.room1");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class WebPubSubConnectResponse {

  private static final WebPubSubConnectResponse ACCEPT =
      new WebPubSubConnectResponse(null, null, null, null, List.of());

  private final @Nullable String userId;

  private final @Nullable List<String> groups;

  private final @Nullable List<String> roles;

  private final @Nullable String subprotocol;

  private final List<WebPubSubMqttUserProperty> mqttUserProperties;

  private WebPubSubConnectResponse(
      @Nullable String userId,
      @Nullable List<String> groups,
      @Nullable List<String> roles,
      @Nullable String subprotocol,
      List<WebPubSubMqttUserProperty> mqttUserProperties) {
    this.userId = userId;
    this.groups = groups;
    this.roles = roles;
    this.subprotocol = subprotocol;
    this.mqttUserProperties = mqttUserProperties;
  }

  /** Accepts the connection with the token's user id, groups and roles. */
  public static WebPubSubConnectResponse accept() {
    return ACCEPT;
  }

  /**
   * Sets the connection's user id, replacing the token's {@code sub}.
   *
   * @param userId user id, not empty
   * @return a new answer
   */
  public WebPubSubConnectResponse userId(String userId) {
    Assert.hasText(userId, "userId must not be empty");
    return new WebPubSubConnectResponse(
        userId, this.groups, this.roles, this.subprotocol, this.mqttUserProperties);
  }

  /**
   * Joins the connection to these groups.
   *
   * @param groups group names, each 1 to 1024 characters and not blank
   * @return a new answer
   */
  public WebPubSubConnectResponse groups(String... groups) {
    for (String group : groups) {
      Assert.isTrue(
          group != null && !group.isBlank() && group.length() <= 1024,
          () -> "groups must be 1 to 1024 characters and not blank, got '" + group + "'");
    }
    return new WebPubSubConnectResponse(
        this.userId,
        List.copyOf(Arrays.asList(groups)),
        this.roles,
        this.subprotocol,
        this.mqttUserProperties);
  }

  /**
   * Sets the connection's roles, replacing the token's (none given clears them), e.g. {@code
   * webpubsub.sendToGroup.room1}.
   *
   * @param roles role names
   * @return a new answer
   */
  public WebPubSubConnectResponse roles(String... roles) {
    for (String role : roles) {
      Assert.hasText(role, "roles must not be empty");
    }
    return new WebPubSubConnectResponse(
        this.userId,
        this.groups,
        List.copyOf(Arrays.asList(roles)),
        this.subprotocol,
        this.mqttUserProperties);
  }

  /**
   * Picks the subprotocol the connection uses, one the client offered.
   *
   * @param subprotocol subprotocol name, not empty
   * @return a new answer
   */
  public WebPubSubConnectResponse subprotocol(String subprotocol) {
    Assert.hasText(subprotocol, "subprotocol must not be empty");
    return new WebPubSubConnectResponse(
        this.userId, this.groups, this.roles, subprotocol, this.mqttUserProperties);
  }

  /**
   * Sends user properties to an MQTT 5.0 client in its {@code CONNACK} (ignored for other clients).
   *
   * @param userProperties the properties
   * @return a new answer
   */
  public WebPubSubConnectResponse mqttUserProperties(WebPubSubMqttUserProperty... userProperties) {
    return new WebPubSubConnectResponse(
        this.userId,
        this.groups,
        this.roles,
        this.subprotocol,
        List.copyOf(Arrays.asList(userProperties)));
  }

  /** User id to set, or {@code null} to keep the token's. */
  public @Nullable String getUserId() {
    return this.userId;
  }

  /** Groups to join, or {@code null} for the token's. */
  public @Nullable List<String> getGroups() {
    return this.groups;
  }

  /** Roles to set, or {@code null} for the token's. */
  public @Nullable List<String> getRoles() {
    return this.roles;
  }

  /** Subprotocol to use, or {@code null}. */
  public @Nullable String getSubprotocol() {
    return this.subprotocol;
  }

  /** User properties for an MQTT 5.0 client's {@code CONNACK}, empty for none. */
  public List<WebPubSubMqttUserProperty> getMqttUserProperties() {
    return this.mqttUserProperties;
  }

  @Override
  public String toString() {
    return "WebPubSubConnectResponse[userId="
        + this.userId
        + ", groups="
        + this.groups
        + ", roles="
        + this.roles
        + ", subprotocol="
        + this.subprotocol
        + (this.mqttUserProperties.isEmpty()
            ? ""
            : ", mqttUserProperties="
                + this.mqttUserProperties.stream().map(WebPubSubMqttUserProperty::name).toList())
        + "]";
  }
}
