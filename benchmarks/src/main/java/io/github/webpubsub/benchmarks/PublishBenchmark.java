package io.github.webpubsub.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Runs the comparison: JWT signing cost, then, per in-flight concurrency, a warm-up and timed
 * rounds of {@code sendToGroup} for every contender in rotating order against one {@link
 * JwtVerifyingServer}; prints Markdown with medians over rounds and the ratios the issue sets
 * targets for. Settings are system properties ({@code bench.*}, see {@link Settings}).
 *
 * <p>(Why this class is long: it is the whole benchmark script, run, checks and report, in the
 * order it runs; contenders, the server and the measurements are classes of their own.)
 */
final class PublishBenchmark {

  static final String HUB = "bench";

  static final String GROUP = "bench-group";

  /** A 100-byte text message. */
  static final String MESSAGE =
      "{\"type\":\"tick\",\"seq\":123456,\"payload\":\"" + "x".repeat(59) + "\"}";

  /** Benchmark settings from system properties. */
  record Settings(
      URI endpoint,
      List<Integer> concurrencies,
      int rounds,
      Duration round,
      Duration warmup,
      List<String> contenders,
      Path output) {

    static Settings fromSystemProperties() {
      return new Settings(
          URI.create(System.getProperty("bench.endpoint", "http://127.0.0.1:18090")),
          Arrays.stream(System.getProperty("bench.concurrency", "16,64").split(","))
              .map(String::trim)
              .map(Integer::valueOf)
              .toList(),
          Integer.getInteger("bench.rounds", 5),
          Duration.ofMillis(Long.getLong("bench.roundMillis", 2000)),
          Duration.ofMillis(Long.getLong("bench.warmupMillis", 3000)),
          Arrays.stream(
                  System.getProperty(
                          "bench.contenders",
                          "template,template-observed,template-webclient,template-webclient-observed,sdk,webclient,raw")
                      .split(","))
              .map(String::trim)
              .toList(),
          Path.of(System.getProperty("bench.output", "target/benchmark-results.md")));
    }
  }

  private final Settings settings;

  private final String accessKey;

  private final AllocationMeter allocation = new AllocationMeter();

  private final StringBuilder report = new StringBuilder();

  /** Whether the auto-configuration's default transport is Reactor Netty's (set by the run). */
  private boolean defaultIsReactorNetty;

  PublishBenchmark(Settings settings, String accessKey) {
    this.settings = settings;
    this.accessKey = accessKey;
  }

  private Map<String, Function<URI, Contender>> factories() {
    Map<String, Function<URI, Contender>> factories = new LinkedHashMap<>();
    for (TemplateContender.Transport transport : TemplateContender.Transport.values()) {
      String key =
          switch (transport) {
            case DEFAULT -> "template";
            case WEB_CLIENT -> "template-webclient";
            case REACTOR_NETTY -> "template-netty";
          };
      factories.put(
          key, endpoint -> new TemplateContender(endpoint, HUB, this.accessKey, false, transport));
      factories.put(
          key + "-observed",
          endpoint -> new TemplateContender(endpoint, HUB, this.accessKey, true, transport));
    }
    factories.put(
        "template-observed-no-ltt",
        endpoint -> TemplateContender.withoutLongTaskTimer(endpoint, HUB, this.accessKey));
    factories.put("sdk", endpoint -> new AzureSdkContender(endpoint, HUB, this.accessKey));
    for (PlainWebClientContender.Extra extra : PlainWebClientContender.Extra.values()) {
      String key =
          (extra == PlainWebClientContender.Extra.NONE)
              ? "webclient"
              : "webclient-" + extra.name().toLowerCase(Locale.ROOT).replace('_', '-');
      factories.put(
          key, endpoint -> new PlainWebClientContender(endpoint, HUB, this.accessKey, extra));
    }
    factories.put("raw", endpoint -> new RawReactorNettyContender(endpoint, HUB, this.accessKey));
    return factories;
  }

