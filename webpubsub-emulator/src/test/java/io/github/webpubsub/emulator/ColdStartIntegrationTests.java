package io.github.webpubsub.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The first start in a fresh JVM, where its cost lies: it loads the server, and leaves the JSON
 * mapper and the event-handler HTTP client to their first use (see {@link ColdStartBenchmark}).
 */
class ColdStartIntegrationTests {

  private static final String STARTED = "STARTED";

  @Test
  void firstStartInAFreshJvmLoadsNeitherJacksonNorTheUpstreamHttpClient() throws Exception {
    List<String> loaded = classesLoadedUntilStartReturns();
    assertThat(loaded)
        .contains(
            WebPubSubEmulator.class.getName(),
            "reactor.netty.http.server.HttpServer",
            "io.github.webpubsub.emulator.internal.RestApi");
    assertThat(loaded)
        .as("Jackson classes loaded by start()")
        .filteredOn((name) -> name.startsWith("tools.jackson."))
        .isEmpty();
    assertThat(loaded)
        .as("HTTP client classes loaded by start()")
        .filteredOn((name) -> name.startsWith("reactor.netty.http.client."))
        .isEmpty();
  }

  /** Classes a child JVM loads from its start until {@code start()} has returned. */
  private static List<String> classesLoadedUntilStartReturns() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-verbose:class",
                "-cp",
                System.getProperty("java.class.path"),
                StartOnce.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains(STARTED);
    List<String> loaded = new ArrayList<>();
    for (String line : output.lines().toList()) {
      if (line.startsWith(STARTED)) {
        break;
      }
      int tag = line.indexOf("[class,load] ");
      if (tag >= 0) {
        String rest = line.substring(tag + "[class,load] ".length());
        loaded.add(rest.substring(0, rest.indexOf(' ')));
      }
    }
    return loaded;
  }

  /** The child: one start, a line when it has returned, one close. */
  static final class StartOnce {

    public static void main(String[] args) {
      WebPubSubEmulator emulator = WebPubSubEmulator.start();
      System.out.println(STARTED + " on port " + emulator.getPort());
      emulator.close();
    }
  }
}
