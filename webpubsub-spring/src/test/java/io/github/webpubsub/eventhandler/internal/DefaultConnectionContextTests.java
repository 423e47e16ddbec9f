package io.github.webpubsub.eventhandler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.webpubsub.eventhandler.WebPubSubEventType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The connection context a listener sees: its parts, and which state changes are sent back. */
class DefaultConnectionContextTests {

  private static DefaultConnectionContext context(Map<String, Object> states) {
    return new DefaultConnectionContext(
        WebPubSubEventType.USER,
        "chat",
        "conn1",
        "alice",
        "message",
        "json.webpubsub.azure.v1",
        Map.of("ce-hub", List.of("chat")),
        states,
        JsonMapper.builder().build());
  }

  @Test
  void theContextShowsTheEventAndTheConnection() {
    DefaultConnectionContext context = context(Map.of());

    assertThat(context.getEventType()).isEqualTo(WebPubSubEventType.USER);
    assertThat(context.getHub()).isEqualTo("chat");
    assertThat(context.getConnectionId()).isEqualTo("conn1");
    assertThat(context.getUserId()).isEqualTo("alice");
    assertThat(context.getEventName()).isEqualTo("message");
    assertThat(context.getSubprotocol()).isEqualTo("json.webpubsub.azure.v1");
    assertThat(context.getHeaders()).containsExactly(Map.entry("ce-hub", List.of("chat")));
    assertThat(context)
        .hasToString(
            "WebPubSubConnectionContext[type=USER, hub=chat, connectionId=conn1, userId=alice,"
                + " eventName=message]");
  }

  @Test
  void statesAreReadOnlyThroughGetStatesAndConvertedByGetState() {
    DefaultConnectionContext context = context(Map.of("count", 1, "name", "a"));

    assertThat(context.getStates()).containsOnly(Map.entry("count", 1), Map.entry("name", "a"));
    assertThat(context.getState("count", Long.class)).isEqualTo(1L);
    assertThat(context.getState("missing", String.class)).isNull();
    assertThatThrownBy(() -> context.getStates().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(context.statesChanged()).isFalse();
  }

  @Test
  void removingAMissingStateOrClearingNoStatesChangesNothing() {
    DefaultConnectionContext empty = context(Map.of());
    empty.removeState("missing");
    empty.clearStates();
    assertThat(empty.statesChanged()).isFalse();

    DefaultConnectionContext some = context(Map.of("a", 1, "b", 2));
    some.removeState("a");
    assertThat(some.statesChanged()).isTrue();
    assertThat(some.currentStates()).containsExactly(Map.entry("b", 2));
  }

  @Test
  void clearingStatesRemovesEveryOneAndIsAChange() {
    DefaultConnectionContext context = context(Map.of("a", 1, "b", 2));

    context.clearStates();

    assertThat(context.currentStates()).isEmpty();
    assertThat(context.getStates()).isEmpty();
    assertThat(context.statesChanged()).isTrue();
  }

  record Cart(int items) {}

  @Test
  void setStateStoresTheValueAsJsonAndIsAChange() {
    DefaultConnectionContext context = context(Map.of());

    context.setState("cart", new Cart(3));

    assertThat(context.currentStates()).containsExactly(Map.entry("cart", Map.of("items", 3)));
    assertThat(context.getState("cart", Cart.class)).isEqualTo(new Cart(3));
    assertThat(context.statesChanged()).isTrue();
  }

  @Test
  @SuppressWarnings("NullAway")
  void anEmptyKeyOrANullValueIsRefused() {
    DefaultConnectionContext context = context(Map.of());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> context.setState("", 1))
        .withMessage("key must not be empty");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> context.setState("k", null))
        .withMessage("value must not be null; use removeState to remove a key");
    assertThat(context.statesChanged()).isFalse();
    assertThat(context.currentStates()).isEmpty();
  }
}
