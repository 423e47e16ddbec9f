package io.github.webpubsub.emulator.soak;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Not a test (never run by the build): a soak of a standalone emulator that {@code scripts/soak.sh}
 * started in its own JVM. N WebSocket clients in this JVM (a third each plain, {@code
 * json.webpubsub.azure.v1} and {@code json.reliable.webpubsub.azure.v1}) receive REST sends to the
 * hub, to their group and to their user at a steady rate, each message {@code target|sequence} with
 * a sequence number per target, while clients are dropped at random (reliable ones: TCP closed
 * without a close frame, then recovered with {@code awps_connection_id} and {@code
 * awps_reconnection_token}; the others reconnect as new connections), a few clients pause reading
 * for seconds, and JSON clients join and leave groups.
 *
 * <p>Checks: every message to a live client's hub, group and user arrives once and in order (for a
 * reliable client across all its recoveries, messages sent while it was away included; a client's
 * lower bound per target is the first message whose REST call started after its {@code connected}
 * message, or one second after the upgrade for plain clients); no client is closed or refused
 * unless the soak did it; every join/leave is acked with success; the emulator's heap after a full
 * GC and its thread count (sampled every 30 s with {@code jcmd}) stay within bounds of the first
 * sample with all clients connected. Prints a summary; the exit code is 1 on any violation.
 *
 * <p>Arguments: {@code --endpoint=http://127.0.0.1:PORT --key=KEY --pid=PID [--minutes=10]
 * [--clients=1000] [--drops-per-second=clients/200] [--overload=true] [--inject-loss=true]} (the
 * last makes client 2 ignore one message, to see the checker report it).
 *
 * <p>Overload phase ({@code --overload=false} turns it off): from 20 s after the senders start
 * until the chaos ends, one extra client at a time (plain and JSON in turn, user {@code v<n>}, not
 * one of the N) stops reading and is sent 512 KiB messages to its user until the emulator drops it
 * (its user is gone for REST), past the 16 MiB outbound byte limit; it must then, reading again,
 * get an unbroken prefix of those messages and a 1008 close naming the byte limit, while every
 * other client's checks above go on.
 */
public final class Soak {

  static final JsonMapper JSON = JsonMapper.builder().build();

  static final String HUB = "soak";

  static final String JSON_PROTOCOL = "json.webpubsub.azure.v1";

  static final String RELIABLE_PROTOCOL = "json.reliable.webpubsub.azure.v1";

  static final int CHURN_GROUPS = 5;

  static final int MAX_VIOLATIONS_KEPT = 200;

  enum Kind {
    PLAIN,
    JSON,
    RELIABLE
  }

  enum State {
    CONNECTING,
    LIVE,
    DROPPED,
    RECOVERING,
    STOPPED
  }

  // ---- configuration ----
  final String endpoint;

  final String key;

  final long pid;

  final double minutes;

  final int clientCount;

  final int groups;

  final double allPerSecond = 1;

  final double groupPerSecond = 12;

  final double userPerSecond = 20;

  final double dropsPerSecond;

  final int slowReaders;

  final boolean injectLoss;

  final boolean overload;

  static final int OVERLOAD_MESSAGE_BYTES = 512 * 1024;

  static final int OVERLOAD_MAX_SENDS = 400;

  /** True while a victim is being filled: its queue may hold up to 16 MiB of payload. */
  volatile boolean overloading;

  final AtomicLong overloadVictims = new AtomicLong();

  final AtomicLong overloadClosed1008 = new AtomicLong();

  final AtomicLong overloadSends = new AtomicLong();

  final AtomicLong overloadReceivedMin = new AtomicLong(Long.MAX_VALUE);

  final AtomicLong overloadReceivedMax = new AtomicLong();

  final AtomicLong overloadSentMin = new AtomicLong(Long.MAX_VALUE);

  final AtomicLong overloadSentMax = new AtomicLong();

  // ---- shared state ----
  final Map<String, AtomicLong> started = new ConcurrentHashMap<>();

  final Map<String, AtomicLong> completed = new ConcurrentHashMap<>();

  final Map<String, AtomicLong> restSends = new ConcurrentHashMap<>();

  final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

  final AtomicInteger violationCount = new AtomicInteger();

  final Map<String, AtomicInteger> violationKinds = new ConcurrentHashMap<>();

  final AtomicLong delivered = new AtomicLong();

  final AtomicLong deliveredReliable = new AtomicLong();

  final AtomicLong resendsSkipped = new AtomicLong();

  final AtomicLong sentWhileDroppedDelivered = new AtomicLong();

  final AtomicLong reliableDrops = new AtomicLong();

  final AtomicLong recoveries = new AtomicLong();

  final AtomicLong otherDrops = new AtomicLong();

  final AtomicLong reconnects = new AtomicLong();

  final AtomicLong joinsLeavesSent = new AtomicLong();

  final AtomicLong joinsLeavesAcked = new AtomicLong();

  final AtomicLong pauses = new AtomicLong();

  final AtomicLong restLate = new AtomicLong();

  // {epochSecond, heapKiB, threads, rssKiB, 1 if taken while a victim was being overloaded}
  final List<long[]> samples = new ArrayList<>();

  final List<Double> loads = new ArrayList<>();

  final long startNanos = System.nanoTime();

  volatile boolean chaos = true;

  volatile boolean sending = true;

  volatile boolean stopping = false;

