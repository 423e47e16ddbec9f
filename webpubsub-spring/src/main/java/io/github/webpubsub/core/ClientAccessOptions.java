package io.github.webpubsub.core;

import io.github.webpubsub.core.internal.Arguments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a client access token grants: the user id, roles, groups joined on connect, lifetime and the
 * kind of client. Immutable.
 *
 * <pre>{@code
 * ClientAccessOptions.forUser("alice").roles("webpubsub.sendToGroup.room1").groups("room1")
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ClientAccessOptions {

  /** Lifetime of a token when none is set. */
  public static final Duration DEFAULT_EXPIRES_AFTER = Duration.ofHours(1);

  private static final ClientAccessOptions DEFAULTS =
      new ClientAccessOptions(
          null, List.of(), List.of(), DEFAULT_EXPIRES_AFTER, WebPubSubClientProtocol.DEFAULT);

  private final @Nullable String userId;

  private final List<String> roles;

  private final List<String> groups;

  private final Duration expiresAfter;

  private final WebPubSubClientProtocol protocol;

  private ClientAccessOptions(
      @Nullable String userId,
      List<String> roles,
      List<String> groups,
      Duration expiresAfter,
      WebPubSubClientProtocol protocol) {
    this.userId = userId;
    this.roles = roles;
    this.groups = groups;
    this.expiresAfter = expiresAfter;
    this.protocol = protocol;
  }

  /** An anonymous client with no roles, valid for one hour. */
  public static ClientAccessOptions defaults() {
    return DEFAULTS;
  }

  /** A client of the given user, valid for one hour. */
  public static ClientAccessOptions forUser(String userId) {
    return DEFAULTS.userId(userId);
  }

  /** These options with the user id ({@code sub} claim). */
  public ClientAccessOptions userId(@Nullable String userId) {
    return new ClientAccessOptions(
        userId, this.roles, this.groups, this.expiresAfter, this.protocol);
  }

  /** These options plus roles, e.g. {@code webpubsub.sendToGroup.room1}. */
  public ClientAccessOptions roles(String... roles) {
    return new ClientAccessOptions(
        this.userId,
        append(this.roles, roles, "role"),
        this.groups,
        this.expiresAfter,
        this.protocol);
  }

  /** These options plus groups the client joins when it connects. */
  public ClientAccessOptions groups(String... groups) {
    return new ClientAccessOptions(
        this.userId,
        this.roles,
        append(this.groups, groups, "group"),
        this.expiresAfter,
        this.protocol);
  }

  /** These options with the token's lifetime (positive). */
  public ClientAccessOptions expiresAfter(Duration expiresAfter) {
    if (expiresAfter.isZero() || expiresAfter.isNegative()) {
      throw new IllegalArgumentException("expiresAfter must be positive but was " + expiresAfter);
    }
    return new ClientAccessOptions(
        this.userId, this.roles, this.groups, expiresAfter, this.protocol);
  }

  /** These options for another kind of client. */
  public ClientAccessOptions protocol(WebPubSubClientProtocol protocol) {
    return new ClientAccessOptions(
        this.userId,
        this.roles,
        this.groups,
        this.expiresAfter,
        Arguments.notNull("protocol", protocol));
  }

  /** User id, or {@code null} for an anonymous client. */
  public @Nullable String getUserId() {
    return this.userId;
  }

  /** Roles, never {@code null}. */
  public List<String> getRoles() {
    return this.roles;
  }

  /** Groups joined on connect, never {@code null}. */
  public List<String> getGroups() {
    return this.groups;
  }

  /** Lifetime of the token. */
  public Duration getExpiresAfter() {
    return this.expiresAfter;
  }

  /** Kind of client. */
  public WebPubSubClientProtocol getProtocol() {
    return this.protocol;
  }

  private static List<String> append(List<String> existing, String[] more, String name) {
    List<String> all = new ArrayList<>(existing);
    for (String value : Arrays.asList(more)) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be null or blank");
      }
      all.add(value);
    }
    return List.copyOf(all);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return this == other
        || (other instanceof ClientAccessOptions that
            && Objects.equals(this.userId, that.userId)
            && this.roles.equals(that.roles)
            && this.groups.equals(that.groups)
            && this.expiresAfter.equals(that.expiresAfter)
            && this.protocol == that.protocol);
  }

  @Override
  public int hashCode() {
    return Objects.hash(this.userId, this.roles, this.groups, this.expiresAfter, this.protocol);
  }

  @Override
  public String toString() {
    return "ClientAccessOptions[userId="
        + this.userId
        + ", roles="
        + this.roles
        + ", groups="
        + this.groups
        + ", expiresAfter="
        + this.expiresAfter
        + ", protocol="
        + this.protocol
        + "]";
  }
}
