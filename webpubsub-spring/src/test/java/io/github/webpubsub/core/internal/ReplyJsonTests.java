package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** How the service's JSON answers are read, and the limits that bound a hostile one. */
class ReplyJsonTests {

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anObjectIsReadAndItsStringPropertiesGiven() {
    JsonNode json = ReplyJson.readObject(utf8("{\"token\":\"t\",\"n\":1,\"o\":{},\"z\":null}"));

    assertThat(ReplyJson.text(json, "token")).isEqualTo("t");
    assertThat(ReplyJson.text(json, "n")).isNull();
    assertThat(ReplyJson.text(json, "o")).isNull();
    assertThat(ReplyJson.text(json, "z")).isNull();
    assertThat(ReplyJson.text(json, "absent")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "[]", "\"token\"", "null", "42"})
  void anythingButAnObjectIsRefused(String body) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ReplyJson.readObject(utf8(body)))
        .withMessage("not a JSON object");
  }

  @Test
  void malformedJsonIsRefusedWithTheParsersFirstLine() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ReplyJson.readObject(utf8("{\"token\":")))
        .withMessageStartingWith("not readable as JSON (Unexpected end-of-input")
        .withMessageEndingWith(")")
        .withMessageNotContaining("\n");
  }

  @Test
  void nestingDeeperThan32IsRefused() {
    assertThat(ReplyJson.readObject(utf8("{\"a\":" + "[".repeat(31) + "]".repeat(31) + "}")))
        .isNotNull();
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> ReplyJson.readObject(utf8("{\"a\":" + "[".repeat(32) + "]".repeat(32) + "}")))
        .withMessageStartingWith("not readable as JSON (Document nesting depth (33) exceeds");
  }

  @Test
  void longStringsAndNumbersAreRefused() {
    String longest = "x".repeat(ReplyJson.MAX_STRING_LENGTH);
    assertThat(ReplyJson.text(ReplyJson.readObject(utf8("{\"t\":\"" + longest + "\"}")), "t"))
        .hasSize(ReplyJson.MAX_STRING_LENGTH);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ReplyJson.readObject(utf8("{\"t\":\"" + longest + "x\"}")))
        .withMessageStartingWith("not readable as JSON (String value length");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ReplyJson.readObject(utf8("{\"n\":" + "1".repeat(33) + "}")))
        .withMessageStartingWith("not readable as JSON (Number value length");
  }

  @Test
  void theFirstLineOfAParsersMessageIsAtMost200Characters() {
    assertThat(ReplyJson.firstLine(null)).isEqualTo("unreadable");
    assertThat(ReplyJson.firstLine("first\nsecond")).isEqualTo("first");
    assertThat(ReplyJson.firstLine("\nsecond")).isEmpty();
    assertThat(ReplyJson.firstLine("one line")).isEqualTo("one line");
    assertThat(ReplyJson.firstLine("y".repeat(200))).isEqualTo("y".repeat(200));
    assertThat(ReplyJson.firstLine("y".repeat(201) + "\nz")).isEqualTo("y".repeat(200) + "...");
  }
}
