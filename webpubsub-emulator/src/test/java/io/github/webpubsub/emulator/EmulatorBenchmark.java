package io.github.webpubsub.emulator;

import io.netty.handler.codec.http.HttpMethod;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/**
 * Not a test: holds many WebSocket clients on a standalone emulator (a child process running {@code
 * target/webpubsub-emulator.jar}, so each process stays under its file-descriptor limit) and
 * measures connections held, the emulator's heap and broadcast deliveries per second.
 *
 * <p>Run from the repository root after {@code mvn -B -o -pl webpubsub-emulator -am package
 * -DskipTests}: {@code mvn -B -o -q -pl webpubsub-emulator exec:java
 * -Dexec.mainClass=io.github.webpubsub.emulator.EmulatorBenchmark -Dexec.classpathScope=test
 * -Dexec.args="10000 20"} (clients, broadcasts). Needs {@code ulimit -n} above the client count.
 */
public final class EmulatorBenchmark {

  private EmulatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
    int broadcasts = (args.length > 1) ? Integer.parseInt(args[1]) : 20;
    Path jar = Path.of("webpubsub-emulator/target/webpubsub-emulator.jar");
    if (!Files.exists(jar)) {
      jar = Path.of("target/webpubsub-emulator.jar");
    }
    Process emulator =
        new ProcessBuilder("java", "-Xmx1g", "-jar", jar.toString(), "--port=0")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      String connectionString = line.substring("Connection string: ".length());
      Map<String, String> parts = new java.util.HashMap<>();
      for (String part : connectionString.split(";")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          parts.put(part.substring(0, eq), part.substring(eq + 1));
        }
      }
      String endpoint = parts.get("Endpoint");
      TestJwt key = new TestJwt(parts.get("AccessKey"));
      System.out.printf("emulator pid %d at %s%n", emulator.pid(), endpoint);
      System.out.println("before clients: " + heap(emulator.pid()));
      String url = endpoint + "/client/hubs/bench";
      HttpClient http = HttpClient.newConnection();
      List<TestClient> all = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < clients; i++) {
        String token = key.clientToken(url, "user" + i, List.of(), List.of(), 60);
        all.add(
            TestClient.start(
                http,
                URI.create(url.replace("http", "ws") + "?access_token=" + token),
                null,
                false));
        if (i % 500 == 499) {
          Flux.fromIterable(all.subList(i - 499, i + 1))
              .flatMap(TestClient::opened)
              .blockLast(Duration.ofSeconds(120));
        }
      }
      Flux.fromIterable(all).flatMap(TestClient::opened).blockLast(Duration.ofSeconds(120));
      double connectSeconds = (System.nanoTime() - start) / 1e9;
      long held = all.stream().filter((c) -> !c.isClosed()).count();
      System.out.printf(
          "connections held: %d of %d (connected in %.1f s)%n", held, clients, connectSeconds);
      System.out.println(heap(emulator.pid()));
      RestClient rest = new RestClient(endpoint, parts.get("AccessKey"));
      long expected = (long) clients * broadcasts;
      start = System.nanoTime();
      for (int m = 0; m < broadcasts; m++) {
        rest.signed(HttpMethod.POST, "/api/hubs/bench/:send", "text/plain", "broadcast-" + m);
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      long counted = 0;
      while (counted < expected && System.nanoTime() < deadline) {
        counted = all.stream().mapToLong(TestClient::count).sum();
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "broadcast: %d deliveries of %d in %.2f s = %.0f deliveries/s%n",
          counted, expected, seconds, counted / seconds);
      System.out.println(heap(emulator.pid()));
      System.out.printf(
          "held after broadcast: %d%n", all.stream().filter((c) -> !c.isClosed()).count());
    } finally {
      emulator.destroy();
      System.out.println("emulator exit code after SIGTERM: " + emulator.waitFor());
    }
    System.exit(0);
  }

  private static String heap(long pid) throws Exception {
    run("jcmd", Long.toString(pid), "GC.run");
    String info = run("jcmd", Long.toString(pid), "GC.heap_info");
    String rss =
        Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
            .filter((l) -> l.startsWith("VmRSS"))
            .findFirst()
            .orElse("VmRSS: ?");
    String used =
        info.lines().filter((l) -> l.contains("used")).findFirst().orElse("heap: ?").trim();
    return "emulator heap after GC: " + used + "; " + rss.replaceAll("\\s+", " ");
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return output;
  }
}
