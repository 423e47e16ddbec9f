package io.github.webpubsub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ODataFilterTests {

  @Test
  void valuesShouldBeQuotedWithSingleQuotesDoubled() {
    assertThat(ODataFilter.userId().eq("o'brien")).hasToString("userId eq 'o''brien'");
    assertThat(ODataFilter.connectionId().ne("c1")).hasToString("connectionId ne 'c1'");
    assertThat(ODataFilter.userId().in("alice", "o'brien"))
        .hasToString("userId in ('alice', 'o''brien')");
    assertThat(ODataFilter.inGroup("it's")).hasToString("'it''s' in groups");
  }

  @Test
  void functionsShouldQuoteTheirArgument() {
    assertThat(ODataFilter.userId().startsWith("listener-"))
        .hasToString("startswith(userId, 'listener-')");
    assertThat(ODataFilter.userId().endsWith("x")).hasToString("endswith(userId, 'x')");
    assertThat(ODataFilter.userId().contains("a'b")).hasToString("contains(userId, 'a''b')");
    assertThat(ODataFilter.userId().isNull()).hasToString("userId eq null");
    assertThat(ODataFilter.userId().isNotNull()).hasToString("userId ne null");
  }

  @Test
  void orShouldKeepItsMeaningWhenCombinedWithAnd() {
    ODataFilter filter =
        ODataFilter.userId()
            .eq("a")
            .or(ODataFilter.userId().eq("b"))
            .and(ODataFilter.inGroup("g").not());
    assertThat(filter).hasToString("(userId eq 'a' or userId eq 'b') and (not ('g' in groups))");
  }

  @Test
  void rawFilterShouldBeParenthesisedSoThatAndCannotChangeItsMeaning() {
    ODataFilter filter =
        ODataFilter.raw("userId eq 'a' or userId eq 'b'").and(ODataFilter.inGroup("g"));
    assertThat(filter).hasToString("(userId eq 'a' or userId eq 'b') and 'g' in groups");
  }

  @Test
  void blankRawFilterAndEmptyInShouldBeRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ODataFilter.raw(" "))
        .withMessage("filter expression must not be blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ODataFilter.userId().in())
        .withMessage("in(...) needs at least one value for userId");
  }
}
