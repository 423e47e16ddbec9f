package io.github.webpubsub.emulator.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The OData filter the service accepts on sends and bulk group operations: identifiers {@code
 * userId}, {@code connectionId}, {@code groups} and {@code protocol}; string, integer, boolean and
 * null literals; {@code eq ne gt ge lt le}, {@code in}, {@code and or not}; and the string
 * functions of the reference grammar.
 *
 * <p>It is long (about 510 lines) because it holds the whole small language, a scannerless parser
 * and a type-checked evaluator, which only make sense together; no maintained library parses this
 * OData subset without bringing a whole OData server along.
 */
final class Filter {

  /** What a filter is evaluated against. */
  interface Subject {

    @Nullable String userId();

    String connectionId();

    Set<String> groups();

    @Nullable String protocol();
  }

  private static final int MAX_CLAUSES = 100;

  /** Nesting levels (parentheses, {@code not}, function calls) a filter may have. */
  static final int MAX_DEPTH = 64;

  /** Characters a filter may have; a filter in a query string is far shorter anyway. */
  static final int MAX_LENGTH = 64 * 1024;

  private static final int MAX_ECHO = 256;

  private static final Subject PROBE =
      new Subject() {
        @Override
        public String userId() {
          return "probe";
        }

        @Override
        public String connectionId() {
          return "probe";
        }

        @Override
        public Set<String> groups() {
          return Set.of("probe");
        }

        @Override
        public String protocol() {
          return "probe";
        }
      };

  private final Expr root;

  private Filter(Expr root) {
    this.root = root;
  }

  /**
   * Parses a filter; a syntax or type error is a 400 naming the filter.
   *
   * @param text the filter text
   * @return the filter
   */
  static Filter parse(String text) {
    if (text.length() > MAX_LENGTH) {
      // The text is not echoed: it is long by definition.
      throw ServiceError.badRequest(
          "filter",
          "Invalid syntax for filter: longer than "
              + MAX_LENGTH
              + " characters ("
              + text.length()
              + ")");
    }
    Parser parser = new Parser(text);
    Expr expr = parser.parseOr();
    parser.skipSpace();
    if (parser.pos < text.length()) {
      throw parser.error("unexpected '" + echo(text.substring(parser.pos)) + "'");
    }
    if (parser.clauses > MAX_CLAUSES) {
      throw parser.error("more than " + MAX_CLAUSES + " clauses");
    }
    Filter filter = new Filter(expr);
    try {
      Object probe = expr.eval(PROBE);
      if (!(probe instanceof Boolean)) {
        throw parser.error("the expression is not a boolean condition");
      }
    } catch (TypeError ex) {
      throw parser.error(String.valueOf(ex.getMessage()));
    }
    return filter;
  }

