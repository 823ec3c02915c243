#!/usr/bin/env bash
# Re-evaluation time of a time-based audience rule ("bought, but not in the last 30 days") over
# P seeded synthetic profiles (default 1,000,000), in a fixed heap (default 4g): loading everyone,
# the first evaluation on save, refreshes at the same instant and one day later each.
# The program is fusion.server.audiences.AudienceRefreshBench (server test sources, a main, not a
# test; its javadoc says how the profiles are made). Writes bench/results/audience-refresh-<date>.txt
# with the machine, date, commit, load average and the process's peak memory.
# Usage: bench/run-audience-refresh.sh [profiles] [days] [seed] [heap]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
people="${1:-1000000}" days="${2:-3}" seed="${3:-16}" heap="${4:-4g}"
mvn -q -B -o -Dstyle.color=never -pl server -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="server/target/test-classes:server/target/classes:$(cat server/target/bench-classpath.txt)"
mkdir -p bench/results
out="bench/results/audience-refresh-$(date -u +%Y-%m-%d).txt"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- core store server/src 2>/dev/null || commit="$commit (with uncommitted changes)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
figures="$(mktemp)"
/usr/bin/time -v java "-Xmx$heap" -cp "$cp" fusion.server.audiences.AudienceRefreshBench "$people" "$days" "$seed" \
  > "$figures" 2> >(tee "$figures.err" >&2)
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "# Audience re-evaluation of a time-based rule over $people profiles, -Xmx$heap (issue 16)"
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:  $commit"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "load:    $load_before before, $load_after after (1, 5, 15 min averages; the machine is shared)"
  echo "java:    $(java -version 2>&1 | head -1)"
  echo "run:     bench/run-audience-refresh.sh $people $days $seed $heap"
  echo
  cat "$figures"
  grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$figures.err" | sed 's/^\s*/process: /' || true
} | tee "$out"
rm -f "$figures" "$figures.err"
echo "wrote $out"
