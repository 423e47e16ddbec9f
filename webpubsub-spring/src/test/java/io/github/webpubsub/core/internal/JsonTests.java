package io.github.webpubsub.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTests {

  @Test
  void parsesObjectsArraysAndScalars() {
    Object parsed =
        Json.parse(
            " {\"a\": [1, -2.5e1, true, false, null], \"s\": \"x\\\"y\\\\z\\u00e9\\n\", \"o\": {}} ");

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("a", Arrays.asList(1.0, -25.0, true, false, null));
    expected.put("s", "x\"y\\zé\n");
    expected.put("o", Map.of());
    assertThat(parsed).isEqualTo(expected);
  }

  @Test
  void rejectsMalformedJson() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Json.parse("{\"a\":}"))
        .withMessageStartingWith("invalid JSON");
    assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("{} x"));
    assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("\"open"));
    assertThatIllegalArgumentException().isThrownBy(() -> Json.parse(""));
  }

  @Test
  void quoteEscapesWhatJsonRequires() {
    assertThat(Json.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    assertThat(Json.parse(Json.quote("a\"b\\c\nd\u0001"))).isEqualTo("a\"b\\c\nd\u0001");
  }
}
