package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterTests {

  record Subject(
      @Nullable String userId, String connectionId, Set<String> groups, @Nullable String protocol)
      implements Filter.Subject {}

  private static final Subject ALICE =
      new Subject("user'1", "c1", Set.of("group1", "team.a"), "json.webpubsub.azure.v1");

  private static final Subject ANONYMOUS = new Subject(null, "c2", Set.of(), null);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "userId eq 'user''1'",
        "'group1' in groups or 'group2' in groups",
        "userId in ('user''1', 'user2') and 'group1' in groups",
        "userId eq 'user''1' and connectionId ne '123'",
        "userId eq 'user''1' and (not ('group2' in groups))",
        "startswith(userId, 'user')",
        "endswith(userId, '1') and contains(userId, '''')",
        "tolower(toupper(userId)) eq 'user''1'",
        "trim(concat(' ', userId)) eq 'user''1'",
        "substring(connectionId, 1) eq '1' and substring(userId, 0, 4) eq 'user'",
        "indexof(userId, 'r') eq 3 and indexof(userId, 'z') eq -1",
        "length(userId) gt 5 and length(groups) eq 2",
        "not (length(userId) lt 5)",
        "connectionId ge 'c1' and connectionId le 'c1' and connectionId lt 'c2'",
        "USERID ne null",
        "protocol eq 'json.webpubsub.azure.v1'",
        "true",
      })
  void matchingFiltersSelectTheConnection(String filter) {
    assertThat(Filter.parse(filter).matches(ALICE)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "userId eq 'User''1'",
        "'group3' in groups",
        "userId in ('a', 'b')",
        "not startswith(userId, 'user')",
        "length(userId) gt 100",
        "false or false",
      })
  void nonMatchingFiltersSkipTheConnection(String filter) {
    assertThat(Filter.parse(filter).matches(ALICE)).isFalse();
  }

  @Test
  void nullUserIdEqualsNullAndOrderingWithNullIsFalse() {
    assertThat(Filter.parse("userId eq null").matches(ANONYMOUS)).isTrue();
    assertThat(Filter.parse("userId gt 'a'").matches(ANONYMOUS)).isFalse();
    assertThat(Filter.parse("userId lt 'a'").matches(ANONYMOUS)).isFalse();
    assertThat(Filter.parse("startswith(userId, 'a')").matches(ANONYMOUS)).isFalse();
  }

  @Test
  void andBindsTighterThanOr() {
    assertThat(Filter.parse("true or false and false").matches(ALICE)).isTrue();
    assertThat(Filter.parse("(true or false) and false").matches(ALICE)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "userId eq",
        "userId eq 'open",
        "unknownField eq 'x'",
        "frobnicate(userId)",
        "startswith(userId)",
        "not length(userId) gt 5",
        "userId",
        "(userId eq 'a'",
        "userId eq 'a' extra",
        "'a' in userId",
      })
  void invalidFiltersAreRefusedWith400NamingTheFilter(String filter) {
    assertThatExceptionOfType(ServiceError.class)
        .isThrownBy(() -> Filter.parse(filter))
        .satisfies(
            (e) -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.target()).isEqualTo("filter");
              assertThat(e.getMessage()).startsWith("Invalid syntax for filter '" + filter + "'");
            });
  }

  @Test
  void filtersWithMoreThanOneHundredClausesAreRefused() {
    String filter = "userId eq 'a'" + " or userId eq 'a'".repeat(100);
    assertThatExceptionOfType(ServiceError.class).isThrownBy(() -> Filter.parse(filter));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(",
        "not ",
        "tolower(",
      })
  void filtersNestedFarBeyondTheLimitAreRefusedWith400(String level) {
    // 5,000 levels overflowed the recursive parser's stack before the depth limit.
    String close = level.endsWith("(") ? ")" : "";
    String filter =
        level.repeat(5_000)
            + (level.startsWith("tolower") ? "userId" : "true")
            + close.repeat(5_000)
            + (level.startsWith("tolower") ? " eq 'a'" : "");
    assertThatExceptionOfType(ServiceError.class)
        .isThrownBy(() -> Filter.parse(filter))
        .satisfies(
            (e) -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.target()).isEqualTo("filter");
              assertThat(e.getMessage())
                  .startsWith("Invalid syntax for filter '")
                  .endsWith("': nested more than 64 levels deep")
                  .hasSizeLessThan(400);
            });
  }

  @Test
  void nestingUpToTheLimitParses() {
    String filter = "(".repeat(63) + "userId eq 'user''1'" + ")".repeat(63);
    assertThat(Filter.parse(filter).matches(ALICE)).isTrue();
    assertThat(Filter.parse("not ".repeat(63) + "false").matches(ALICE)).isTrue();
  }

  @Test
  void longChainsOfAndAndOrEvaluateWithoutDeepeningTheStack() {
    // Not clauses, so the clause limit does not stop them; evaluated as nested lambdas, 7,000
    // operands overflowed the stack.
    String ands = "true" + " and true".repeat(7_000);
    String ors = "false" + " or false".repeat(7_000) + " or true";
    assertThat(Filter.parse(ands).matches(ALICE)).isTrue();
    assertThat(Filter.parse(ors).matches(ALICE)).isTrue();
    assertThat(Filter.parse(ands + " and false").matches(ALICE)).isFalse();
  }

  @Test
  void filtersLongerThanTheLimitAreRefusedWithoutEchoingThem() {
    String filter = "userId eq '" + "a".repeat(65_536) + "'";
    assertThatExceptionOfType(ServiceError.class)
        .isThrownBy(() -> Filter.parse(filter))
        .satisfies(
            (e) -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.target()).isEqualTo("filter");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Invalid syntax for filter: longer than 65536 characters ("
                          + filter.length()
                          + ")");
            });
  }

  static void refusedWith(String filter, String detail) {
    assertThatExceptionOfType(ServiceError.class)
        .isThrownBy(() -> Filter.parse(filter))
        .satisfies(
            (e) -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.target()).isEqualTo("filter");
              assertThat(e.getMessage())
                  .isEqualTo("Invalid syntax for filter '" + filter + "': " + detail);
            });
  }

  @Test
  void eachSyntaxErrorSaysWhatIsWrongAndWhere() {
    refusedWith("userId eq", "unexpected end of filter");
    refusedWith("userId eq 'a' or", "unexpected end of filter");
    refusedWith("userId in", "unexpected end of filter");
    refusedWith("userId eq 'open", "unterminated string literal");
    refusedWith("userId eq 'a' extra", "unexpected 'extra'");
    // A keyword is a whole word: 'order' is not 'or' and 'eqx' is not 'eq'.
    refusedWith("userId eq 'a' order", "unexpected 'order'");
    refusedWith("userId eqx 'a'", "unexpected 'eqx 'a''");
    refusedWith("(userId eq 'a'", "expected ')' at position 14");
    refusedWith("userId eq #", "unexpected '#' at position 10");
    refusedWith("userId eq -", "invalid number at position 10");
    refusedWith("length(userId) eq 99999999999999999999", "invalid number at position 18");
    refusedWith("unknownField eq 'x'", "unknown identifier 'unknownfield'");
    refusedWith("user_id eq 'x'", "unknown identifier 'user_id'");
    refusedWith("user.id eq 'x'", "unknown identifier 'user.id'");
    refusedWith("frobnicate(userId)", "unknown function 'frobnicate'");
    refusedWith("userId", "the expression is not a boolean condition");
  }

  @Test
  void functionsTakeTheirNumberOfArguments() {
    refusedWith("startswith(userId)", "wrong number of arguments for startswith()");
    refusedWith("tolower(userId, 'a') eq 'a'", "wrong number of arguments for tolower()");
    refusedWith("substring(userId) eq 'a'", "wrong number of arguments for substring()");
    refusedWith("substring(userId, 1, 2, 3) eq 'a'", "wrong number of arguments for substring()");
    refusedWith("concat(userId) eq 'a'", "wrong number of arguments for concat()");
    refusedWith("length() eq 1", "wrong number of arguments for length()");
    assertThat(Filter.parse("concat(userId, '-', connectionId) eq 'user''1-c1'").matches(ALICE))
        .isTrue();
  }

  @Test
  void typeErrorsNameTheOperatorOrFunction() {
    refusedWith("'a' in userId", "'in' needs a collection or a parenthesized list");
    refusedWith("not length(userId) gt 5", "'not' needs boolean operands");
    refusedWith("userId and true", "'and' needs boolean operands");
    refusedWith("userId or true", "'or' needs boolean operands");
    refusedWith("userId gt 1", "'gt' compares two strings or two integers");
    refusedWith("length(true) eq 1", "length() needs a string or a collection");
    refusedWith("indexof(1, 'a') eq 1", "indexof() needs a string argument");
    refusedWith("tolower(1) eq 'a'", "function() needs a string argument");
    refusedWith("substring(userId, 'a') eq 'a'", "substring() needs an integer argument");
  }

  @Test
  void comparisonsAreStrictAndOrderStringsAndIntegers() {
    assertThat(Filter.parse("userId ne 'user''1'").matches(ALICE)).isFalse();
    assertThat(Filter.parse("connectionId gt 'c1'").matches(ALICE)).isFalse();
    assertThat(Filter.parse("connectionId lt 'c1'").matches(ALICE)).isFalse();
    assertThat(Filter.parse("connectionId gt 'c0'").matches(ALICE)).isTrue();
    assertThat(Filter.parse("length(userId) ge 6 and length(userId) le 6").matches(ALICE)).isTrue();
    assertThat(Filter.parse("length(userId) gt 6 or length(userId) lt 6").matches(ALICE)).isFalse();
  }

  @Test
  void aNullOperandYieldsNullOrFalseNeverAnError() {
    // ANONYMOUS has no userId: functions of it are null (or false for the predicates), and an
    // ordering with null is false, so 'not' of it holds.
    for (String filter :
        List.of(
            "not (userId gt 'a')",
            "not startswith(userId, 'a')",
            "not endswith(userId, 'a') and not contains(userId, 'a')",
            "length(userId) eq null",
            "indexof(userId, 'a') eq null",
            "substring(userId, 1) eq null",
            "substring(connectionId, null) eq null",
            "concat(userId, 'x') eq null",
            "tolower(userId) eq null",
            "not (connectionId gt null)",
            "indexof(connectionId, null) eq null",
            "not startswith(connectionId, null)")) {
      assertThat(Filter.parse(filter).matches(ANONYMOUS)).as(filter).isTrue();
    }
  }

  @Test
  void substringClampsItsStartAndLength() {
    assertThat(Filter.parse("substring(connectionId, -1) eq 'c1'").matches(ALICE)).isTrue();
    assertThat(Filter.parse("substring(connectionId, 5) eq ''").matches(ALICE)).isTrue();
    assertThat(Filter.parse("substring(connectionId, 0, 100) eq 'c1'").matches(ALICE)).isTrue();
    assertThat(Filter.parse("substring(connectionId, 1, -1) eq ''").matches(ALICE)).isTrue();
    assertThat(Filter.parse("substring(connectionId, 0, 1) eq 'c'").matches(ALICE)).isTrue();
  }

  @Test
  void whitespaceMayStandAroundEveryToken() {
    assertThat(Filter.parse("userId in ( 'x' , 'user''1' )").matches(ALICE)).isTrue();
    assertThat(Filter.parse("userId in ( )").matches(ALICE)).isFalse();
    assertThat(Filter.parse("tolower (userId) eq 'user''1'").matches(ALICE)).isTrue();
    assertThat(Filter.parse(" ( true ) ").matches(ALICE)).isTrue();
  }

  @Test
  void everyOperandOfOrAndAndIsTypeCheckedEvenWhereAnEarlierOneDecides() {
    // The check evaluates the filter on a probe connection (every field 'probe') and does not
    // stop at the operand that decides there: an ill-typed operand anywhere is a 400.
    for (String filter :
        List.of(
            "userId eq 'probe' or userId",
            "connectionId eq 'probe' or connectionId",
            "'probe' in groups or userId",
            "protocol eq 'probe' or (userId eq 'a' or protocol)")) {
      assertThatExceptionOfType(ServiceError.class)
          .as(filter)
          .isThrownBy(() -> Filter.parse(filter))
          .withMessageEndingWith("': 'or' needs boolean operands");
    }
    assertThatExceptionOfType(ServiceError.class)
        .isThrownBy(() -> Filter.parse("userId eq 'other' and userId"))
        .withMessageEndingWith("': 'and' needs boolean operands");
    // Well-typed filters still decide as before, with or without short-circuit on a connection.
    assertThat(Filter.parse("userId eq 'probe' or userId eq 'x'").matches(ALICE)).isFalse();
    assertThat(Filter.parse("userId ne 'x' or userId eq 'x'").matches(ALICE)).isTrue();
    assertThat(Filter.parse("userId eq 'x' and userId ne 'x'").matches(ALICE)).isFalse();
  }

  @Test
  void oneHundredClausesAreAllowedComparisonsInListsAndFunctionsEachCounting() {
    assertThat(Filter.parse("userId eq 'a'" + " or userId eq 'a'".repeat(99)).matches(ALICE))
        .isFalse();
    for (String filter :
        List.of(
            "'a' in groups" + " or 'a' in groups".repeat(100),
            "userId in ('a')" + " or userId in ('a')".repeat(100),
            "startswith(userId, 'a')" + " or startswith(userId, 'a')".repeat(100))) {
      assertThatExceptionOfType(ServiceError.class)
          .isThrownBy(() -> Filter.parse(filter))
          .withMessageEndingWith("...': more than 100 clauses");
    }
  }

  @Test
  void aFilterOfExactlyTheLimitParses() {
    String filter = "userId eq '" + "a".repeat(Filter.MAX_LENGTH - 12) + "'";
    assertThat(filter).hasSize(Filter.MAX_LENGTH);
    assertThat(Filter.parse(filter).matches(ALICE)).isFalse();
  }

  @Test
  void errorsEchoAtMost256CharactersOfTheFilterWithoutSplittingASurrogatePair() {
    String exact = "userId eq '" + "a".repeat(256 - 14) + "' x";
    assertThat(exact).hasSize(256);
    refusedWith(exact, "unexpected 'x'");

    String longer = exact + "y";
    assertThatExceptionOfType(ServiceError.class)
        .isThrownBy(() -> Filter.parse(longer))
        .withMessage(
            "Invalid syntax for filter '" + longer.substring(0, 256) + "...': unexpected 'xy'");

    // Character 256 would be the high half of an emoji: the echo stops before it.
    String emoji = "userId eq '" + "a".repeat(255 - 11) + "\uD83D\uDE00' x";
    assertThatExceptionOfType(ServiceError.class)
        .isThrownBy(() -> Filter.parse(emoji))
        .withMessage(
            "Invalid syntax for filter '" + emoji.substring(0, 255) + "...': unexpected 'x'");
  }
}
