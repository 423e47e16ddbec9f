#!/usr/bin/env bash
# Soak of the standalone emulator: scripts/soak.sh [minutes=10] [clients=1000]
# Starts target/webpubsub-emulator.jar in its own JVM (-Xmx512m, loopback, a random key), runs
# io.github.webpubsub.emulator.soak.Soak (clients in a second JVM) against it, stops the emulator
# with SIGTERM and exits with the program's code (non-zero on any violation).
# SOAK_BUILD=1 rebuilds the jar first (it is built when missing anyway).
set -euo pipefail
MINUTES="${1:-10}"
CLIENTS="${2:-1000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODULE="$ROOT/webpubsub-emulator"
JAR="$MODULE/target/webpubsub-emulator.jar"
cd "$ROOT"
if [[ ! -f "$JAR" || "${SOAK_BUILD:-0}" == 1 ]]; then
  mvn -B -o -q -pl webpubsub-emulator package -DskipTests -Dspotless.check.skip=true
fi
# The program is compiled on its own against the fat jar (Reactor Netty, Jackson), so the soak
# does not depend on the rest of the test sources compiling.
CLASSES="$MODULE/target/soak-classes"
rm -rf "$CLASSES" && mkdir -p "$CLASSES"
javac -d "$CLASSES" -cp "$JAR" "$MODULE"/src/test/java/io/github/webpubsub/emulator/soak/*.java

ulimit -n "$(( CLIENTS * 2 + 1024 > 4096 ? CLIENTS * 2 + 1024 : 4096 ))" 2>/dev/null || true
LOG="$MODULE/target/soak-emulator.log"
KEY="$(head -c 32 /dev/urandom | base64)"
OUT="$(mktemp)"
java -Xmx512m -jar "$JAR" --port=0 --access-key="$KEY" >"$OUT" 2>"$LOG" &
EMULATOR=$!
trap 'kill -TERM "$EMULATOR" 2>/dev/null || true; rm -f "$OUT"' EXIT
for _ in $(seq 1 100); do
  [[ -s "$OUT" ]] && break
  sleep 0.1
done
LINE="$(head -n 1 "$OUT")"
ENDPOINT="$(sed -E 's/.*Endpoint=([^;]*);.*/\1/' <<<"$LINE")"
[[ -n "$ENDPOINT" && "$LINE" == *Endpoint=* ]] || { echo "emulator did not start: $LINE" >&2; cat "$LOG" >&2; exit 2; }
echo "emulator pid $EMULATOR: $LINE"
echo "uptime at start: $(uptime)"
set +e
java -Xmx1g -cp "$CLASSES:$JAR" io.github.webpubsub.emulator.soak.Soak \
  --endpoint="$ENDPOINT" --key="$KEY" --pid="$EMULATOR" --minutes="$MINUTES" --clients="$CLIENTS" ${SOAK_ARGS:-}
CODE=$?
set -e
echo "uptime at end: $(uptime)"
kill -TERM "$EMULATOR" 2>/dev/null || true
wait "$EMULATOR"; EXIT=$?
echo "emulator exit code after SIGTERM: $EXIT; emulator stderr ($LOG): $(wc -l <"$LOG") lines"
grep -m 20 -iE 'exception|error|warn' "$LOG" || true
trap - EXIT
rm -f "$OUT"
exit "$CODE"
