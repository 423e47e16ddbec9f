package io.github.webpubsub.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
}
