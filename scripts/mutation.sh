#!/usr/bin/env bash
# Mutation testing (PIT) of the library's core and event handler and of the emulator's authentication,
# filter and client protocol: runs the `mutation` profile, then prints score and test strength per package.
#   scripts/mutation.sh                 # both modules
#   scripts/mutation.sh webpubsub-spring  # one module (the other is still built, not mutated)
# Reports: <module>/target/pit-reports/index.html. Surviving mutants judged equivalent are listed, with
# their reason, in <module>/pitest-equivalent-mutants.md.
set -euo pipefail
cd "$(dirname "$0")/.."

only="${1:-}"
args=(-B -Pmutation -pl webpubsub-emulator,webpubsub-spring verify -Dmaven.test.skip.exec=true)
if [ "$only" = "webpubsub-spring" ]; then
  args+=(-Dmutation.emulator.skip=true)
elif [ "$only" = "webpubsub-emulator" ]; then
  args+=(-Dmutation.spring.skip=true)
elif [ -n "$only" ]; then
  echo "usage: $0 [webpubsub-spring|webpubsub-emulator]" >&2
  exit 2
fi

rm -rf webpubsub-spring/target/pit-reports webpubsub-emulator/target/pit-reports
start=$(date +%s)
mvn "${args[@]}"
end=$(date +%s)

summary() {
  # One <mutation> element per line: detected='true|false' status='KILLED|SURVIVED|NO_COVERAGE|...'
  awk '
    /<mutation / {
      match($0, /status=.[A-Z_]+/); status = substr($0, RSTART + 8, RLENGTH - 8)
      match($0, /<mutatedClass>[^<]+/); cls = substr($0, RSTART + 14, RLENGTH - 14)
      sub(/\$.*/, "", cls); pkg = cls; sub(/\.[^.]+$/, "", pkg)
      total[pkg]++
      if (status == "NO_COVERAGE") none[pkg]++
      else if (status != "SURVIVED") killed[pkg]++
    }
    END {
      for (p in total) {
        covered = total[p] - none[p]
        printf "%-45s %4d mutants %4d killed %3d not covered  score %3d %%  strength %3d %%\n", \
          p, total[p], killed[p], none[p], 100 * killed[p] / total[p], \
          (covered > 0) ? 100 * killed[p] / covered : 0
      }
    }' "$1" | sort
}

for module in webpubsub-spring webpubsub-emulator; do
  report="$module/target/pit-reports/mutations.xml"
  if [ -f "$report" ]; then
    echo "== $module"
    summary "$report"
  fi
done
echo "duration: $((end - start)) s"
