package io.github.webpubsub.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.webpubsub.emulator.WebPubSubEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The browser scenario against the packaged jar started in AOT mode ({@code
 * -Dspring.aot.enabled=true}) on the JVM, in its own process, with a standalone emulator as the
 * service (the jar leaves the embedded emulator out, as for Azure). Run by failsafe after {@code
 * spring-boot:process-aot} and {@code repackage}; {@code chat.jar} names the jar.
 *
 * <p>That it really ran the AOT-generated code: the jar holds {@code
 * ChatApplication__ApplicationContextInitializer}, Spring Boot refuses to start with {@code
 * spring.aot.enabled=true} unless it loads that initializer instead of parsing the configuration
 * (no component scan, no condition evaluated at run time), and it logs {@code Starting
 * AOT-processed ChatApplication}. The JVM does not enforce reflection or resource hints; those are
 * checked by the library's {@code RuntimeHintsTests}. Its log is {@code target/chat-aot.log}.
 */
class ChatAotBrowserIT extends ChatBrowserScenario {

  private static final Duration STARTUP = Duration.ofSeconds(120);

  private static final Pattern PORT = Pattern.compile("Netty started on port (\\d+)");

  private static final Path LOG = Path.of("target", "chat-aot.log");

  private static @Nullable WebPubSubEmulator emulator;

  private static @Nullable Process application;

  private static int port;

  @BeforeAll
  static void startTheJarInAotMode() throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("chat.jar", "target/missing.jar"));
    assertThat(jar).isRegularFile();
    try (JarFile contents = new JarFile(jar.toFile())) {
      assertThat(
              contents.getEntry(
                  "BOOT-INF/classes/io/github/webpubsub/samples/chat/"
                      + "ChatApplication__ApplicationContextInitializer.class"))
          .as("AOT-generated initializer in %s", jar)
          .isNotNull();
      assertThat(contents.stream().map((entry) -> entry.getName()))
          .as(
              "no emulator class in the jar: the module is optional, and process-aot must not"
                  + " freeze its bean definitions into the generated code")
          .noneMatch((name) -> name.contains("emulator"));
    }
    WebPubSubEmulator service = WebPubSubEmulator.start();
    emulator = service;
    Files.createDirectories(LOG.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dspring.aot.enabled=true",
                "-jar",
                jar.toString(),
                "--server.port=0")
            .redirectErrorStream(true)
            .redirectOutput(LOG.toFile());
    // In the environment, not on the command line: the key stays out of process listings.
    builder.environment().put("WEBPUBSUB_CONNECTIONSTRING", service.getConnectionString());
    application = builder.start();
    port = awaitPort(application);
    assertThat(Files.readString(LOG, StandardCharsets.UTF_8))
        .as("Spring Boot's start-up line in AOT mode")
        .contains("Starting AOT-processed ChatApplication");
    service.addEventHandler("chat", "http://localhost:" + port + "/eventhandler/{event}");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    Process running = application;
    if (running != null) {
      running.destroy();
      if (!running.waitFor(15, TimeUnit.SECONDS)) {
        running.destroyForcibly();
      }
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private static int awaitPort(Process process) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      String log = Files.readString(LOG, StandardCharsets.UTF_8);
      Matcher matcher = PORT.matcher(log);
      if (matcher.find() && log.contains("Started ChatApplication")) {
        return Integer.parseInt(matcher.group(1));
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "The jar stopped in AOT mode with exit code "
                + process.exitValue()
                + ":\n"
                + tail(log));
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "The jar did not start within " + STARTUP + ":\n" + tail(Files.readString(LOG)));
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  int port() {
    return port;
  }

  @Override
  String screenshotName() {
    return "chat-browser-aot.png";
  }
}
