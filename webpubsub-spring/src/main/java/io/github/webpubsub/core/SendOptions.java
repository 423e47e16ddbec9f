package io.github.webpubsub.core;

import io.github.webpubsub.core.internal.Arguments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Optional arguments of a send: connections to exclude, an OData filter, a time to live and an
 * explicit content type. Immutable; every {@code with} method returns a new instance.
 *
 * <pre>{@code
 * SendOptions.defaults().excluding("conn1").filter(ODataFilter.userId().ne("bot")).messageTtlSeconds(30)
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SendOptions {

  private static final SendOptions DEFAULTS = new SendOptions(List.of(), null, null, null);

  private final List<String> excluded;

  private final @Nullable String filter;

  private final @Nullable Integer messageTtlSeconds;

  private final @Nullable WebPubSubContentType contentType;

  private SendOptions(
      List<String> excluded,
      @Nullable String filter,
      @Nullable Integer messageTtlSeconds,
      @Nullable WebPubSubContentType contentType) {
    this.excluded = excluded;
    this.filter = filter;
    this.messageTtlSeconds = messageTtlSeconds;
    this.contentType = contentType;
  }

  /** No exclusions, no filter, no TTL, content type inferred from the message. */
  public static SendOptions defaults() {
    return DEFAULTS;
  }

  /** These options plus connection ids that must not receive the message. */
  public SendOptions excluding(String... connectionIds) {
    return excluding(Arrays.asList(connectionIds));
  }

  /** These options plus connection ids that must not receive the message. */
  public SendOptions excluding(Collection<String> connectionIds) {
    List<String> all = new ArrayList<>(this.excluded);
    for (String id : connectionIds) {
      all.add(Arguments.notNull("excluded connection id", id));
    }
    return new SendOptions(List.copyOf(all), this.filter, this.messageTtlSeconds, this.contentType);
  }

  /** These options with an OData filter selecting the receiving connections. */
  public SendOptions filter(ODataFilter filter) {
    return filter(filter.toString());
  }

  /** These options with an OData filter expression, sent as is. */
  public SendOptions filter(@Nullable String filter) {
    return new SendOptions(this.excluded, filter, this.messageTtlSeconds, this.contentType);
  }

  /**
   * These options with a time to live: a message not delivered within it is dropped (0 to 300; 0
   * means no expiry).
   */
  public SendOptions messageTtlSeconds(int seconds) {
    if (seconds < 0 || seconds > 300) {
      throw new IllegalArgumentException(
          "messageTtlSeconds must be between 0 and 300 but was " + seconds);
    }
    return new SendOptions(this.excluded, this.filter, seconds, this.contentType);
  }

  /** These options with an explicit content type instead of one inferred from the message. */
  public SendOptions contentType(@Nullable WebPubSubContentType contentType) {
    return new SendOptions(this.excluded, this.filter, this.messageTtlSeconds, contentType);
  }

  /** Connection ids excluded from the send, never {@code null}. */
  public List<String> getExcluded() {
    return this.excluded;
  }

  /** OData filter expression, or {@code null}. */
  public @Nullable String getFilter() {
    return this.filter;
  }

  /** Time to live in seconds, or {@code null} when not set. */
  public @Nullable Integer getMessageTtlSeconds() {
    return this.messageTtlSeconds;
  }

  /** Explicit content type, or {@code null} to infer it from the message. */
  public @Nullable WebPubSubContentType getContentType() {
    return this.contentType;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return this == other
        || (other instanceof SendOptions that
            && this.excluded.equals(that.excluded)
            && Objects.equals(this.filter, that.filter)
            && Objects.equals(this.messageTtlSeconds, that.messageTtlSeconds)
            && this.contentType == that.contentType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(this.excluded, this.filter, this.messageTtlSeconds, this.contentType);
  }

  @Override
  public String toString() {
    return "SendOptions[excluded="
        + this.excluded
        + ", filter="
        + this.filter
        + ", messageTtlSeconds="
        + this.messageTtlSeconds
        + ", contentType="
        + this.contentType
        + "]";
  }
}
