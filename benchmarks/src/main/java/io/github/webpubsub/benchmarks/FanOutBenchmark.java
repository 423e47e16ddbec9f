package io.github.webpubsub.benchmarks;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The emulator's broadcast fan-out next to a floor: the standalone emulator and {@link
 * FanOutFloorServer} each run in a JVM of their own (same heap), the clients in this one. Per
 * client count and client kind (plain, {@code json.webpubsub.azure.v1}), rounds alternate between
 * the two servers (A B, B A, ...); each round connects the clients, sends a few warm-up broadcasts,
 * then times {@code bench.fanout.deliveries} deliveries: a REST {@code sendToAll} of a 100-byte
 * text to the emulator, {@code POST /broadcast} of the same text to the floor, with at most {@code
 * bench.fanout.window} broadcasts not yet delivered to every client. Reports deliveries per second
 * and the server process's CPU time per delivery (all its threads, from {@link ProcessHandle}).
 */
final class FanOutBenchmark {

  static final String HUB = "bench";

  /** Settings from system properties {@code bench.fanout.*}. */
  record Settings(
      List<Integer> clients,
      List<Boolean> json,
      int rounds,
      long deliveries,
      int window,
      String serverHeap,
      Path output) {

    static Settings fromSystemProperties() {
      return new Settings(
          Arrays.stream(System.getProperty("bench.fanout.clients", "1000,10000").split(","))
              .map(String::trim)
              .map(Integer::valueOf)
              .toList(),
          Arrays.stream(System.getProperty("bench.fanout.kinds", "plain,json").split(","))
              .map(String::trim)
              .map("json"::equals)
              .toList(),
          Integer.getInteger("bench.fanout.rounds", 3),
          Long.getLong("bench.fanout.deliveries", 500_000),
          Integer.getInteger("bench.fanout.window", 8),
          System.getProperty("bench.fanout.serverHeap", "1g"),
          Path.of(System.getProperty("bench.fanout.output", "target/fanout-results.md")));
    }
  }

  /** One server under test, running in a child JVM. */
  abstract static class Server implements AutoCloseable {

    final String name;

    /** The server's JVM, {@code null} when the server runs in this JVM (the harness tests). */
    final @Nullable Process process;

    final String endpoint;

    Server(String name, @Nullable Process process, String endpoint) {
      this.name = name;
      this.process = process;
      this.endpoint = endpoint;
    }

    abstract URI clientUrl(int client);

    abstract Mono<Void> broadcast(HttpClient http, byte[] message);

    /** CPU time of the server process so far (all threads), in nanoseconds. */
    long cpuNanos() {
      Process process = this.process;
      return (process != null) ? process.info().totalCpuDuration().orElseThrow().toNanos() : 0;
    }

    @Override
    public void close() throws InterruptedException {
      Process process = this.process;
      if (process == null) {
        return;
      }
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }

    static Mono<Void> expect202(reactor.netty.http.client.HttpClientResponse response) {
      if (response.status().code() != 202) {
        return Mono.error(
            new IllegalStateException(
                "broadcast answered " + response.status().code() + " instead of 202"));
      }
      return Mono.empty();
    }
  }

  /** The standalone emulator ({@code EmulatorMain}) with the benchmark's key. */
  static final class Emulator extends Server {

    private final Hs256Jwt jwt;

    private final String clientToken;

    Emulator(@Nullable Process process, String endpoint, String accessKey) {
      super("emulator", process, endpoint);
      this.jwt = new Hs256Jwt(accessKey);
      this.clientToken =
          this.jwt.sign(
              endpoint + "/client/hubs/" + HUB, Instant.now().getEpochSecond() + 24 * 3600);
    }

    @Override
    URI clientUrl(int client) {
      return URI.create(
          this.endpoint.replace("http", "ws")
              + "/client/hubs/"
              + HUB
              + "?access_token="
              + this.clientToken);
    }

