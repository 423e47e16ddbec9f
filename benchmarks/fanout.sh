#!/usr/bin/env bash
# Builds the benchmarks module and runs the emulator's broadcast fan-out against a hand-written
# Reactor Netty floor: each server in its own JVM, the WebSocket clients in a third.
#
#   benchmarks/fanout.sh                                        # 1,000 and 10,000 clients, plain and JSON
#   benchmarks/fanout.sh -Dbench.fanout.clients=1000 -Dbench.fanout.rounds=5
#
# Environment: MVN_FLAGS (e.g. -o), BENCH_HEAP (clients' JVM, default 1g). Needs `ulimit -n` above
# the client count plus a few hundred.
set -euo pipefail
cd "$(dirname "$0")/.."

heap="${BENCH_HEAP:-1g}"
mvn -B -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

echo "uptime before: $(uptime)"
java -Xms"$heap" -Xmx"$heap" -cp "$cp" \
  -Dbench.fanout.output=benchmarks/target/fanout-results.md \
  "$@" io.github.webpubsub.benchmarks.FanOutBenchmark
echo "uptime after: $(uptime)"
echo "Results: benchmarks/target/fanout-results.md"
