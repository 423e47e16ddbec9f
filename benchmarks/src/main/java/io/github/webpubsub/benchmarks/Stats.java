package io.github.webpubsub.benchmarks;

import java.util.Arrays;

/** Small statistics helpers. */
final class Stats {

  private Stats() {}

  /** The median of {@code values} (mean of the middle two for an even count). */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