    @Override
    Mono<Void> broadcast(HttpClient http, byte[] message) {
      String url = this.endpoint + "/api/hubs/" + HUB + "/:send?api-version=2024-01-01";
      String token = this.jwt.sign(url, Instant.now().getEpochSecond() + 3600);
      return http.headers(
              (headers) ->
                  headers
                      .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                      .set(HttpHeaderNames.CONTENT_TYPE, "text/plain"))
          .post()
          .uri(url)
          .send(Mono.fromSupplier(() -> io.netty.buffer.Unpooled.wrappedBuffer(message)))
          .responseSingle((response, body) -> body.then(expect202(response)));
    }
  }

  /** {@link FanOutFloorServer}. */
  static final class Floor extends Server {

    Floor(@Nullable Process process, String endpoint) {
      super("floor (Reactor Netty)", process, endpoint);
    }

    @Override
    URI clientUrl(int client) {
      return URI.create(this.endpoint.replace("http", "ws") + "/client/hubs/" + HUB);
    }

    @Override
    Mono<Void> broadcast(HttpClient http, byte[] message) {
      return http.post()
          .uri(this.endpoint + "/broadcast")
          .send(Mono.fromSupplier(() -> io.netty.buffer.Unpooled.wrappedBuffer(message)))
          .responseSingle((response, body) -> body.then(expect202(response)));
    }
  }

  /** One timed round. */
  record Round(long deliveries, double seconds, long serverCpuNanos, long clientCpuNanos) {

    double perSecond() {
      return this.deliveries / this.seconds;
    }

    double serverCpuMicrosPerDelivery() {
      return this.serverCpuNanos / 1e3 / this.deliveries;
    }

    double clientCpuMicrosPerDelivery() {
      return this.clientCpuNanos / 1e3 / this.deliveries;
    }
  }

  private final Settings settings;

  private final HttpClient http = HttpClient.newConnection();

  private final HttpClient rest = HttpClient.create();

  private final com.sun.management.OperatingSystemMXBean cpu =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private final StringBuilder report = new StringBuilder();

  FanOutBenchmark(Settings settings) {
    this.settings = settings;
  }

  /** The 100-byte text every broadcast carries. */
  static final byte[] MESSAGE =
      ("{\"type\":\"tick\",\"seq\":123456,\"payload\":\"" + "x".repeat(59) + "\"}")
          .getBytes(StandardCharsets.UTF_8);

  /**
   * The frame a client of the given kind receives for a broadcast of {@code message}: the text
   * itself, or for a JSON client the envelope of a REST send ({@code from: server}).
   */
  static byte[] expectedFrame(byte[] message, boolean json) {
    if (!json) {
      return message;
    }
    JsonMapper mapper = JsonMapper.builder().build();
    ObjectNode envelope = mapper.createObjectNode();
    envelope.put("type", "message");
    envelope.put("from", "server");
    envelope.put("dataType", "text");
    envelope.put("data", new String(message, StandardCharsets.UTF_8));
    return mapper.writeValueAsBytes(envelope);
  }

  /**
   * Connects {@code clients} clients to the server, warms up, and times one round: broadcasts until
   * {@code deliveries} deliveries (rounded up to whole broadcasts) reached the clients.
   */
  Round round(Server server, int clients, boolean json) {
    long broadcasts = Math.max(10, (this.settings.deliveries() + clients - 1) / clients);
    try (FanOutClients connected =
        FanOutClients.connect(
            this.http, clients, json, server::clientUrl, expectedFrame(MESSAGE, json))) {
      long warmup = Math.max(5, broadcasts / 5);
      broadcastAll(server, connected, clients, warmup);
      requireNoProblem(server, connected, warmup);
      connected.reset();
      long serverCpu = server.cpuNanos();
      long clientCpu = this.cpu.getProcessCpuTime();
      long start = System.nanoTime();
      broadcastAll(server, connected, clients, broadcasts);
      long elapsed = System.nanoTime() - start;
      long serverCpuUsed = server.cpuNanos() - serverCpu;
      long clientCpuUsed = this.cpu.getProcessCpuTime() - clientCpu;
      requireNoProblem(server, connected, broadcasts);
      return new Round(broadcasts * clients, elapsed / 1e9, serverCpuUsed, clientCpuUsed);
    }
  }

