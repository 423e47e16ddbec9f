package io.github.webpubsub.emulator.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.emulator.WebPubSubEmulator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationContext;

/**
 * The emulator of every test context seen in this JVM: a context always has the same one, two
 * contexts never share one. Whichever test class runs later checks against the earlier ones.
 */
final class EmulatorsSeen {

  private static final Map<ApplicationContext, WebPubSubEmulator> SEEN = new ConcurrentHashMap<>();

  private EmulatorsSeen() {}

  static void check(ApplicationContext context, WebPubSubEmulator emulator) {
    SEEN.forEach(
        (otherContext, other) -> {
          if (otherContext == context) {
            assertThat(other).isSameAs(emulator);
          } else {
            assertThat(other).isNotSameAs(emulator);
            assertThat(other.getPort()).isNotEqualTo(emulator.getPort());
            assertThat(other.getAccessKey()).isNotEqualTo(emulator.getAccessKey());
          }
        });
    SEEN.put(context, emulator);
  }

  static int count() {
    return SEEN.size();
  }
}
