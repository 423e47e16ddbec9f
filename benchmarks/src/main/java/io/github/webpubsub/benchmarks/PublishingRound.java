package io.github.webpubsub.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Publishes as many messages as fit in a time box while keeping exactly {@code concurrency} sends
 * in flight ({@code flatMap} with that concurrency), timing each send from subscription to
 * completion and metering the JVM's allocation over the round.
 */
final class PublishingRound {

  private static final int MAX_MESSAGES = 1 << 21;

  private final long[] latencies = new long[MAX_MESSAGES];

  private final AllocationMeter allocation;

  /** CPU time of this whole JVM (all threads, JIT and GC included); the server runs elsewhere. */
  private final com.sun.management.OperatingSystemMXBean cpu =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final String group;

  private final String message;

  private final AtomicReference<@Nullable Throwable> firstError = new AtomicReference<>();

  PublishingRound(AllocationMeter allocation, String group, String message) {
    this.allocation = allocation;
    this.group = group;
    this.message = message;
  }

  RoundResult run(Contender contender, int concurrency, Duration duration) {
    long[] latencies = this.latencies;
    AtomicLong errors = new AtomicLong();
    System.gc();
    Map<Long, Long> allocatedBefore = this.allocation.snapshot();
    long cpuBefore = this.cpu.getProcessCpuTime();
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    AtomicLong sent = new AtomicLong();
    Flux.range(0, MAX_MESSAGES)
        .takeWhile(i -> System.nanoTime() < deadline)
        .flatMap(
            i ->
                Mono.defer(
                    () -> {
                      sent.incrementAndGet();
                      long begin = System.nanoTime();
                      return contender
                          .send(this.group, this.message)
                          .doOnSuccess(done -> latencies[i] = System.nanoTime() - begin)
                          .onErrorResume(
                              ex -> {
                                errors.incrementAndGet();
                                this.firstError.compareAndSet(null, ex);
                                latencies[i] = System.nanoTime() - begin;
                                return Mono.empty();
                              });
                    }),
            concurrency)
        .then()
        .block();
    long elapsed = System.nanoTime() - start;
    long allocated = this.allocation.allocatedSince(allocatedBefore);
    long cpuNanos = this.cpu.getProcessCpuTime() - cpuBefore;
    int count = (int) sent.get();
    long[] sorted = Arrays.copyOf(latencies, count);
    Arrays.sort(sorted);
    return new RoundResult(
        count,
        errors.get(),
        count / (elapsed / 1e9),
        percentile(sorted, 0.50) / 1e3,
        percentile(sorted, 0.99) / 1e3,
        (double) allocated / count,
        cpuNanos / 1e3 / count);
  }

  /** The first failure any round saw, or {@code null}. */
  @Nullable Throwable firstError() {
    return this.firstError.get();
  }

  private static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }
}
