package io.github.webpubsub.emulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * The standalone emulator: {@code java -jar webpubsub-emulator.jar --port=PORT --access-key=KEY
 * [--event-handler=HUB=URL ...]}. SIGTERM or Ctrl-C closes every client and exits 0.
 *
 * <p>Package-private (the launcher needs no public class) and beside the public API it drives, so
 * that {@code internal} never depends on the public package.
 */
final class EmulatorMain {

  private EmulatorMain() {}

  /**
   * Runs the emulator until SIGTERM or SIGINT.
   *
   * @param args the command line
   */
  public static void main(String[] args) throws InterruptedException {
    // Unlike an embedded emulator (a random key per start), the standalone one keeps Microsoft's
    // well-known development key by default, so that samples and other SDKs work unchanged.
    WebPubSubEmulator.Builder builder =
        WebPubSubEmulator.builder()
            .port(WebPubSubEmulator.DEFAULT_PORT)
            .accessKey(WebPubSubEmulator.DEFAULT_ACCESS_KEY);
    boolean defaultKey = true;
    try {
      for (String arg : args) {
        if (arg.startsWith("--port=")) {
          builder.port(port(arg.substring("--port=".length())));
        } else if (arg.startsWith("--access-key=")) {
          String key = arg.substring("--access-key=".length());
          int length = key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
          if (length < 32) {
            throw new IllegalArgumentException(
                "--access-key must be at least 32 bytes (HS256 needs a 256-bit key) but has "
                    + length);
          }
          builder.accessKey(key);
          defaultKey = false;
        } else if (arg.startsWith("--event-handler=")) {
          String value = arg.substring("--event-handler=".length());
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException(
                "--event-handler must be HUB=URL, e.g. --event-handler=chat=http://localhost:3000/eventhandler/{event}");
          }
          builder.eventHandler(value.substring(0, eq), eventHandlerUrl(value.substring(eq + 1)));
        } else {
          throw new IllegalArgumentException(
              "Unknown argument '"
                  + arg
                  + "'. Usage: --port=PORT --access-key=KEY [--event-handler=HUB=URL ...]");
        }
      }
    } catch (IllegalArgumentException ex) {
      System.err.println("webpubsub-emulator: " + ex.getMessage());
      System.exit(2);
      return;
    }
    WebPubSubEmulator emulator;
    try {
      emulator = builder.start();
    } catch (RuntimeException ex) {
      System.err.println("webpubsub-emulator: cannot start: " + ex.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), (signal) -> stop.countDown());
    Signal.handle(new Signal("INT"), (signal) -> stop.countDown());
    System.out.println("Connection string: " + emulator.getConnectionString());
    System.out.flush();
    if (defaultKey) {
      System.err.println(
          "webpubsub-emulator: uses the well-known development key; pass --access-key for your own");
    }
    stop.await();
    emulator.close();
    System.exit(0);
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException ex) {
      // reported below, naming the option rather than echoing "For input string"
    }
    throw new IllegalArgumentException(
        "--port must be a number between 0 and 65535 (0 = a free port) but was '" + value + "'");
  }

  private static String eventHandlerUrl(String value) {
    URI uri;
    try {
      uri = new URI(value.replace("{event}", "event").replace("{hub}", "hub"));
    } catch (URISyntaxException ex) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException(
          "--event-handler URL must be an absolute http(s) URL but was '" + value + "'");
    }
    return value;
  }
}