  /** A filter in an error message, cut so that a long one does not make a long answer. */
  private static String echo(String text) {
    if (text.length() <= MAX_ECHO) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(MAX_ECHO - 1)) ? MAX_ECHO - 1 : MAX_ECHO;
    return text.substring(0, end) + "...";
  }

  boolean matches(Subject subject) {
    try {
      return Boolean.TRUE.equals(this.root.eval(subject));
    } catch (TypeError ex) {
      return false;
    }
  }

  @FunctionalInterface
  private interface Expr {
    @Nullable Object eval(Subject subject);
  }

  private static final class TypeError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TypeError(String message) {
      super(message, null, false, false);
    }
  }

  private static final class Parser {

    private final String text;

    private int pos;

    private int clauses;

    private int depth;

    Parser(String text) {
      this.text = text;
    }

    ServiceError error(String detail) {
      return ServiceError.badRequest(
          "filter", "Invalid syntax for filter '" + echo(this.text) + "': " + detail);
    }

    void skipSpace() {
      while (this.pos < this.text.length() && Character.isWhitespace(this.text.charAt(this.pos))) {
        this.pos++;
      }
    }

    boolean keyword(String word) {
      skipSpace();
      int end = this.pos + word.length();
      if (end <= this.text.length()
          && this.text.regionMatches(true, this.pos, word, 0, word.length())
          && (end == this.text.length() || !isIdentifierChar(this.text.charAt(end)))) {
        this.pos = end;
        return true;
      }
      return false;
    }

    boolean symbol(char c) {
      skipSpace();
      if (this.pos < this.text.length() && this.text.charAt(this.pos) == c) {
        this.pos++;
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!symbol(c)) {
        throw error("expected '" + c + "' at position " + this.pos);
      }
    }

    // 'a or b or c' (and 'and') is kept as a list evaluated in a loop, not as nested lambdas, so a
    // long chain does not deepen the evaluation's stack; only nesting does, and that is bounded.
    Expr parseOr() {
      Expr first = parseAnd();
      if (!keyword("or")) {
        return first;
      }
      List<Expr> operands = new ArrayList<>();
      operands.add(first);
      do {
        operands.add(parseAnd());
      } while (keyword("or"));
      return (s) -> {
        // On the probe every operand is evaluated, so that each is type-checked at parse time.
        boolean every = (s == PROBE);
        boolean result = false;
        for (Expr operand : operands) {
          if (bool(operand.eval(s), "or")) {
            if (!every) {
              return true;
            }
            result = true;
          }
        }
        return result;
      };
    }

    Expr parseAnd() {
      Expr first = parseComparison();
      if (!keyword("and")) {
        return first;
      }
      List<Expr> operands = new ArrayList<>();
      operands.add(first);
      do {
        operands.add(parseComparison());
      } while (keyword("and"));
      return (s) -> {
        boolean every = (s == PROBE);
        boolean result = true;
        for (Expr operand : operands) {
          if (!bool(operand.eval(s), "and")) {
            if (!every) {
              return false;
            }
            result = false;
          }
        }
        return result;
      };
    }

    Expr parseComparison() {
      Expr left = parseUnary();
      for (String op : List.of("eq", "ne", "gt", "ge", "lt", "le")) {
        if (keyword(op)) {
          this.clauses++;
          Expr right = parseUnary();
          return (s) -> compare(op, left.eval(s), right.eval(s));
        }
      }
      if (keyword("in")) {
        this.clauses++;
        skipSpace();
        if (this.pos < this.text.length() && this.text.charAt(this.pos) == '(') {
          this.pos++;
          List<Expr> items = new ArrayList<>();
          if (!symbol(')')) {
            do {
              items.add(parseUnary());
            } while (symbol(','));
            expect(')');
          }
          return (s) -> {
            Object value = left.eval(s);
            for (Expr item : items) {
              if (Objects.equals(value, item.eval(s))) {
                return true;
              }
            }
            return false;
          };
        }
        Expr collection = parseUnary();
        return (s) -> {
          Object c = collection.eval(s);
          if (!(c instanceof Collection<?> values)) {
            throw new TypeError("'in' needs a collection or a parenthesized list");
          }
          return values.stream().anyMatch(java.util.function.Predicate.isEqual(left.eval(s)));
        };
      }
      return left;
    }

    // Every nesting level (a parenthesis, a 'not', a function argument, an 'in' list item) passes
    // through here once, so this depth bounds both the parser's and the evaluation's recursion.
    Expr parseUnary() {
      if (++this.depth > MAX_DEPTH) {
        throw error("nested more than " + MAX_DEPTH + " levels deep");
      }
      try {
        if (keyword("not")) {
          Expr operand = parseUnary();
          return (s) -> !bool(operand.eval(s), "not");
        }
        return parsePrimary();
      } finally {
        this.depth--;
      }
    }

    Expr parsePrimary() {
      skipSpace();
      if (this.pos >= this.text.length()) {
        throw error("unexpected end of filter");
      }
      char c = this.text.charAt(this.pos);
      if (c == '(') {
        this.pos++;
        Expr inner = parseOr();
        expect(')');
        return inner;
      }
      if (c == '\'') {
        String literal = parseString();
        return (s) -> literal;
      }
      if (c == '-' || Character.isDigit(c)) {
        int start = this.pos++;
        while (this.pos < this.text.length() && Character.isDigit(this.text.charAt(this.pos))) {
          this.pos++;
        }
        try {
          long number = Long.parseLong(this.text.substring(start, this.pos));
          return (s) -> number;
        } catch (NumberFormatException ex) {
          throw error("invalid number at position " + start);
        }
      }
      if (!Character.isLetter(c)) {
        throw error("unexpected '" + c + "' at position " + this.pos);
      }
      int start = this.pos;
      while (this.pos < this.text.length() && isIdentifierChar(this.text.charAt(this.pos))) {
        this.pos++;
      }
      String name = this.text.substring(start, this.pos).toLowerCase(Locale.ROOT);
      skipSpace();
      if (this.pos < this.text.length() && this.text.charAt(this.pos) == '(') {
        this.pos++;
        List<Expr> args = new ArrayList<>();
        if (!symbol(')')) {
          do {
            args.add(parseOr());
          } while (symbol(','));
          expect(')');
        }
        return function(name, args);
      }
      return switch (name) {
        case "userid" -> Subject::userId;
        case "connectionid" -> Subject::connectionId;
        case "groups" -> Subject::groups;
        case "protocol" -> Subject::protocol;
        case "true" -> (s) -> true;
        case "false" -> (s) -> false;
        case "null" -> (s) -> null;
        default -> throw error("unknown identifier '" + name + "'");
      };
    }

    String parseString() {
      StringBuilder value = new StringBuilder();
      this.pos++;
      while (this.pos < this.text.length()) {
        char c = this.text.charAt(this.pos++);
        if (c == '\'') {
          if (this.pos < this.text.length() && this.text.charAt(this.pos) == '\'') {
            value.append('\'');
            this.pos++;
          } else {
            return value.toString();
          }
        } else {
          value.append(c);
        }
      }
      throw error("unterminated string literal");
    }

    Expr function(String name, List<Expr> args) {
      int arity = args.size();
      boolean ok =
          switch (name) {
            case "tolower", "toupper", "trim", "length" -> arity == 1;
            case "indexof", "startswith", "endswith", "contains" -> arity == 2;
            case "substring" -> arity == 2 || arity == 3;
            case "concat" -> arity >= 2;
            default -> throw error("unknown function '" + name + "'");
          };
      if (!ok) {
        throw error("wrong number of arguments for " + name + "()");
      }
      this.clauses++;
      return switch (name) {
        case "tolower" -> (s) -> mapString(args.get(0).eval(s), (v) -> v.toLowerCase(Locale.ROOT));
        case "toupper" -> (s) -> mapString(args.get(0).eval(s), (v) -> v.toUpperCase(Locale.ROOT));
        case "trim" -> (s) -> mapString(args.get(0).eval(s), String::trim);
        case "length" ->
            (s) -> {
              Object v = args.get(0).eval(s);
              if (v == null) {
                return null;
              }
              if (v instanceof String str) {
                return (long) str.length();
              }
              if (v instanceof Collection<?> col) {
                return (long) col.size();
              }
              throw new TypeError("length() needs a string or a collection");
            };
        case "indexof" ->
            (s) -> {
              String a = string(args.get(0).eval(s), name);
              String b = string(args.get(1).eval(s), name);
              return (a == null || b == null) ? null : (long) a.indexOf(b);
            };
        case "startswith", "endswith", "contains" ->
            (s) -> {
              String a = string(args.get(0).eval(s), name);
              String b = string(args.get(1).eval(s), name);
              if (a == null || b == null) {
                return false;
              }
              return switch (name) {
                case "startswith" -> a.startsWith(b);
                case "endswith" -> a.endsWith(b);
                default -> a.contains(b);
              };
            };
        case "substring" ->
            (s) -> {
              String a = string(args.get(0).eval(s), name);
              Long start = number(args.get(1).eval(s), name);
              Long length = (arity == 3) ? number(args.get(2).eval(s), name) : null;
              if (a == null || start == null) {
                return null;
              }
              int from = (int) Math.min(Math.max(start, 0), a.length());
              int to =
                  (length == null)
                      ? a.length()
                      : (int) Math.min(a.length(), from + Math.max(length, 0));
              return a.substring(from, to);
            };
        default ->
            (s) -> {
              StringBuilder joined = new StringBuilder();
              for (Expr arg : args) {
                String part = string(arg.eval(s), name);
                if (part == null) {
                  return null;
                }
                joined.append(part);
              }
              return joined.toString();
            };
      };
    }

    private static boolean isIdentifierChar(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }
  }

  private static @Nullable Object mapString(
      @Nullable Object value, java.util.function.UnaryOperator<String> fn) {
    String s = string(value, "function");
    return (s == null) ? null : fn.apply(s);
  }

  private static @Nullable String string(@Nullable Object value, String where) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new TypeError(where + "() needs a string argument");
  }

  private static @Nullable Long number(@Nullable Object value, String where) {
    if (value == null || value instanceof Long) {
      return (Long) value;
    }
    throw new TypeError(where + "() needs an integer argument");
  }

  private static boolean bool(@Nullable Object value, String operator) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw new TypeError("'" + operator + "' needs boolean operands");
  }

  private static boolean compare(String op, @Nullable Object left, @Nullable Object right) {
    if (op.equals("eq")) {
      return Objects.equals(left, right);
    }
    if (op.equals("ne")) {
      return !Objects.equals(left, right);
    }
    if (left == null || right == null) {
      return false;
    }
    int order;
    if (left instanceof String a && right instanceof String b) {
      order = a.compareTo(b);
    } else if (left instanceof Long a && right instanceof Long b) {
      order = Long.compare(a, b);
    } else {
      throw new TypeError("'" + op + "' compares two strings or two integers");
    }
    return switch (op) {
      case "gt" -> order > 0;
      case "ge" -> order >= 0;
      case "lt" -> order < 0;
      default -> order <= 0;
    };
  }
}
