package io.github.webpubsub.interop;

import io.github.webpubsub.eventhandler.WebPubSubConnectionContext;
import io.github.webpubsub.eventhandler.WebPubSubEventRejectedException;
import io.github.webpubsub.eventhandler.WebPubSubInvocationListener;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Invocation listeners of hub {@code interop}, written as an application would write them; each
 * answers one kind of {@code invokeEvent} that {@code interop.mjs} checks.
 */
@Component
class Invocations {

  /** The JSON payload of {@code add}: {@code {"a": 1, "b": 2}}. */
  record Operands(int a, int b) {}

  /** The JSON answer of {@code add}: the sum and who asked. */
  record Sum(int sum, @Nullable String by) {}

  /** The JSON payload of {@code average}. */
  record Numbers(List<Double> values) {}

  /** The JSON answer of {@code average}. */
  record Average(double average, int count) {}

  /** A typed JSON payload answered with a typed JSON result, returned directly. */
  @WebPubSubInvocationListener(hub = "interop", event = "add")
  Sum add(Operands operands, WebPubSubConnectionContext context) {
    return new Sum(operands.a() + operands.b(), context.getUserId());
  }

  /** A typed JSON payload answered through a {@code Mono}, after a delay. */
  @WebPubSubInvocationListener(hub = "interop", event = "average")
  Mono<Average> average(Numbers numbers) {
    if (numbers.values().isEmpty()) {
      return Mono.error(WebPubSubEventRejectedException.badRequest("No values to average"));
    }
    double sum = numbers.values().stream().mapToDouble(Double::doubleValue).sum();
    return Mono.delay(Duration.ofMillis(50))
        .map((tick) -> new Average(sum / numbers.values().size(), numbers.values().size()));
  }

  /** Text in, a {@code Mono} of text out. */
  @WebPubSubInvocationListener(hub = "interop", event = "shout")
  Mono<String> shout(String text) {
    return Mono.just(text.toUpperCase(Locale.ROOT));
  }

  /** Binary in, binary out. */
  @WebPubSubInvocationListener(hub = "interop", event = "reverse")
  byte[] reverse(byte[] data) {
    byte[] reversed = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      reversed[i] = data[data.length - 1 - i];
    }
    return reversed;
  }

  /** Nothing returned: success without data. */
  @WebPubSubInvocationListener(hub = "interop", event = "touch")
  void touch(WebPubSubConnectionContext context) {}

  /** A rejection through the {@code Mono}: the client sees its status and reason. */
  @WebPubSubInvocationListener(hub = "interop", event = "withdraw")
  Mono<Sum> withdraw(Operands amount) {
    return Mono.error(WebPubSubEventRejectedException.badRequest("Insufficient funds"));
  }

  /** A rejection thrown: the client sees {@code Forbidden} and the reason. */
  @WebPubSubInvocationListener(hub = "interop", event = "secret")
  String secret() {
    throw WebPubSubEventRejectedException.forbidden("Only admins may read the secret");
  }

  /** Any other exception: the client sees {@code InternalServerError}, none of this message. */
  @WebPubSubInvocationListener(hub = "interop", event = "crash")
  String crash() {
    throw new IllegalStateException("database password is hunter2");
  }
}
