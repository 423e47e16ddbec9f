package io.github.webpubsub.core;

import io.github.webpubsub.core.internal.Arguments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Optional arguments when closing many connections: connections to keep open and a reason the
 * clients are told. Immutable.
 *
 * @since 0.1.0
 */
public final class CloseOptions {

  private static final CloseOptions DEFAULTS = new CloseOptions(List.of(), null);

  private final List<String> excluded;

  private final @Nullable String reason;

  private CloseOptions(List<String> excluded, @Nullable String reason) {
    this.excluded = excluded;
    this.reason = reason;
  }

  /** No exclusions and no reason. */
  public static CloseOptions defaults() {
    return DEFAULTS;
  }

  /** These options plus connection ids to keep open. */
  public CloseOptions excluding(String... connectionIds) {
    List<String> all = new ArrayList<>(this.excluded);
    for (String id : Arrays.asList(connectionIds)) {
      all.add(Arguments.notNull("excluded connection id", id));
    }
    return new CloseOptions(List.copyOf(all), this.reason);
  }

  /** These options with the reason sent to the closed clients. */
  public CloseOptions reason(@Nullable String reason) {
    return new CloseOptions(this.excluded, reason);
  }

  /** Connection ids kept open, never {@code null}. */
  public List<String> getExcluded() {
    return this.excluded;
  }

  /** Reason given to the clients, or {@code null}. */
  public @Nullable String getReason() {
    return this.reason;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return this == other
        || (other instanceof CloseOptions that
            && this.excluded.equals(that.excluded)
            && Objects.equals(this.reason, that.reason));
  }

  @Override
  public int hashCode() {
    return Objects.hash(this.excluded, this.reason);
  }

  @Override
  public String toString() {
    return "CloseOptions[excluded=" + this.excluded + ", reason=" + this.reason + "]";
  }
}