  private static void requireNoProblem(Server server, FanOutClients clients, long broadcasts) {
    String problem = clients.check(broadcasts);
    if (problem != null) {
      throw new IllegalStateException(server.name + ": " + problem);
    }
  }

  /**
   * Sends {@code broadcasts} broadcasts, never more than the window ahead of what every client
   * received, and waits until all are delivered (or fails after 120 s without progress).
   */
  private void broadcastAll(Server server, FanOutClients clients, int count, long broadcasts) {
    AtomicReference<@Nullable Throwable> error = new AtomicReference<>();
    AtomicLong answered = new AtomicLong();
    int window = this.settings.window();
    for (long k = 0; k < broadcasts; k++) {
      long needed = (k - window) * count;
      waitFor(() -> clients.delivered() >= needed || error.get() != null, clients);
      server
          .broadcast(this.rest, MESSAGE)
          .subscribe(
              (ignored) -> {}, (ex) -> error.compareAndSet(null, ex), answered::incrementAndGet);
      Throwable failed = error.get();
      if (failed != null) {
        throw new IllegalStateException(server.name + ": a broadcast failed", failed);
      }
    }
    long all = broadcasts * count;
    waitFor(() -> clients.delivered() >= all || error.get() != null, clients);
    waitFor(() -> answered.get() == broadcasts || error.get() != null, clients);
    Throwable failed = error.get();
    if (failed != null) {
      throw new IllegalStateException(server.name + ": a broadcast failed", failed);
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, FanOutClients clients) {
    long lastProgress = System.nanoTime();
    long last = clients.delivered();
    while (!condition.getAsBoolean()) {
      LockSupport.parkNanos(20_000);
      long now = clients.delivered();
      if (now != last) {
        last = now;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(120)) {
        throw new IllegalStateException("no delivery for 120 s: " + clients.check(Long.MIN_VALUE));
      }
    }
  }

  void run(List<Server> servers) throws IOException {
    Instant started = Instant.now();
    line("## Fan-out benchmark, " + started.truncatedTo(ChronoUnit.SECONDS));
    line("");
    line("- Machine: " + Machine.describe() + " (the clients' JVM)");
    line("- Load average (1/5/15 min) at start: " + Machine.loadAverage());
    line(
        "- Servers: each in its own JVM (-Xmx"
            + this.settings.serverHeap()
            + "), the clients in a third; rounds alternate between the servers, "
            + this.settings.rounds()
            + " rounds each; each round connects its clients, sends warm-up broadcasts, then times "
            + "about "
            + this.settings.deliveries()
            + " deliveries with at most "
            + this.settings.window()
            + " broadcasts outstanding. Figures are medians over rounds.");
    line(
        "- Message: a "
            + MESSAGE.length
            + "-byte text; plain clients get it as a text frame, JSON clients the "
            + expectedFrame(MESSAGE, true).length
            + "-byte envelope of a REST send. Every client checked every frame byte for byte.");
    line("");
    line(
        "| clients | kind | server | deliveries/s (median) | range | server CPU µs/delivery | vs floor | client CPU µs/delivery |");
    line("|---:|---|---|---:|---:|---:|---:|---:|");
    for (int clients : this.settings.clients()) {
      for (boolean json : this.settings.json()) {
        Map<Server, List<Round>> results = new LinkedHashMap<>();
        for (Server server : servers) {
          results.put(server, new ArrayList<>());
        }
        for (int r = 0; r < this.settings.rounds(); r++) {
          for (int i = 0; i < servers.size(); i++) {
            Server server = servers.get((i + r) % servers.size());
            Round round = round(server, clients, json);
            java.util.Objects.requireNonNull(results.get(server)).add(round);
            System.out.printf(
                Locale.ROOT,
                "round %d %-6d %-5s %-22s %,10.0f deliveries/s  server %.3f µs/delivery  client %.3f µs/delivery  load %s%n",
                r + 1,
                clients,
                json ? "json" : "plain",
                server.name,
                round.perSecond(),
                round.serverCpuMicrosPerDelivery(),
                round.clientCpuMicrosPerDelivery(),
                Machine.loadAverage());
          }
        }
        List<Round> floor =
            java.util.Objects.requireNonNull(results.get(servers.get(servers.size() - 1)));
        for (Map.Entry<Server, List<Round>> entry : results.entrySet()) {
          List<Round> rounds = entry.getValue();
          double[] ratios = new double[rounds.size()];
          for (int i = 0; i < rounds.size(); i++) {
            ratios[i] =
                rounds.get(i).serverCpuMicrosPerDelivery()
                    / floor.get(i).serverCpuMicrosPerDelivery();
          }
          line(
              String.format(
                  Locale.ROOT,
                  "| %,d | %s | %s | %,.0f | %,.0f – %,.0f | %.3f | %.2f | %.3f |",
                  clients,
                  json ? "JSON" : "plain",
                  entry.getKey().name,
                  median(rounds, Round::perSecond),
                  rounds.stream().mapToDouble(Round::perSecond).min().orElse(0),
                  rounds.stream().mapToDouble(Round::perSecond).max().orElse(0),
                  median(rounds, Round::serverCpuMicrosPerDelivery),
                  Stats.median(ratios),
                  median(rounds, Round::clientCpuMicrosPerDelivery)));
        }
      }
    }
    line("");
    line("- Load average (1/5/15 min) at end: " + Machine.loadAverage());
    String markdown = this.report.toString();
    System.out.println();
    System.out.println(markdown);
    Files.createDirectories(this.settings.output().toAbsolutePath().getParent());
    Files.writeString(this.settings.output(), markdown, StandardCharsets.UTF_8);
  }

  private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
    return Stats.median(rounds.stream().mapToDouble(f).toArray());
  }

