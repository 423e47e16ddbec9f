#!/usr/bin/env bash
# Builds the benchmarks module and runs the publishing comparison:
# a JWT-verifying Reactor Netty server in one JVM, the benchmark (template on both transports, Azure SDK,
# plain WebClient, raw floor) in another.
#
#   benchmarks/run.sh                          # full run (about 5 minutes)
#   benchmarks/run.sh -Dbench.rounds=3 -Dbench.concurrency=16
#   BENCH_JFR=1 benchmarks/run.sh -Dbench.contenders=template   # also record benchmarks/target/bench.jfr
#
# Environment: MVN_FLAGS (e.g. -o), BENCH_PORT (default 18090), BENCH_HEAP (default 512m),
# WEBPUBSUB_BENCH_ACCESS_KEY (shared by both JVMs; a local default otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

port="${BENCH_PORT:-18090}"
heap="${BENCH_HEAP:-512m}"

mvn -B -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

java -Xms256m -Xmx256m -cp "$cp" io.github.webpubsub.benchmarks.JwtVerifyingServer "$port" \
  > benchmarks/target/server.log 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  if grep -q "listening" benchmarks/target/server.log 2>/dev/null; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then cat benchmarks/target/server.log; exit 1; fi
  sleep 0.2
done

jfr=()
if [[ "${BENCH_JFR:-}" == "1" ]]; then
  # The profile settings (CPU sampled every 10 ms), with allocation sampled 50x more often.
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  sed -e 's#control="allocation-profiling">300/s<#control="allocation-profiling">15000/s<#' \
      "$java_home/lib/jfr/profile.jfc" > benchmarks/target/bench.jfc
  # Small fixed TLABs: allocation samples are taken at TLAB refills, so they come far more often.
  jfr=("-XX:StartFlightRecording=filename=benchmarks/target/bench.jfr,settings=benchmarks/target/bench.jfc"
       "-XX:FlightRecorderOptions:stackdepth=256" "-XX:-ResizeTLAB" "-XX:TLABSize=4k")
fi

echo "uptime before: $(uptime)"
java -Xms"$heap" -Xmx"$heap" "${jfr[@]}" -cp "$cp" \
  -Dbench.endpoint="http://127.0.0.1:$port" \
  -Dbench.output=benchmarks/target/benchmark-results.md \
  "$@" io.github.webpubsub.benchmarks.PublishBenchmark
echo "uptime after: $(uptime)"
echo "Results: the bench.output file (default benchmarks/target/benchmark-results.md)"
