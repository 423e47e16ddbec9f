package io.github.webpubsub.core;

import io.github.webpubsub.core.internal.Arguments;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * An OData filter selecting connections by {@code userId}, {@code connectionId} and {@code groups},
 * built without hand-escaping: string values are quoted and their {@code '} doubled.
 *
 * <pre>{@code
 * ODataFilter.userId().in("alice", "bob").and(ODataFilter.inGroup("room1").not())
 * // userId in ('alice', 'bob') and (not ('room1' in groups))
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ODataFilter {

  private final String expression;

  private ODataFilter(String expression) {
    this.expression = expression;
  }

  /**
   * A filter written by hand, sent in parentheses so that it combines safely: {@code raw("a or
   * b").and(c)} is {@code (a or b) and c}.
   */
  public static ODataFilter raw(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("filter expression must not be blank");
    }
    return new ODataFilter("(" + expression + ")");
  }

  /** Conditions on the connection's user id. */
  public static Property userId() {
    return new Property("userId");
  }

  /** Conditions on the connection id. */
  public static Property connectionId() {
    return new Property("connectionId");
  }

  /** Connections that are in the group: {@code 'group' in groups}. */
  public static ODataFilter inGroup(String group) {
    return new ODataFilter(quote(group) + " in groups");
  }

  /** Both this filter and the other. */
  public ODataFilter and(ODataFilter other) {
    return new ODataFilter(this.expression + " and " + other.expression);
  }

  /** This filter or the other; parenthesised so it composes with {@link #and}. */
  public ODataFilter or(ODataFilter other) {
    return new ODataFilter("(" + this.expression + " or " + other.expression + ")");
  }

  /** The negation of this filter. */
  public ODataFilter not() {
    return new ODataFilter("(not (" + this.expression + "))");
  }

  /** An OData string literal: the value in single quotes with each {@code '} doubled. */
  public static String quote(String value) {
    Arguments.notNull("value", value);
    return "'" + value.replace("'", "''") + "'";
  }

  /** The filter expression as sent to the service. */
  @Override
  public String toString() {
    return this.expression;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ODataFilter that && this.expression.equals(that.expression);
  }

  @Override
  public int hashCode() {
    return this.expression.hashCode();
  }

  /** Comparisons on one string property of a connection. */
  public static final class Property {

    private final String name;

    private Property(String name) {
      this.name = name;
    }

    /** The property equals the value. */
    public ODataFilter eq(String value) {
      return new ODataFilter(this.name + " eq " + quote(value));
    }

    /** The property differs from the value. */
    public ODataFilter ne(String value) {
      return new ODataFilter(this.name + " ne " + quote(value));
    }

    /** The property is one of the values. */
    public ODataFilter in(String... values) {
      if (values.length == 0) {
        throw new IllegalArgumentException("in(...) needs at least one value for " + this.name);
      }
      StringJoiner joiner = new StringJoiner(", ", "(", ")");
      for (String value : values) {
        joiner.add(quote(value));
      }
      return new ODataFilter(this.name + " in " + joiner);
    }

    /** The property starts with the prefix. */
    public ODataFilter startsWith(String prefix) {
      return new ODataFilter("startswith(" + this.name + ", " + quote(prefix) + ")");
    }

    /** The property ends with the suffix. */
    public ODataFilter endsWith(String suffix) {
      return new ODataFilter("endswith(" + this.name + ", " + quote(suffix) + ")");
    }

    /** The property contains the text. */
    public ODataFilter contains(String text) {
      return new ODataFilter("contains(" + this.name + ", " + quote(text) + ")");
    }

    /** The property is absent (e.g. an anonymous connection's user id). */
    public ODataFilter isNull() {
      return new ODataFilter(this.name + " eq null");
    }

    /** The property is present. */
    public ODataFilter isNotNull() {
      return new ODataFilter(this.name + " ne null");
    }
  }
}
