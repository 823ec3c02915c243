#!/usr/bin/env bash
# The request side of ingest alone (RequestSideBench: SegmentParser.batch on the load driver's
# batches of 500 calls, then LogCodec.encode of each call, one thread, no HTTP, no store): the
# thread's CPU per event after a warm-up, for BASE's server (default origin/main, built in a
# temporary worktree) and this tree's, JVMs alternating, PAIRS times. A loaded machine moves the
# HTTP bench's per-thread figures with how warm each JVM got; this measures the same work warm.
#   run-request-side.sh [WARMUP_BATCHES MEASURED_BATCHES PAIRS]; appends to FUSION_BENCH_OUT if set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
base="${BASE:-origin/main}"; warmup="${1:-600}"; measured="${2:-600}"; pairs="${3:-3}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/base" "$base"
(cd "$work/base" && mvn -q -B -o -Dstyle.color=never -DskipTests -pl server -am package)
mvn -q -B -o -Dstyle.color=never -DskipTests -pl server,bench -am package
mkdir -p "$work/classes"
javac -nowarn -cp server/target/fusion.jar:bench/target/classes -d "$work/classes" bench/src/main/java/fusion/bench/RequestSideBench.java
{
  echo "# request side alone: parse + log record per event, one thread, $base ($(git rev-parse --short "$base")) against $(git rev-parse --short HEAD)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  for _ in $(seq 1 "$pairs"); do
    for which in before after; do
      jar=server/target/fusion.jar; [ "$which" = before ] && jar="$work/base/server/target/fusion.jar"
      java -Xmx1g -cp "$jar:$work/classes:bench/target/classes" fusion.bench.RequestSideBench "$which" "$warmup" "$measured" 2>&1 | grep -v SLF4J
    done
  done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | if [ -n "${FUSION_BENCH_OUT:-}" ]; then tee -a "$FUSION_BENCH_OUT"; else cat; fi