  void run() throws IOException {
    Instant started = Instant.now();
    line("## Publishing benchmark, " + started.truncatedTo(ChronoUnit.SECONDS));
    line("");
    line("- Machine: " + Machine.describe());
    line("- Load average (1/5/15 min) at start: " + Machine.loadAverage());
    line(
        "- Rounds: "
            + this.settings.rounds()
            + " x "
            + this.settings.round().toMillis()
            + " ms per contender and concurrency, after a "
            + this.settings.warmup().toMillis()
            + " ms warm-up; contenders rotate order every round; figures are medians over rounds.");
    line(
        "- Message: sendToGroup, "
            + MESSAGE.length()
            + "-byte text/plain body, hub `"
            + HUB
            + "`.");
    line("");
    signingCosts();
    ServerStats before = ServerStats.fetch(this.settings.endpoint());
    List<Contender> contenders = new ArrayList<>();
    Map<String, Function<URI, Contender>> factories = factories();
    for (String name : this.settings.contenders()) {
      Function<URI, Contender> factory = factories.get(name);
      if (factory == null) {
        throw new IllegalArgumentException(
            "bench.contenders names an unknown contender '"
                + name
                + "'; known: "
                + factories.keySet());
      }
      contenders.add(factory.apply(this.settings.endpoint()));
    }
    for (Contender contender : contenders) {
      if (contender instanceof TemplateContender template
          && (template.name().equals(TemplateNames.TEMPLATE)
              || template.name().equals(TemplateNames.TEMPLATE_OBSERVED))) {
        this.defaultIsReactorNetty = template.transport().equals("reactor-netty");
      }
    }
    PublishingRound round = new PublishingRound(this.allocation, GROUP, MESSAGE);
    long sentOk = 0;
    for (int concurrency : this.settings.concurrencies()) {
      Map<Contender, List<RoundResult>> results = new LinkedHashMap<>();
      for (Contender contender : contenders) {
        RoundResult warm = round.run(contender, concurrency, this.settings.warmup());
        sentOk += warm.messages() - warm.errors();
        log("warm-up", contender, concurrency, warm);
        results.put(contender, new ArrayList<>());
      }
      for (int r = 0; r < this.settings.rounds(); r++) {
        for (int i = 0; i < contenders.size(); i++) {
          Contender contender = contenders.get((i + r) % contenders.size());
          RoundResult result = round.run(contender, concurrency, this.settings.round());
          sentOk += result.messages() - result.errors();
          log("round " + (r + 1), contender, concurrency, result);
          results.computeIfAbsent(contender, (key) -> new ArrayList<>()).add(result);
        }
      }
      RoundResult driver =
          round.run(new DriverOnlyContender(), concurrency, Duration.ofMillis(500));
      table(concurrency, results, driver);
    }
    ServerStats after = ServerStats.fetch(this.settings.endpoint());
    line("- Load average (1/5/15 min) at end: " + Machine.loadAverage());
    line(
        "- Server: "
            + (after.accepted() - before.accepted())
            + " requests accepted after JWT verification (client counted "
            + sentOk
            + " successful sends), "
            + (after.rejected() - before.rejected())
            + " rejected; "
            + after.raw());
    line("");
    line("Set-up, checked after the run:");
    line("");
    for (Contender contender : contenders) {
      line("- " + contender.check());
      contender.close();
    }
    String markdown = this.report.toString();
    System.out.println();
    System.out.println(markdown);
    Files.createDirectories(this.settings.output().toAbsolutePath().getParent());
    Files.writeString(this.settings.output(), markdown, StandardCharsets.UTF_8);
    if (round.firstError() != null) {
      throw new IllegalStateException(
          "Some sends failed; first failure follows", round.firstError());
    }
    if (after.rejected() != before.rejected() || after.accepted() - before.accepted() != sentOk) {
      throw new IllegalStateException(
          "The server did not verify exactly the sends the client counted: " + after.raw());
    }
  }

  private void signingCosts() {
    String audience =
        this.settings.endpoint()
            + "/api/hubs/"
            + HUB
            + "/groups/"
            + GROUP
            + "/:send?api-version=2024-12-01";
    JwtSigningBenchmark signing =
        new JwtSigningBenchmark(this.allocation, this.accessKey, audience);
    int tokens = Integer.getInteger("bench.jwt.tokensPerRound", 10_000);
    List<JwtSigningBenchmark.Cost> costs = signing.run(tokens * 2, this.settings.rounds(), tokens);
    line("### Cost of one REST token (one thread, " + tokens + " tokens per round)");
    line("");
    line("| way of signing | ns/token | bytes allocated/token |");
    line("|---|---:|---:|");
    for (JwtSigningBenchmark.Cost cost : costs) {
      line(
          "| "
              + cost.signer()
              + " | "
              + format(cost.nanosPerToken())
              + " | "
              + format(cost.bytesPerToken())
              + " |");
    }
    line("");
  }