  final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);

  final HttpClient ws = HttpClient.newConnection().responseTimeout(Duration.ofSeconds(30));

  final HttpClient rest =
      HttpClient.create(ConnectionProvider.builder("soak-rest").maxConnections(8).build())
          .responseTimeout(Duration.ofSeconds(30));

  final List<Sim> sims = new ArrayList<>();

  final byte[] keyBytes;

  Soak(Map<String, String> args) {
    this.endpoint = args.get("endpoint").replace("localhost", "127.0.0.1");
    this.key = args.get("key");
    this.pid = Long.parseLong(args.get("pid"));
    this.minutes = Double.parseDouble(args.getOrDefault("minutes", "10"));
    this.clientCount = Integer.parseInt(args.getOrDefault("clients", "1000"));
    this.groups = Math.max(1, this.clientCount / 50);
    this.dropsPerSecond =
        Double.parseDouble(
            args.getOrDefault("drops-per-second", Double.toString(this.clientCount / 200.0)));
    this.slowReaders = Math.min(6, Math.max(1, this.clientCount / 150));
    this.injectLoss = Boolean.parseBoolean(args.getOrDefault("inject-loss", "false"));
    this.overload = Boolean.parseBoolean(args.getOrDefault("overload", "true"));
    this.keyBytes = this.key.getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String arg : argv) {
      int eq = arg.indexOf('=');
      args.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    int code = new Soak(args).run();
    System.exit(code);
  }

  // ---- helpers ----

  AtomicLong started(String target) {
    return this.started.computeIfAbsent(target, (t) -> new AtomicLong());
  }

  AtomicLong completed(String target) {
    return this.completed.computeIfAbsent(target, (t) -> new AtomicLong());
  }

  double elapsed() {
    return (System.nanoTime() - this.startNanos) / 1e9;
  }

  void violation(String kind, String detail) {
    int n = this.violationCount.incrementAndGet();
    this.violationKinds.computeIfAbsent(kind, (k) -> new AtomicInteger()).incrementAndGet();
    String line = String.format("[t=%.1fs] %s: %s", elapsed(), kind, detail);
    if (n <= MAX_VIOLATIONS_KEPT) {
      this.violations.add(line);
    }
    if (n <= 20) {
      System.out.println("VIOLATION " + line);
    }
  }

  String sign(String claimsJson) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input =
        b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(this.keyBytes, "HmacSHA256"));
      return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException(ex);
    }
  }

  String clientUrl() {
    return this.endpoint + "/client/hubs/" + HUB;
  }

  URI clientUri(Sim sim) {
    long now = Instant.now().getEpochSecond();
    String token =
        sign(
            "{\"aud\":\""
                + clientUrl()
                + "\",\"iat\":"
                + now
                + ",\"exp\":"
                + (now + 7200)
                + ",\"sub\":\""
                + sim.user
                + "\",\"role\":[\"webpubsub.joinLeaveGroup\"],\"webpubsub.group\":[\""
                + sim.group
                + "\"]}");
    return URI.create(clientUrl().replace("http", "ws") + "?access_token=" + token);
  }

  /** One REST send; true when answered 202. */
  boolean restSend(String path, String body) {
    String url = this.endpoint + path + "?api-version=2024-12-01";
    String token =
        sign("{\"aud\":\"" + url + "\",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}");
    try {
      Integer status =
          this.rest
              .headers(
                  (h) ->
                      h.set("Authorization", "Bearer " + token).set("Content-Type", "text/plain"))
              .post()
              .uri(url)
              .send(Mono.just(io.netty.buffer.Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)))
              .responseSingle((r, content) -> content.then(Mono.just(r.status().code())))
              .block(Duration.ofSeconds(40));
      if (status == null || status != 202) {
        violation("rest-status", path + " '" + body + "' answered " + status);
        return false;
      }
      return true;
    } catch (RuntimeException ex) {
      violation("rest-error", path + " '" + body + "': " + ex);
      return false;
    }
  }

  // ---- senders ----

  void sender(String name, double perSecond, java.util.function.Supplier<String[]> next) {
    Thread thread =
        new Thread(
            () -> {
              long period = (long) (1e9 / perSecond);
              long due = System.nanoTime();
              while (this.sending) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                  java.util.concurrent.locks.LockSupport.parkNanos(wait);
                  continue;
                }
                if (-wait > 1_000_000_000L) {
                  this.restLate.incrementAndGet();
                  due = System.nanoTime();
                }
                due += period;
                String[] t = next.get(); // {target, path}
                long seq = started(t[0]).incrementAndGet();
                if (restSend(t[1], t[0] + "|" + seq)) {
                  completed(t[0]).set(seq);
                }
                this.restSends.computeIfAbsent(name, (k) -> new AtomicLong()).incrementAndGet();
              }
            },
            "soak-send-" + name);
    thread.setDaemon(true);
    thread.start();
    this.senderThreads.add(thread);
  }

  final List<Thread> senderThreads = new ArrayList<>();

  // ---- emulator sampling ----

  static String exec(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return output;
    } catch (Exception ex) {
      return "";
    }
  }

  static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** {epochSecond, heap used after a full GC in KiB, threads, RSS KiB}; heap -1 if it failed. */
  long[] sample() {
    // Read before the GC too: a victim's queue freed while jcmd runs was still live at the GC.
    boolean duringOverload = this.overloading;
    String p = Long.toString(this.pid);
    exec("jcmd", p, "GC.run");
    String info = exec("jcmd", p, "GC.heap_info");
    long heap = -1;
    long sum = 0;
    boolean generations = false;
    for (String line : info.lines().toList()) {
      Matcher m = USED.matcher(line);
      if (!m.find()) {
        continue;
      }
      if (line.contains("heap")) {
        heap = Long.parseLong(m.group(1));
        break;
      }
      if (line.contains("generation")) {
        sum += Long.parseLong(m.group(1));
        generations = true;
      }
    }
    if (heap < 0 && generations) {
      heap = sum;
    }
    long threads =
        exec("jcmd", p, "Thread.print").lines().filter((l) -> l.startsWith("\"")).count();
    long rss = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + p + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception ex) {
      // process gone: reported as a violation below
    }
    double load = -1;
    try {
      load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception ex) {
      // no load average
    }
    duringOverload |= this.overloading;
    long[] s = {Instant.now().getEpochSecond(), heap, threads, rss, duringOverload ? 1 : 0};
    synchronized (this.samples) {
      this.samples.add(s);
      this.loads.add(load);
    }
    System.out.printf(
        "[t=%.0fs] emulator heap after GC %.1f MB, %d threads, RSS %.0f MB, load %.2f; delivered %d,"
            + " violations %d, drops %d/%d, recoveries %d%n",
        elapsed(),
        heap / 1024.0,
        threads,
        rss / 1024.0,
        load,
        this.delivered.get(),
        this.violationCount.get(),
        this.reliableDrops.get(),
        this.otherDrops.get(),
        this.recoveries.get());
    if (heap < 0 || threads == 0) {
      violation("emulator-gone", "jcmd could not sample pid " + this.pid + ": " + info.strip());
    }
    return s;
  }

  // ---- the run ----

  int run() throws Exception {
    System.out.printf(
        "soak: %d clients, %.1f minutes, %d groups + %d churn groups, sends/s all %.0f group %.0f"
            + " user %.0f, drops/s %.1f, %d slow readers, emulator pid %d at %s%n",
        this.clientCount,
        this.minutes,
        this.groups,
        CHURN_GROUPS,
        this.allPerSecond,
        this.groupPerSecond,
        this.userPerSecond,
        this.dropsPerSecond,
        this.slowReaders,
        this.pid,
        this.endpoint);
    long[] idle = sample();
    for (int i = 0; i < this.clientCount; i++) {
      Kind kind = Kind.values()[i % 3];
      Sim sim = new Sim(this, i, kind, "g" + (i % this.groups));
      this.sims.add(sim);
    }
    for (int i = 0; i < this.slowReaders; i++) {
      this.sims.get((i * 7 + 1) % this.clientCount).slow = true;
    }
    long rampStart = System.nanoTime();
    for (int i = 0; i < this.clientCount; i += 100) {
      List<Sim> batch = this.sims.subList(i, Math.min(this.clientCount, i + 100));
      batch.forEach(Sim::connectNew);
      Flux.fromIterable(batch)
          .flatMap((s) -> s.ready.asMono())
          .then()
          .block(Duration.ofSeconds(120));
    }
    System.out.printf(
        "connected %d clients in %.1f s%n",
        this.clientCount, (System.nanoTime() - rampStart) / 1e9);
    long[] baseline = sample();

    // senders
    sender("sendToAll", this.allPerSecond, () -> new String[] {"a", "/api/hubs/" + HUB + "/:send"});
    AtomicInteger groupTurn = new AtomicInteger();
    sender(
        "sendToGroup",
        this.groupPerSecond,
        () -> {
          int n = groupTurn.getAndIncrement() % (this.groups + CHURN_GROUPS);
          String g = (n < this.groups) ? "g" + n : "c" + (n - this.groups);
          return new String[] {g, "/api/hubs/" + HUB + "/groups/" + g + "/:send"};
        });
    sender(
        "sendToUser",
        this.userPerSecond,
        () -> {
          String u = "u" + ThreadLocalRandom.current().nextInt(this.clientCount);
          return new String[] {u, "/api/hubs/" + HUB + "/users/" + u + "/:send"};
        });

    if (this.overload) {
      Thread overloader = new Thread(this::overloadPhase, "soak-overload");
      overloader.setDaemon(true);
      overloader.start();
      this.senderThreads.add(overloader);
    }

    // chaos: drops, joins/leaves, slow readers; acks
    this.timers.scheduleAtFixedRate(this::chaosTick, 100, 100, TimeUnit.MILLISECONDS);
    this.timers.scheduleAtFixedRate(
        () -> this.sims.forEach(Sim::ackTick), 500, 500, TimeUnit.MILLISECONDS);
    for (Sim s : this.sims) {
      if (s.slow) {
        this.timers.schedule(
            s::pause, 3 + ThreadLocalRandom.current().nextInt(10), TimeUnit.SECONDS);
      }
    }

    long end = this.startNanos + (long) (this.minutes * 60e9);
    long nextSample = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < end) {
      Thread.sleep(200);
      if (System.nanoTime() >= nextSample) {
        nextSample += 30_000_000_000L;
        sample();
      }
    }
    // wind down: no new drops or pauses, stop the senders, let every client get back
    this.chaos = false;
    this.sending = false;
    for (Thread t : this.senderThreads) {
      t.join(60_000);
    }
    long settle = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < settle
        && this.sims.stream().anyMatch((s) -> s.state() != State.LIVE || s.paused)) {
      Thread.sleep(200);
    }
    for (Sim s : this.sims) {
      if (s.state() != State.LIVE) {
        violation("not-live-at-end", s + " is " + s.state() + " 60 s after the chaos stopped");
      }
    }
    // drain: every strict target of every live session up to the last completed send
    long drain = System.nanoTime() + 90_000_000_000L;
    while (System.nanoTime() < drain && this.sims.stream().anyMatch((s) -> !s.drained())) {
      Thread.sleep(200);
    }
    this.stopping = true;
    for (Sim s : this.sims) {
      s.finalCheck();
    }
    long[] last = sample();
    this.timers.shutdownNow();
    for (Sim s : this.sims) {
      s.close();
    }
    Thread.sleep(2000);

    // bounds
    long heapBound = Math.max(2 * baseline[1], baseline[1] + 64 * 1024);
    long threadBound = baseline[2] + 32;
    // While a victim is being filled the emulator legitimately holds its queue: 16 MiB of payload,
    // kept once per framing (plain and JSON); 512 KiB arrays are G1 humongous objects taking a
    // 1 MiB region each (-Xmx512m), so a full queue shows as about 64 MB used.
    long overloadHeapBound = heapBound + 4 * 16 * 1024;
    List<long[]> after;
    synchronized (this.samples) {
      after = new ArrayList<>(this.samples.subList(1, this.samples.size()));
    }
    for (long[] s : after) {
      long bound = (s[4] == 1) ? overloadHeapBound : heapBound;
      if (s[1] > bound) {
        violation(
            "heap",
            "heap after GC "
                + s[1]
                + " KiB above the bound "
                + bound
                + " KiB"
                + ((s[4] == 1) ? " (while a victim was being overloaded)" : ""));
      }
      if (s[2] > threadBound) {
        violation("threads", s[2] + " threads above the bound " + threadBound);
      }
    }
    summary(idle, baseline, last, after, heapBound, threadBound, overloadHeapBound);
    return (this.violationCount.get() == 0) ? 0 : 1;
  }

  // ---- overload phase ----

  /** HTTP status of a signed HEAD. */
  int restHead(String path) {
    String url = this.endpoint + path + "?api-version=2024-12-01";
    String token =
        sign("{\"aud\":\"" + url + "\",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}");
    try {
      Integer status =
          this.rest
              .headers((h) -> h.set("Authorization", "Bearer " + token))
              .head()
              .uri(url)
              .responseSingle((r, content) -> content.then(Mono.just(r.status().code())))
              .block(Duration.ofSeconds(40));
      return (status == null) ? -1 : status;
    } catch (RuntimeException ex) {
      return -1;
    }
  }

  void overloadPhase() {
    try {
      long start = System.nanoTime() + 20_000_000_000L;
      while (this.sending && System.nanoTime() < start) {
        Thread.sleep(200);
      }
      int n = 0;
      while (this.sending && this.chaos) {
        overloadOne(n, n % 2 == 1);
        n++;
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException ex) {
      violation("soak-bug", "overload phase: " + ex);
    }
  }

  /** One client that stops reading and is pushed past the outbound byte limit. */
  void overloadOne(int n, boolean json) throws InterruptedException {
    String user = "v" + n;
    long now = Instant.now().getEpochSecond();
    String token =
        sign(
            "{\"aud\":\""
                + clientUrl()
                + "\",\"exp\":"
                + (now + 7200)
                + ",\"sub\":\""
                + user
                + "\"}");
    URI uri = URI.create(clientUrl().replace("http", "ws") + "?access_token=" + token);
    Sinks.One<Boolean> open = Sinks.one();
    Sinks.Empty<Void> gate = Sinks.empty();
    java.util.concurrent.atomic.AtomicReference<WebSocketCloseStatus> status =
        new java.util.concurrent.atomic.AtomicReference<>();
    List<Long> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    WebsocketClientSpec.Builder spec =
        WebsocketClientSpec.builder().maxFramePayloadLength(2 * 1024 * 1024).handlePing(false);
    if (json) {
      spec.protocols(JSON_PROTOCOL);
    }
    reactor.core.Disposable client =
        this.ws
            .websocket(spec.build())
            .uri(uri)
            .handle(
                (in, out) -> {
                  in.withConnection((c) -> c.channel().config().setAutoRead(false));
                  in.receiveCloseStatus().subscribe(status::set);
                  gate.asMono()
                      .subscribe(
                          null,
                          null,
                          () ->
                              in.withConnection(
                                  (c) -> {
                                    c.channel().config().setAutoRead(true);
                                    c.channel().read();
                                  }));
                  open.tryEmitValue(true);
                  // Demand of one frame at a time until the gate opens: an unbounded subscriber
                  // would make Reactor Netty read.
                  return in.aggregateFrames(2 * 1024 * 1024)
                      .receiveFrames()
                      .map((frame) -> frame.content().toString(StandardCharsets.UTF_8))
                      .delayUntil((text) -> gate.asMono())
                      .doOnNext(
                          (text) -> {
                            String data =
                                json ? JSON.readTree(text).path("data").asString("") : text;
                            if (data.startsWith("v|")) {
                              received.add(Long.parseLong(data.substring(2, data.indexOf('|', 2))));
                            }
                          })
                      .then();
                })
            .subscribe((x) -> {}, (error) -> open.tryEmitError(error));
    try {
      open.asMono().block(Duration.ofSeconds(30));
    } catch (RuntimeException ex) {
      violation("overload-connect", user + ": " + ex);
      client.dispose();
      return;
    }
    this.overloadVictims.incrementAndGet();
    this.overloading = true;
    String padding = "x".repeat(OVERLOAD_MESSAGE_BYTES);
    String path = "/api/hubs/" + HUB + "/users/" + user;
    int sent = 0;
    boolean dropped = false;
    while (sent < OVERLOAD_MAX_SENDS && this.sending) {
      if (!restSend(path + "/:send", "v|" + sent + "|" + padding)) {
        break;
      }
      sent++;
      this.overloadSends.incrementAndGet();
      if (sent % 4 == 0 && restHead(path) == 404) {
        dropped = true;
        break;
      }
    }
    if (!dropped && restHead(path) == 404) {
      dropped = true;
    }
    if (!dropped) {
      if (this.sending) {
        violation("overload-not-closed", user + " still connected after " + sent + " sends");
      }
      gate.tryEmitEmpty();
      client.dispose();
      this.overloading = false;
      return;
    }
    gate.tryEmitEmpty();
    this.overloading = false;
    long until = System.nanoTime() + 60_000_000_000L;
    while (status.get() == null && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    WebSocketCloseStatus close = status.get();
    if (close == null
        || close.code() != 1008
        || !close.reasonText().contains("did not keep up")
        || !close.reasonText().contains("bytes queued")) {
      violation("overload-close", user + " (" + (json ? "json" : "plain") + ") closed " + close);
    } else {
      this.overloadClosed1008.incrementAndGet();
    }
    for (int i = 0; i < received.size(); i++) {
      if (received.get(i) != i) {
        violation("overload-prefix", user + " got v|" + received.get(i) + " as message " + i);
        break;
      }
    }
    if (received.size() >= sent) {
      violation("overload-all-received", user + " got all " + sent + " messages yet was closed");
    }
    this.overloadReceivedMin.accumulateAndGet(received.size(), Math::min);
    this.overloadReceivedMax.accumulateAndGet(received.size(), Math::max);
    this.overloadSentMin.accumulateAndGet(sent, Math::min);
    this.overloadSentMax.accumulateAndGet(sent, Math::max);
    client.dispose();
    if (n % 2 == 1) {
      sample(); // the victim's queue must be freed: checked against the normal bound
    }
  }

  void chaosTick() {
    if (!this.chaos) {
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try {
      double drops = this.dropsPerSecond / 10;
      int n = (int) drops + ((random.nextDouble() < drops - (int) drops) ? 1 : 0);
      for (int i = 0; i < n; i++) {
        Sim s = this.sims.get(random.nextInt(this.sims.size()));
        s.drop();
      }
      // about 4 joins/leaves a second
      if (random.nextInt(10) < 4) {
        Sim s = this.sims.get(random.nextInt(this.sims.size()));
        s.joinOrLeave("c" + random.nextInt(CHURN_GROUPS));
      }
    } catch (RuntimeException ex) {
      violation("soak-bug", "chaos tick: " + ex);
    }
  }

  void summary(
      long[] idle,
      long[] baseline,
      long[] last,
      List<long[]> after,
      long heapBound,
      long threadBound,
      long overloadHeapBound) {
    long heapMin = Long.MAX_VALUE;
    long heapMax = 0;
    long thrMin = Long.MAX_VALUE;
    long thrMax = 0;
    long rssMax = 0;
    long overloadHeapMax = 0;
    int overloadSamples = 0;
    for (long[] s : after) {
      if (s[4] == 1) {
        overloadHeapMax = Math.max(overloadHeapMax, s[1]);
        overloadSamples++;
        thrMin = Math.min(thrMin, s[2]);
        thrMax = Math.max(thrMax, s[2]);
        rssMax = Math.max(rssMax, s[3]);
        continue;
      }
      heapMin = Math.min(heapMin, s[1]);
      heapMax = Math.max(heapMax, s[1]);
      thrMin = Math.min(thrMin, s[2]);
      thrMax = Math.max(thrMax, s[2]);
      rssMax = Math.max(rssMax, s[3]);
    }
    double loadMin = this.loads.stream().mapToDouble(Double::doubleValue).min().orElse(-1);
    double loadMax = this.loads.stream().mapToDouble(Double::doubleValue).max().orElse(-1);
    long sends = this.restSends.values().stream().mapToLong(AtomicLong::get).sum();
    StringBuilder out = new StringBuilder();
    out.append("\n==== soak summary ====\n");
    row(out, "date (UTC)", Instant.now().toString());
    row(out, "machine", Runtime.getRuntime().availableProcessors() + " CPUs (client JVM's view)");
    row(out, "load average (1 min) at samples", String.format("%.2f-%.2f", loadMin, loadMax));
    row(
        out,
        "clients",
        this.clientCount
            + " ("
            + this.sims.stream().filter((s) -> s.kind == Kind.PLAIN).count()
            + " plain, "
            + this.sims.stream().filter((s) -> s.kind == Kind.JSON).count()
            + " json, "
            + this.sims.stream().filter((s) -> s.kind == Kind.RELIABLE).count()
            + " reliable; "
            + this.slowReaders
            + " slow readers)");
    row(
        out,
        "duration",
        String.format(
            "%.1f min (connect ramp included) + %.0f s wind-down",
            this.minutes, elapsed() - this.minutes * 60));
    row(
        out,
        "REST sends (202)",
        sends + " " + new java.util.TreeMap<>(this.restSends) + ", late resyncs " + this.restLate);
    row(
        out,
        "messages received (unique)",
        this.delivered + " (reliable clients " + this.deliveredReliable + ")");
    row(out, "resent after recovery, skipped by sequenceId", this.resendsSkipped.toString());
    row(
        out,
        "sent while dropped, delivered after recovery",
        this.sentWhileDroppedDelivered.toString());
    row(out, "drops reliable / recoveries", this.reliableDrops + " / " + this.recoveries);
    row(out, "drops plain+json / reconnects", this.otherDrops + " / " + this.reconnects);
    row(out, "joins+leaves sent / acked ok", this.joinsLeavesSent + " / " + this.joinsLeavesAcked);
    row(out, "slow-reader pauses", this.pauses.toString());
    row(
        out,
        "overload victims closed 1008 / started",
        this.overloadClosed1008
            + " / "
            + this.overloadVictims
            + " ("
            + this.overloadSends
            + " sends of 512 KiB; "
            + range(this.overloadSentMin, this.overloadSentMax)
            + " sent to each, "
            + range(this.overloadReceivedMin, this.overloadReceivedMax)
            + " of them received before the close)");
    row(out, "heap after GC idle / all connected", kb(idle[1]) + " / " + kb(baseline[1]));
    row(
        out,
        "heap after GC min/max/last",
        kb(heapMin) + " / " + kb(heapMax) + " / " + kb(last[1]) + " (bound " + kb(heapBound) + ")");
    row(
        out,
        "heap after GC while a victim was filled, max",
        kb(overloadHeapMax)
            + " over "
            + overloadSamples
            + " samples (bound "
            + kb(overloadHeapBound)
            + ")");
    row(out, "threads idle / all connected", idle[2] + " / " + baseline[2]);
    row(
        out,
        "threads min/max/last",
        thrMin + " / " + thrMax + " / " + last[2] + " (bound " + threadBound + ")");
    row(out, "emulator RSS max", kb(rssMax));
    row(out, "samples (every 30 s, and after every second victim)", Integer.toString(after.size()));
    row(
        out,
        "violations",
        this.violationCount + " " + new java.util.TreeMap<>(this.violationKinds));
    out.append("======================\n");
    if (!this.violations.isEmpty()) {
      out.append("violations (first ").append(MAX_VIOLATIONS_KEPT).append("):\n");
      this.violations.forEach((v) -> out.append("  ").append(v).append('\n'));
    }
    System.out.print(out);
  }

  static String range(AtomicLong min, AtomicLong max) {
    return (max.get() == 0 && min.get() == Long.MAX_VALUE) ? "-" : min.get() + "-" + max.get();
  }

  static String kb(long kib) {
    return String.format("%.1f MB", kib / 1024.0);
  }

  static void row(StringBuilder out, String name, String value) {
    out.append(String.format("| %-46s | %s%n", name, value));
  }

  // ---- one connection ----

  static final class Conn {
    final int generation;

    final Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer();

    volatile Channel channel;

    volatile boolean sawConnected;

    volatile WebSocketCloseStatus closeStatus;

    Conn(int generation) {
      this.generation = generation;
    }
  }

  // ---- one simulated client ----

  static final class Sim {
    final Soak soak;

    final int index;

    final Kind kind;

    final String user;

    final String group;

    volatile boolean slow;

    volatile boolean paused;

    final Sinks.One<Boolean> ready = Sinks.one();

    private State state = State.CONNECTING;

    private int generation;

    private Conn conn;

    private String connectionId;

    private String reconnectionToken;

    private long lastSequenceId;

    private long ackedSequenceId;

    private long nextAckId = 1;

    private final Map<Long, String> pendingAcks = new HashMap<>();

    private final Set<String> churn = new HashSet<>();

    /** Last sequence number received per target in the current session. */
    private final Map<String, Long> lastSeen = new HashMap<>();

    /** Lower bound of the strict targets: from it on, every message must arrive. */
    private final Map<String, Long> lowerBound = new HashMap<>();

    private final Map<String, long[]> droppedWindow = new HashMap<>();

    private int session;

    Sim(Soak soak, int index, Kind kind, String group) {
      this.soak = soak;
      this.index = index;
      this.kind = kind;
      this.user = "u" + index;
      this.group = group;
    }

    @Override
    public String toString() {
      return "client "
          + this.index
          + " ("
          + this.kind
          + ", "
          + this.user
          + ", "
          + this.group
          + ", connection "
          + this.connectionId
          + ", session "
          + this.session
          + ")";
    }

    synchronized State state() {
      return this.state;
    }

    List<String> strictTargets() {
      return List.of("a", this.group, this.user);
    }

    synchronized void connectNew() {
      this.generation++;
      this.session++;
      this.state = State.CONNECTING;
      this.connectionId = null;
      this.reconnectionToken = null;
      this.lastSequenceId = 0;
      this.ackedSequenceId = 0;
      this.lastSeen.clear();
      this.lowerBound.clear();
      this.pendingAcks.clear();
      this.churn.clear();
      this.droppedWindow.clear();
      String protocol =
          switch (this.kind) {
            case PLAIN -> null;
            case JSON -> JSON_PROTOCOL;
            case RELIABLE -> RELIABLE_PROTOCOL;
          };
      open(this.soak.clientUri(this), protocol);
    }

    private void open(URI uri, String protocol) {
      Conn c = new Conn(this.generation);
      this.conn = c;
      WebsocketClientSpec.Builder spec =
          WebsocketClientSpec.builder().maxFramePayloadLength(2 * 1024 * 1024).handlePing(false);
      if (protocol != null) {
        spec.protocols(protocol);
      }
      this.soak
          .ws
          .websocket(spec.build())
          .uri(uri)
          .handle(
              (in, out) -> {
                in.withConnection((connection) -> c.channel = connection.channel());
                in.receiveCloseStatus().subscribe((s) -> c.closeStatus = s);
                onOpen(c);
                Mono<Void> rx =
                    in.aggregateFrames(2 * 1024 * 1024)
                        .receiveFrames()
                        .doOnNext(
                            (frame) -> {
                              if (frame instanceof TextWebSocketFrame
                                  || frame instanceof BinaryWebSocketFrame) {
                                onText(c, frame.content().toString(StandardCharsets.UTF_8));
                              }
                            })
                        .then()
                        .doFinally((s) -> c.out.tryEmitComplete());
                Mono<Void> tx =
                    out.sendObject(c.out.asFlux().map(TextWebSocketFrame::new))
                        .then()
                        .then(
                            Mono.defer(
                                () ->
                                    (c.closeStatus == null)
                                        ? out.sendClose(1000, "soak done")
                                        : Mono.<Void>empty()))
                        .onErrorResume((e) -> Mono.empty());
                return Mono.when(rx, tx);
              })
          .doFinally((s) -> onClosed(c, null))
          .subscribe((x) -> {}, (error) -> onClosed(c, error));
    }

    private synchronized void emit(Conn c, String text) {
      c.out.tryEmitNext(text);
    }

    synchronized void onOpen(Conn c) {
      if (c.generation != this.generation) {
        return;
      }
      if (this.kind == Kind.PLAIN) {
        this.state = State.LIVE;
        this.ready.tryEmitValue(true);
        int session = this.session;
        // a plain client has no connected message: messages sent from 1 s after the upgrade on
        // must arrive
        this.soak.timers.schedule(
            () -> {
              synchronized (this) {
                if (this.session == session && this.state == State.LIVE) {
                  setLowerBounds();
                }
              }
            },
            1,
            TimeUnit.SECONDS);
      }
    }

    private void setLowerBounds() {
      for (String t : strictTargets()) {
        this.lowerBound.put(t, this.soak.started(t).get() + 1);
      }
    }

    void onText(Conn c, String text) {
      JsonNode node = null;
      if (this.kind != Kind.PLAIN) {
        try {
          node = JSON.readTree(text);
        } catch (RuntimeException ex) {
          this.soak.violation("bad-frame", this + ": " + text);
          return;
        }
      }
      synchronized (this) {
        if (c.generation != this.generation) {
          return;
        }
        if (this.kind == Kind.PLAIN) {
          data(text, false);
          return;
        }
        String type = node.path("type").asString("");
        switch (type) {
          case "system" -> system(c, node);
          case "ack" -> ack(node);
          case "message" -> {
            if (this.kind == Kind.RELIABLE) {
              long id = node.path("sequenceId").asLong(-1);
              if (id <= this.lastSequenceId) {
                this.soak.resendsSkipped.incrementAndGet();
                return;
              }
              if (id != this.lastSequenceId + 1) {
                this.soak.violation(
                    "sequenceId-gap",
                    this + " got sequenceId " + id + " after " + this.lastSequenceId);
              }
              this.lastSequenceId = id;
            }
            data(node.path("data").asString(""), this.state == State.LIVE && c.sawConnected);
          }
          default -> this.soak.violation("unexpected-frame", this + ": " + text);
        }
      }
    }

    private void system(Conn c, JsonNode node) {
      String event = node.path("event").asString("");
      if (event.equals("connected")) {
        c.sawConnected = true;
        String id = node.path("connectionId").asString(null);
        if (this.state == State.RECOVERING) {
          if (!id.equals(this.connectionId)) {
            this.soak.violation("recovery-new-id", this + " recovered as connection " + id);
          }
          this.soak.recoveries.incrementAndGet();
        } else {
          this.connectionId = id;
          this.reconnectionToken = node.path("reconnectionToken").asString(null);
          if (this.kind == Kind.RELIABLE && this.reconnectionToken == null) {
            this.soak.violation("no-reconnection-token", this + ": " + node);
          }
          setLowerBounds();
        }
        this.state = State.LIVE;
        this.ready.tryEmitValue(true);
      } else if (event.equals("disconnected")) {
        if (!this.soak.stopping) {
          this.soak.violation("disconnected-message", this + ": " + node);
        }
      }
    }

    private void ack(JsonNode node) {
      long ackId = node.path("ackId").asLong(-1);
      String what = this.pendingAcks.remove(ackId);
      if (what == null) {
        this.soak.violation("unknown-ack", this + ": " + node);
        return;
      }
      if (node.path("success").asBoolean(false)) {
        this.soak.joinsLeavesAcked.incrementAndGet();
        if (what.startsWith("join ")) {
          this.churn.add(what.substring(5));
        } else {
          this.churn.remove(what.substring(6));
        }
      } else {
        this.soak.violation("ack-failed", this + " " + what + ": " + node);
      }
    }

    private void data(String payload, boolean afterConnected) {
      int bar = payload.indexOf('|');
      if (bar < 0) {
        this.soak.violation("bad-payload", this + ": " + payload);
        return;
      }
      String target = payload.substring(0, bar);
      long seq = Long.parseLong(payload.substring(bar + 1));
      if (this.soak.injectLoss && this.index == 2 && target.equals("a") && seq == 20) {
        return; // --inject-loss: checks the checker (one lost message must be reported as a gap)
      }
      boolean strict = target.equals("a") || target.equals(this.group) || target.equals(this.user);
      if (!strict && !target.startsWith("c")) {
        this.soak.violation("misdelivered", this + " got " + payload);
        return;
      }
      long last = this.lastSeen.getOrDefault(target, 0L);
      if (seq == last) {
        this.soak.violation("duplicate", this + " got " + payload + " twice");
        return;
      }
      if (seq < last) {
        this.soak.violation(
            "out-of-order", this + " got " + payload + " after " + target + "|" + last);
        return;
      }
      if (strict) {
        Long bound = this.lowerBound.get(target);
        long requiredFrom =
            (bound == null) ? ((last > 0) ? last + 1 : seq) : Math.max(last + 1, bound);
        if (seq > requiredFrom) {
          this.soak.violation(
              "gap",
              this
                  + " got "
                  + payload
                  + " but not "
                  + target
                  + "|"
                  + requiredFrom
                  + ((seq - 1 > requiredFrom) ? ".." + (seq - 1) : "")
                  + " (last "
                  + last
                  + ")");
        }
        long[] window = this.droppedWindow.get(target);
        if (window != null && seq > window[0] && seq <= window[1]) {
          this.soak.sentWhileDroppedDelivered.incrementAndGet();
        }
      }
      this.lastSeen.put(target, seq);
      this.soak.delivered.incrementAndGet();
      if (this.kind == Kind.RELIABLE) {
        this.soak.deliveredReliable.incrementAndGet();
      }
    }

    void ackTick() {
      synchronized (this) {
        if (this.kind != Kind.RELIABLE
            || this.state != State.LIVE
            || this.lastSequenceId <= this.ackedSequenceId) {
          return;
        }
        this.ackedSequenceId = this.lastSequenceId;
        emit(this.conn, "{\"type\":\"sequenceAck\",\"sequenceId\":" + this.lastSequenceId + "}");
      }
    }

    synchronized void joinOrLeave(String churnGroup) {
      if (this.kind == Kind.PLAIN || this.state != State.LIVE || this.pendingAcks.size() > 4) {
        return;
      }
      long ackId = this.nextAckId++;
      boolean join = !this.churn.contains(churnGroup);
      this.pendingAcks.put(ackId, (join ? "join " : "leave ") + churnGroup);
      this.soak.joinsLeavesSent.incrementAndGet();
      emit(
          this.conn,
          "{\"type\":\""
              + (join ? "joinGroup" : "leaveGroup")
              + "\",\"group\":\""
              + churnGroup
              + "\",\"ackId\":"
              + ackId
              + "}");
    }

    void pause() {
      Channel channel;
      synchronized (this) {
        if (!this.soak.chaos || this.state != State.LIVE || this.conn.channel == null) {
          if (this.soak.chaos) {
            this.soak.timers.schedule(this::pause, 5, TimeUnit.SECONDS);
          }
          return;
        }
        channel = this.conn.channel;
        this.paused = true;
      }
      this.soak.pauses.incrementAndGet();
      channel.eventLoop().execute(() -> channel.config().setAutoRead(false));
      long seconds = 3 + ThreadLocalRandom.current().nextInt(8);
      this.soak.timers.schedule(
          () -> {
            channel
                .eventLoop()
                .execute(
                    () -> {
                      channel.config().setAutoRead(true);
                      channel.read();
                    });
            this.paused = false;
            if (this.soak.chaos) {
              this.soak.timers.schedule(
                  this::pause, 5 + ThreadLocalRandom.current().nextInt(15), TimeUnit.SECONDS);
            }
          },
          seconds,
          TimeUnit.SECONDS);
    }

    /** Cuts the TCP connection without a close frame. */
    void drop() {
      Channel channel;
      synchronized (this) {
        if (this.state != State.LIVE
            || this.paused
            || this.conn.channel == null
            || !this.pendingAcks.isEmpty()) {
          return;
        }
        channel = this.conn.channel;
        this.generation++;
        this.state = State.DROPPED;
        if (this.kind == Kind.RELIABLE) {
          this.soak.reliableDrops.incrementAndGet();
          this.droppedWindow.clear();
          for (String t : strictTargets()) {
            this.droppedWindow.put(t, new long[] {this.soak.started(t).get(), Long.MAX_VALUE});
          }
        } else {
          this.soak.otherDrops.incrementAndGet();
        }
      }
      channel.close();
      ThreadLocalRandom random = ThreadLocalRandom.current();
      if (this.kind == Kind.RELIABLE) {
        this.soak.timers.schedule(this::recover, 300 + random.nextInt(4700), TimeUnit.MILLISECONDS);
      } else {
        this.soak.timers.schedule(
            () -> {
              this.soak.reconnects.incrementAndGet();
              connectNew();
            },
            300 + random.nextInt(2700),
            TimeUnit.MILLISECONDS);
      }
    }

    synchronized void recover() {
      this.generation++;
      this.state = State.RECOVERING;
      for (String t : strictTargets()) {
        long[] window = this.droppedWindow.get(t);
        if (window != null) {
          window[1] = this.soak.completed(t).get();
        }
      }
      open(
          URI.create(
              this.soak.clientUrl().replace("http", "ws")
                  + "?awps_connection_id="
                  + this.connectionId
                  + "&awps_reconnection_token="
                  + java.net.URLEncoder.encode(this.reconnectionToken, StandardCharsets.UTF_8)),
          RELIABLE_PROTOCOL);
    }

    void onClosed(Conn c, Throwable error) {
      synchronized (this) {
        if (c.generation != this.generation || this.state == State.STOPPED) {
          return; // dropped or closed by the soak
        }
        String how = (error != null) ? error.toString() : "close status " + c.closeStatus;
        if (this.state == State.RECOVERING) {
          this.soak.violation("recovery-failed", this + ": " + how);
        } else {
          this.soak.violation("closed-unexpectedly", this + " in state " + this.state + ": " + how);
        }
        this.state = State.DROPPED;
        this.generation++;
      }
      if (!this.soak.stopping) {
        this.soak.timers.schedule(this::connectNew, 1, TimeUnit.SECONDS);
      }
    }

    /** True when every strict target has arrived up to the last completed send. */
    synchronized boolean drained() {
      if (this.state != State.LIVE) {
        return true;
      }
      for (String t : strictTargets()) {
        long required = this.soak.completed(t).get();
        Long bound = this.lowerBound.get(t);
        if (bound != null && required >= bound && this.lastSeen.getOrDefault(t, 0L) < required) {
          return false;
        }
      }
      return true;
    }

    synchronized void finalCheck() {
      if (this.state != State.LIVE) {
        return;
      }
      for (String t : strictTargets()) {
        long required = this.soak.completed(t).get();
        Long bound = this.lowerBound.get(t);
        long last = this.lastSeen.getOrDefault(t, 0L);
        if (bound != null && required >= bound && last < required) {
          this.soak.violation(
              "missing-at-end",
              this + " never got " + t + "|" + Math.max(last + 1, bound) + ".." + required);
        }
      }
    }

    void close() {
      Conn c;
      synchronized (this) {
        this.state = State.STOPPED;
        c = this.conn;
      }
      if (c != null) {
        emitComplete(c);
      }
    }

    private synchronized void emitComplete(Conn c) {
      c.out.tryEmitComplete();
    }
  }
}