  private void line(String text) {
    this.report.append(text).append('\n');
  }

  /** Starts a child JVM on this JVM's class path and returns it with its first output line. */
  static Process startJvm(String heap, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms" + heap);
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  static String firstLine(Process process) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      throw new IllegalStateException("the server process ended without output");
    }
    return line;
  }

  /** Runs the fan-out benchmark: emulator and floor in child JVMs, the clients here. */
  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromSystemProperties();
    String key = BenchmarkAccessKey.get();
    Process emulatorProcess =
        startJvm(
            settings.serverHeap(),
            "io.github.webpubsub.emulator.EmulatorMain",
            "--port=0",
            "--access-key=" + key);
    Process floorProcess = startJvm(settings.serverHeap(), FanOutFloorServer.class.getName(), "0");
    try {
      String connection = firstLine(emulatorProcess);
      String endpoint = connection.substring(connection.indexOf("Endpoint=") + 9);
      endpoint = endpoint.substring(0, endpoint.indexOf(';'));
      String floorLine = firstLine(floorProcess);
      String floorEndpoint = floorLine.substring(floorLine.indexOf("http://"));
      try (Emulator emulator = new Emulator(emulatorProcess, endpoint, key);
          Floor floor = new Floor(floorProcess, floorEndpoint)) {
        System.out.println("emulator at " + endpoint + ", floor at " + floorEndpoint);
        new FanOutBenchmark(settings).run(List.of(emulator, floor));
      }
    } finally {
      emulatorProcess.destroyForcibly();
      floorProcess.destroyForcibly();
    }
    System.exit(0);
  }
}
