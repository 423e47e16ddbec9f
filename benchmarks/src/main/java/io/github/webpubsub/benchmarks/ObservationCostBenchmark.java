package io.github.webpubsub.benchmarks;

import io.github.webpubsub.core.observation.DefaultWebPubSubObservationConvention;
import io.github.webpubsub.core.observation.WebPubSubMeterObservationHandler;
import io.github.webpubsub.core.observation.WebPubSubObservationContext;
import io.github.webpubsub.core.observation.WebPubSubObservationDocumentation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What one {@code webpubsub.client.requests} observation costs on one thread, apart from any
 * network: a {@code sendToGroup} context started, answered 202 and stopped, as the template does,
 * in the registry of a Boot application with actuator (the benchmark's "+ metrics" set-up) and in
 * plain registries with one meter handler or the other. Bytes allocated and CPU nanoseconds per
 * observation, medians over rounds. A cost in isolation: sends interleaved with network work on two
 * event loops cost more CPU per observation (see the README).
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *   io.github.webpubsub.benchmarks.ObservationCostBenchmark [observations-per-round] [rounds]
 * </pre>
 */
public final class ObservationCostBenchmark {

  private static final URI ENDPOINT = URI.create("http://127.0.0.1:18090");

  /** Made once: the groups' names are not part of the cost. */
  private static final String[] GROUPS = new String[64];

  static {
    for (int i = 0; i < GROUPS.length; i++) {
      GROUPS[i] = "group-" + i;
    }
  }

  private ObservationCostBenchmark() {}

  /**
   * Runs every variant and prints a Markdown table.
   *
   * @param args observations per round (default 200,000) and rounds (default 5)
   */
  public static void main(String[] args) {
    int perRound = (args.length > 0) ? Integer.parseInt(args[0]) : 200_000;
    int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 5;
    ConfigurableApplicationContext application =
        TemplateContender.startApplication(true, ENDPOINT, "bench", BenchmarkAccessKey.get());
    try {
      Map<String, Supplier<ObservationRegistry>> variants = new LinkedHashMap<>();
      variants.put("no-op registry (the context alone)", () -> ObservationRegistry.NOOP);
      variants.put(
          "registry with a handler that does nothing (Micrometer's own cost)",
          () -> registry((meters) -> new NothingHandler()));
      variants.put(
          "WebPubSubMeterObservationHandler",
          () -> registry(WebPubSubMeterObservationHandler::new));
      variants.put(
          "Micrometer's DefaultMeterObservationHandler (before this handler)",
          () -> registry(DefaultMeterObservationHandler::new));
      ObservationRegistry boot = application.getBean(ObservationRegistry.class);
      variants.put("Boot application with actuator (\"+ metrics\")", () -> boot);

      System.out.println("| observation registry | bytes/observation | CPU ns/observation |");
      System.out.println("|---|---:|---:|");
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      for (Map.Entry<String, Supplier<ObservationRegistry>> variant : variants.entrySet()) {
        ObservationRegistry registry = variant.getValue().get();
        observe(registry, perRound); // warm-up
        List<Long> bytes = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          long cpu = threads.getCurrentThreadCpuTime();
          long allocated = threads.getCurrentThreadAllocatedBytes();
          observe(registry, perRound);
          bytes.add((threads.getCurrentThreadAllocatedBytes() - allocated) / perRound);
          nanos.add((threads.getCurrentThreadCpuTime() - cpu) / perRound);
        }
        System.out.printf("| %s | %,d | %,d |%n", variant.getKey(), median(bytes), median(nanos));
      }
    } finally {
      application.close();
    }
  }

  private static ObservationRegistry registry(
      java.util.function.Function<MeterRegistry, ObservationHandler<?>> handler) {
    ObservationRegistry registry = ObservationRegistry.create();
    MeterRegistry meters = new SimpleMeterRegistry();
    registry.observationConfig().observationHandler(handler.apply(meters));
    return registry;
  }

  private static void observe(ObservationRegistry registry, int count) {
    for (int i = 0; i < count; i++) {
      WebPubSubObservationContext context =
          new WebPubSubObservationContext(
              "sendToGroup", "bench", GROUPS[i & (GROUPS.length - 1)], null, null, 100, ENDPOINT);
      Observation observation =
          WebPubSubObservationDocumentation.CLIENT_REQUESTS.observation(
              null, DefaultWebPubSubObservationConvention.INSTANCE, () -> context, registry);
      observation.start();
      context.setStatusCode(202);
      observation.stop();
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  /** Supports every context, does nothing. */
  private static final class NothingHandler implements ObservationHandler<Observation.Context> {

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }
}