  private void table(
      int concurrency, Map<Contender, List<RoundResult>> results, RoundResult driver) {
    line("### In-flight concurrency " + concurrency);
    line("");
    line(
        "| contender | msg/s (median) | msg/s range over rounds | p50 µs | p99 µs | bytes allocated/msg | client CPU µs/msg | errors |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|");
    Map<String, List<RoundResult>> byName = new LinkedHashMap<>();
    results.forEach(
        (contender, rounds) -> {
          double throughput = median(rounds, RoundResult::messagesPerSecond);
          double bytes = median(rounds, RoundResult::bytesPerMessage);
          byName.put(contender.name(), rounds);
          double min = rounds.stream().mapToDouble(RoundResult::messagesPerSecond).min().orElse(0);
          double max = rounds.stream().mapToDouble(RoundResult::messagesPerSecond).max().orElse(0);
          line(
              "| "
                  + contender.name()
                  + " | "
                  + format(throughput)
                  + " | "
                  + format(min)
                  + " – "
                  + format(max)
                  + " | "
                  + format(median(rounds, RoundResult::p50Micros))
                  + " | "
                  + format(median(rounds, RoundResult::p99Micros))
                  + " | "
                  + format(bytes)
                  + " | "
                  + format(median(rounds, RoundResult::cpuMicrosPerMessage))
                  + " | "
                  + rounds.stream().mapToLong(RoundResult::errors).sum()
                  + " |");
        });
    line("");
    line(
        "Driver alone (Mono.empty(), same flatMap and timing): "
            + format(driver.bytesPerMessage())
            + " bytes/msg, included in every row above.");
    line("");
    ratios(byName);
  }

  /**
   * Ratios between contenders, each the median over rounds of the ratio within a round (round r of
   * one contender ran next to round r of the other, so load drifts cancel out).
   */
  private void ratios(Map<String, List<RoundResult>> byName) {
    List<RoundResult> sdk = byName.get(AzureSdkContender.NAME);
    List<RoundResult> raw = byName.get(RawReactorNettyContender.NAME);
    List<String> ratios = new ArrayList<>();
    if (sdk != null && raw != null) {
      ratios.add(describe("SDK/floor", sdk, raw));
    }
    List<RoundResult> webClient = byName.get(PlainWebClientContender.NAME);
    if (webClient != null && raw != null) {
      ratios.add(describe("plain WebClient/floor", webClient, raw));
    }
    for (String name :
        List.of(
            TemplateNames.TEMPLATE,
            TemplateNames.TEMPLATE_OBSERVED,
            TemplateNames.TEMPLATE_WEB_CLIENT,
            TemplateNames.TEMPLATE_WEB_CLIENT_OBSERVED,
            TemplateNames.TEMPLATE_NETTY,
            TemplateNames.TEMPLATE_NETTY_OBSERVED)) {
      List<RoundResult> template = byName.get(name);
      if (template == null) {
        continue;
      }
      // The targets: any transport >= 1.3x the SDK's throughput and <= 0.7x its
      // allocation; Reactor Netty directly >= 1.5x, <= 0.45x and >= 0.9x the floor.
      boolean netty =
          name.equals(TemplateNames.TEMPLATE_NETTY)
              || name.equals(TemplateNames.TEMPLATE_NETTY_OBSERVED)
              || ((name.equals(TemplateNames.TEMPLATE)
                      || name.equals(TemplateNames.TEMPLATE_OBSERVED))
                  && this.defaultIsReactorNetty);
      double throughputGoal = netty ? 1.5 : 1.3;
      double allocationGoal = netty ? 0.45 : 0.7;
      if (sdk != null) {
        double throughput = paired(template, sdk, RoundResult::messagesPerSecond);
        double allocation = paired(template, sdk, RoundResult::bytesPerMessage);
        ratios.add(
            target(
                    name + "/SDK throughput",
                    throughput,
                    String.format(Locale.ROOT, ">= %.2f", throughputGoal),
                    throughput >= throughputGoal)
                + "; "
                + target(
                    "allocation",
                    allocation,
                    String.format(Locale.ROOT, "<= %.2f", allocationGoal),
                    allocation <= allocationGoal)
                + String.format(
                    Locale.ROOT,
                    "; CPU/msg %.2f",
                    paired(template, sdk, RoundResult::cpuMicrosPerMessage)));
      }
      if (raw != null) {
        double throughput = paired(template, raw, RoundResult::messagesPerSecond);
        ratios.add(
            (netty
                    ? target(name + "/floor throughput", throughput, ">= 0.90", throughput >= 0.9)
                    : String.format(Locale.ROOT, "%s/floor throughput %.2f", name, throughput))
                + String.format(
                    Locale.ROOT,
                    "; allocation %.2f; CPU/msg %.2f",
                    paired(template, raw, RoundResult::bytesPerMessage),
                    paired(template, raw, RoundResult::cpuMicrosPerMessage)));
      }
    }
    for (String[] pair :
        new String[][] {
          {TemplateNames.TEMPLATE_OBSERVED, TemplateNames.TEMPLATE},
          {TemplateNames.TEMPLATE_OBSERVED_NO_LONG_TASK_TIMER, TemplateNames.TEMPLATE},
          {TemplateNames.TEMPLATE_WEB_CLIENT_OBSERVED, TemplateNames.TEMPLATE_WEB_CLIENT},
          {TemplateNames.TEMPLATE_NETTY_OBSERVED, TemplateNames.TEMPLATE_NETTY}
        }) {
      List<RoundResult> observed = byName.get(pair[0]);
      List<RoundResult> bare = byName.get(pair[1]);
      if (observed == null || bare == null) {
        continue;
      }
      double bytes = pairedDifference(observed, bare, RoundResult::bytesPerMessage);
      double cpu = paired(observed, bare, RoundResult::cpuMicrosPerMessage);
      ratios.add(
          String.format(
              Locale.ROOT,
              "%s on %s: **%+,.0f B/msg** (target <= +2,048: %s), CPU/msg **%.2f** (target"
                  + " <= 1.10: %s)",
              pair[0].equals(TemplateNames.TEMPLATE_OBSERVED_NO_LONG_TASK_TIMER)
                  ? "metrics without long task timer"
                  : "metrics",
              pair[1],
              bytes,
              (bytes <= 2048) ? "met" : "MISSED",
              cpu,
              (cpu <= 1.10) ? "met" : "MISSED"));
    }
    for (String ratio : ratios) {
      line("- " + ratio);
    }
    line("");
  }

