package io.github.webpubsub.emulator;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Not a test: measures the first {@link WebPubSubEmulator#start()} in fresh JVMs, the cost every
 * test JVM pays that has not loaded Netty yet. Each run is a new {@code java} process on the
 * emulator's runtime classpath (the executable jar, i.e. the module and its runtime dependencies,
 * no logging backend) that calls {@code start()}, sends one signed REST request (what the deferred
 * work costs), calls {@code close()}, then times a second, warm {@code start()}; the parent prints
 * median, min and max of each.
 *
 * <p>Run from the repository root after {@code mvn -B -o -pl webpubsub-emulator -am package
 * -DskipTests}: {@code java -cp webpubsub-emulator/target/test-classes
 * io.github.webpubsub.emulator.ColdStartBenchmark 10}. A second argument {@code classes} runs one
 * more JVM with {@code -verbose:class} and counts the classes {@code start()} loads per package.
 */
public final class ColdStartBenchmark {

  private static final String CHILD = "--child";

  private ColdStartBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals(CHILD)) {
      child();
      return;
    }
    int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 10;
    boolean classes = args.length > 1 && args[1].equals("classes");
    Path module =
        Files.isDirectory(Path.of("webpubsub-emulator/target"))
            ? Path.of("webpubsub-emulator/target")
            : Path.of("target");
    String classpath =
        module.resolve("webpubsub-emulator.jar")
            + File.pathSeparator
            + module.resolve("test-classes");
    List<Double> main = new ArrayList<>();
    List<Double> first = new ArrayList<>();
    List<Double> request = new ArrayList<>();
    List<Double> second = new ArrayList<>();
    List<Double> close = new ArrayList<>();
    List<Double> process = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long begin = System.nanoTime();
      String line =
          run(List.of(java(), "-cp", classpath, ColdStartBenchmark.class.getName(), CHILD));
      process.add((System.nanoTime() - begin) / 1e6);
      Map<String, Double> figures = figures(line);
      main.add(figures.get("main"));
      first.add(figures.get("start"));
      request.add(figures.get("request"));
      second.add(figures.get("warm"));
      close.add(figures.get("close"));
      System.out.println("run " + (i + 1) + ": " + line.strip());
    }
    System.out.println("JVM start to main      " + summary(main));
    System.out.println("first start() (cold)   " + summary(first));
    System.out.println("second start() (warm)  " + summary(second));
    System.out.println("first request after it " + summary(request));
    System.out.println("close() of the first   " + summary(close));
    System.out.println("whole child process    " + summary(process));
    System.out.println(
        "load average: "
            + Files.readString(Path.of("/proc/loadavg")).strip()
            + "; "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs; java "
            + System.getProperty("java.version"));
    if (classes) {
      classesPerPackage(classpath);
    }
  }

  /** One cold start, then one warm start; prints {@code main=.. start=.. warm=.. close=..}. */
  private static void child() {
    long mainMillis = System.currentTimeMillis();
    long begin = System.nanoTime();
    WebPubSubEmulator emulator = WebPubSubEmulator.start();
    long started = System.nanoTime();
    System.out.println("MARK start() returned on port " + emulator.getPort());
    String status = firstRequest(emulator);
    long answered = System.nanoTime();
    if (!status.startsWith("HTTP/1.1 202")) {
      throw new IllegalStateException("the first request was answered " + status);
    }
    emulator.close();
    long closed = System.nanoTime();
    WebPubSubEmulator warm = WebPubSubEmulator.start();
    long warmStarted = System.nanoTime();
    warm.close();
    // Read after the measurement: the management classes would otherwise count against start().
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.printf(
        "main=%d start=%.1f request=%.1f warm=%.1f close=%.1f%n",
        mainMillis - jvmStart,
        (started - begin) / 1e6,
        (answered - started) / 1e6,
        (warmStarted - closed) / 1e6,
        (closed - answered) / 1e6);
  }

  /**
   * A signed {@code POST /api/hubs/bench/:send} over a plain socket, the token signed by hand, so
   * that the child loads no HTTP client or JSON library of its own: what it measures is the
   * emulator's first answer.
   */
  private static String firstRequest(WebPubSubEmulator emulator) {
    try (Socket socket = new Socket("127.0.0.1", emulator.getPort())) {
      String path = "/api/hubs/bench/:send";
      String host = "localhost:" + emulator.getPort();
      String claims =
          "{\"aud\":\"http://"
              + host
              + path
              + "\",\"exp\":"
              + (System.currentTimeMillis() / 1000 + 300)
              + "}";
      Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
      String input =
          base64.encodeToString(
                  "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
              + "."
              + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              emulator.getAccessKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String token =
          input + "." + base64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
      String request =
          "POST "
              + path
              + "?api-version=2024-12-01 HTTP/1.1\r\nHost: "
              + host
              + "\r\nAuthorization: Bearer "
              + token
              + "\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    } catch (IOException | GeneralSecurityException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static void classesPerPackage(String classpath) throws Exception {
    String output =
        run(
            List.of(
                java(),
                "-verbose:class",
                "-cp",
                classpath,
                ColdStartBenchmark.class.getName(),
                CHILD));
    Map<String, Integer> perPackage = new TreeMap<>();
    boolean inStart = false;
    int total = 0;
    for (String line : output.lines().toList()) {
      if (line.contains("class,load] io.github.webpubsub.emulator.WebPubSubEmulator ")) {
        inStart = true;
      }
      if (line.startsWith("MARK")) {
        break;
      }
      if (inStart && line.contains("class,load")) {
        String name = line.substring(line.indexOf("]", line.indexOf("class,load")) + 1).strip();
        name = name.substring(0, name.indexOf(' '));
        perPackage.merge(group(name), 1, Integer::sum);
        total++;
      }
    }
    System.out.println("classes loaded by the first start(): " + total);
    perPackage.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach((e) -> System.out.printf("  %5d %s%n", e.getValue(), e.getKey()));
  }

  private static String group(String className) {
    String[] parts = className.split("\\.");
    int depth = className.startsWith("java.") || className.startsWith("jdk.") ? 2 : 3;
    return String.join(".", java.util.Arrays.copyOf(parts, Math.min(depth, parts.length - 1)));
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String run(List<String> command) throws Exception {
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (child.waitFor() != 0) {
      throw new IllegalStateException("child failed: " + output);
    }
    if (command.contains("-verbose:class")) {
      return output;
    }
    return output.lines().filter((l) -> l.startsWith("main=")).findFirst().orElseThrow();
  }

  private static Map<String, Double> figures(String line) {
    Map<String, Double> figures = new TreeMap<>();
    for (String pair : line.strip().split(" ")) {
      String[] kv = pair.split("=");
      figures.put(kv[0], Double.parseDouble(kv[1]));
    }
    return figures;
  }

  private static String summary(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return String.format(
        "median %7.1f ms  min %7.1f ms  max %7.1f ms  (n=%d)",
        median, sorted.get(0), sorted.get(n - 1), n);
  }
}
