package io.github.webpubsub.benchmarks;

/** What one timed round of publishing measured. */
record RoundResult(
    long messages,
    long errors,
    double messagesPerSecond,
    double p50Micros,
    double p99Micros,
    double bytesPerMessage,
    double cpuMicrosPerMessage) {}
