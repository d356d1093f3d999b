#!/usr/bin/env bash
# Runs every benchmark at 1 and 2 threads with -prof gc; writes JMH's JSON to benchmarks/target/results/
# (not committed) and the Markdown table to benchmarks/results/results.md (committed; docs/performance.md
# links it). Nothing else is rewritten.
#   benchmarks/run.sh            full run (2 forks, 3 warm-up and 5 measured one-second iterations)
#   benchmarks/run.sh --quick    a few minutes on 2 cores (1 fork, 2 + 3 iterations)
#   benchmarks/run.sh --quick ClosedBreaker    extra arguments go to JMH (e.g. a benchmark regex)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=(-f 2 -wi 3 -w 1s -i 5 -r 1s)
extra=()
for arg in "$@"; do
  case "$arg" in
    --quick) mode=(-f 1 -wi 2 -w 1s -i 3 -r 1s) ;;
    *) extra+=("$arg") ;;
  esac
done

./mvnw -q -B -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip
json=benchmarks/target/results
table=benchmarks/results/results.md
mkdir -p "$json" "$(dirname "$table")"
for threads in 1 2; do
  java -jar benchmarks/target/benchmarks.jar "${mode[@]}" -t "$threads" -prof gc \
    -rf json -rff "$json/threads-$threads.json" "${extra[@]}"
done
java -cp benchmarks/target/benchmarks.jar dev.brownout.benchmarks.report.ResultsTable \
  --command "benchmarks/run.sh $*" "$json/threads-1.json" "$json/threads-2.json" > "$table.tmp"
mv "$table.tmp" "$table"
echo "wrote $table (JSON in $json)"
