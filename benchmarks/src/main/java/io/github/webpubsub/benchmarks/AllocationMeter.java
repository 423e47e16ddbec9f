package io.github.webpubsub.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated by every thread of this JVM between two points, from HotSpot's per-thread
 * allocation counters ({@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long[])}).
 * Threads that end between the two points are not counted (the benchmark's threads are long-lived
 * event loops and schedulers).
 */
final class AllocationMeter {

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  AllocationMeter() {
    if (!this.threads.isThreadAllocatedMemorySupported()) {
      throw new IllegalStateException("This JVM cannot count allocated bytes per thread");
    }
    this.threads.setThreadAllocatedMemoryEnabled(true);
  }

  /** A snapshot of every live thread's allocation counter. */
  Map<Long, Long> snapshot() {
    long[] ids = this.threads.getAllThreadIds();
    long[] bytes = this.threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> snapshot = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        snapshot.put(ids[i], bytes[i]);
      }
    }
    return snapshot;
  }

  /** Bytes allocated since {@code before} by all threads alive now. */
  long allocatedSince(Map<Long, Long> before) {
    long total = 0;
    for (Map.Entry<Long, Long> now : snapshot().entrySet()) {
      total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
    }
    return total;
  }

  /** Bytes allocated so far by the calling thread. */
  long currentThread() {
    return this.threads.getCurrentThreadAllocatedBytes();
  }
}
