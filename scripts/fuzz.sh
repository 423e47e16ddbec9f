#!/usr/bin/env bash
# Fuzzes every *FuzzTests target, coverage-guided, with Jazzer for N minutes each and prints
# executions and findings per target. `mvn verify` only replays the committed seeds.
#
#   scripts/fuzz.sh [minutes per target, default 2] [target filter, a regex on Class#method]
#
# Run `mvn -B -q install -DskipTests` once before (the modules depend on each other). Each target
# runs in Jazzer's own driver (the class path from Maven) rather than through surefire: JUnit's
# JAZZER_FUZZ=1 mode takes its duration from @FuzzTest(maxDuration), with no way to override it.
# Per target, in the module's target/fuzz/: <Class>.<method>.log (the full output), corpus/ (what
# the fuzzer grew; the next run starts from it, until `mvn clean`) and crash-*/timeout-* files of
# a finding: copy one into src/test/resources/<package>/<Class>Inputs/<method>/ and the build
# replays it as a regression test. Two records are not instrumented: Jazzer 0.24's instrumented
# copies fail (WebPubSubRequest: IllegalAccessError calling its nest mate Builder's private
# constructor; GroupMember: NoSuchFieldError in its constructor), which would be false findings.
# Nor is the emulator's generated protobuf code (io.github.webpubsub.emulator.protobuf): instrumenting
# its large classes took longer than the 10 s timeout of the first input on a loaded machine.
set -euo pipefail

minutes="${1:-2}"
filter="${2:-.}"
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')"

targets=(
  "webpubsub-emulator io.github.webpubsub.emulator.internal.ClientFramesFuzzTests#everyFrameIsAnsweredOrClosesTheConnection"
  "webpubsub-emulator io.github.webpubsub.emulator.internal.MqttSessionFuzzTests#everyInputEndsTheSessionCleanly"
  "webpubsub-emulator io.github.webpubsub.emulator.internal.ClientFramesFuzzTests#everyProtobufFrameIsAnsweredOrDeclinesTheConnection"
  "webpubsub-emulator io.github.webpubsub.emulator.internal.FilterFuzzTests#parseEitherRefusesWith400OrEvaluates"
  "webpubsub-emulator io.github.webpubsub.emulator.internal.JwtFuzzTests#verifyEitherRefusesOrReturnsReadableClaims"
  "webpubsub-spring-boot-autoconfigure io.github.webpubsub.autoconfigure.WebPubSubConnectionStringFuzzTests#parseEitherReturnsAnEndpointOrRefusesTheProperty"
  "webpubsub-spring io.github.webpubsub.eventhandler.internal.EventHandlerCoreFuzzTests#everyRequestIsAnsweredWithoutAServerError"
  "webpubsub-spring io.github.webpubsub.core.internal.RepliesFuzzTests#pageEitherReadsOrFailsWithWebPubSubException"
  "webpubsub-spring io.github.webpubsub.core.internal.RepliesFuzzTests#tokenEitherReadsOrFailsWithWebPubSubException"
  "webpubsub-spring io.github.webpubsub.core.internal.RepliesFuzzTests#errorAnswersAlwaysMapToAResponseException"
)

declare -A classpaths=()
summary=()
status=0
for target in "${targets[@]}"; do
  module="${target%% *}"
  test="${target#* }"
  class="${test%#*}"
  method="${test#*#}"
  simple="${class##*.}"
  if ! [[ "$simple#$method" =~ $filter ]]; then
    continue
  fi
  out="$root/$module/target/fuzz"
  mkdir -p "$out"
  if [[ -z "${classpaths[$module]:-}" ]]; then
    echo "Compiling $module and resolving its test class path" >&2
    (cd "$root" && mvn -B -o -q -pl "$module" test-compile dependency:build-classpath \
      -Dspotless.check.skip=true -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt")
    classpaths[$module]="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$out/classpath.txt")"
  fi
  log="$out/$simple.$method.log"
  corpus="$out/corpus/$simple.$method"
  seeds="$root/$module/src/test/resources/$(echo "${class%.*}" | tr . /)/${simple}Inputs/$method"
  mkdir -p "$corpus"
  echo "Fuzzing $simple#$method for $minutes min (log: ${log#"$root"/})" >&2
  set +e
  (cd "$root/$module" && java -cp "${classpaths[$module]}" com.code_intelligence.jazzer.Jazzer \
    --target_class="$class" --target_method="$method" --hooks=true \
    --instrumentation_includes='io.github.webpubsub.**' \
    --instrumentation_excludes='io.github.webpubsub.core.internal.WebPubSubRequest*:io.github.webpubsub.core.GroupMember:io.github.webpubsub.emulator.protobuf.**' \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=0 -artifact_prefix="$out/" \
    "$corpus" "$seeds") >"$log" 2>&1
  rc=$?
  set -e
  # libFuzzer's last status line, e.g. "#630621 DONE cov: 325 ft: 1296 corp: 270/29Kb exec/s: 39413"
  executions="$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)"
  findings="$(grep -acE '^== Java Exception:|^==[0-9]+== ERROR: libFuzzer' "$log" || true)"
  if [[ "$rc" -ne 0 ]]; then
    status=1
    if [[ "$findings" -eq 0 ]]; then
      findings="? (exit $rc, see the log)"
    fi
  fi
  summary+=("$(printf '%-80s %12s  %s' "$simple#$method" "${executions:-?}" "$findings")")
done

printf '%-80s %12s  %s\n' "target" "executions" "findings"
printf '%s\n' "${summary[@]}"
exit "$status"