  private static String describe(String name, List<RoundResult> a, List<RoundResult> b) {
    return String.format(
        Locale.ROOT,
        "%s throughput %.2f; allocation %.2f; CPU/msg %.2f",
        name,
        paired(a, b, RoundResult::messagesPerSecond),
        paired(a, b, RoundResult::bytesPerMessage),
        paired(a, b, RoundResult::cpuMicrosPerMessage));
  }

  private static double paired(
      List<RoundResult> a,
      List<RoundResult> b,
      java.util.function.ToDoubleFunction<RoundResult> metric) {
    int rounds = Math.min(a.size(), b.size());
    double[] ratios = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      ratios[i] = metric.applyAsDouble(a.get(i)) / metric.applyAsDouble(b.get(i));
    }
    return Stats.median(ratios);
  }

  private static double pairedDifference(
      List<RoundResult> a,
      List<RoundResult> b,
      java.util.function.ToDoubleFunction<RoundResult> metric) {
    int rounds = Math.min(a.size(), b.size());
    double[] differences = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      differences[i] = metric.applyAsDouble(a.get(i)) - metric.applyAsDouble(b.get(i));
    }
    return Stats.median(differences);
  }

  private static String target(String name, double value, String goal, boolean met) {
    return String.format(
        Locale.ROOT, "%s **%.2f** (target %s: %s)", name, value, goal, met ? "met" : "MISSED");
  }

  private static double median(
      List<RoundResult> rounds, java.util.function.ToDoubleFunction<RoundResult> metric) {
    return Stats.median(rounds.stream().mapToDouble(metric).toArray());
  }

  private static String format(double value) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static void log(String what, Contender contender, int concurrency, RoundResult result) {
    System.out.printf(
        Locale.ROOT,
        "%-8s c=%-3d %-31s %,8.0f msg/s  p50 %8.1f µs  p99 %9.1f µs  %,7.0f B/msg  %6.1f CPU µs/msg  %d msgs  %d errors%n",
        what,
        concurrency,
        contender.name(),
        result.messagesPerSecond(),
        result.p50Micros(),
        result.p99Micros(),
        result.bytesPerMessage(),
        result.cpuMicrosPerMessage(),
        result.messages(),
        result.errors());
  }

  private void line(String text) {
    this.report.append(text).append('\n');
  }

  /** The timing harness with nothing to send: its own per-message allocation. */
  private static final class DriverOnlyContender implements Contender {

    @Override
    public String name() {
      return "driver only";
    }

    @Override
    public Mono<Void> send(String group, String message) {
      return Mono.empty();
    }
  }

  /** The server's counters, from {@code GET /stats}. */
  record ServerStats(long accepted, long rejected, String raw) {

    static ServerStats fetch(URI endpoint) {
      String raw =
          HttpClient.create()
              .get()
              .uri(endpoint + "/stats")
              .responseContent()
              .aggregate()
              .asString()
              .block();
      if (raw == null) {
        throw new IllegalStateException("The server at " + endpoint + " returned no stats");
      }
      return new ServerStats(counter(raw, "accepted"), counter(raw, "rejected"), raw);
    }

    private static long counter(String raw, String name) {
      for (String part : raw.split(" ")) {
        if (part.startsWith(name + "=")) {
          return Long.parseLong(part.substring(name.length() + 1));
        }
      }
      throw new IllegalStateException("The server's stats lack '" + name + "': " + raw);
    }
  }

  /** Runs the benchmark against the server at {@code bench.endpoint}. */
  public static void main(String[] args) throws IOException {
    new PublishBenchmark(Settings.fromSystemProperties(), BenchmarkAccessKey.get()).run();
    System.exit(0);
  }
}
