package io.github.webpubsub.benchmarks;

/**
 * The access key both benchmark JVMs share: {@code WEBPUBSUB_BENCH_ACCESS_KEY} or a local default.
 */
final class BenchmarkAccessKey {

  /** Microsoft's emulator default: 44 UTF-8 bytes, above HS256's 256-bit minimum. */
  private static final String LOCAL_DEFAULT = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

  private BenchmarkAccessKey() {}

  static String get() {
    String key = System.getenv("WEBPUBSUB_BENCH_ACCESS_KEY");
    return (key != null && !key.isBlank()) ? key : LOCAL_DEFAULT;
  }
}
