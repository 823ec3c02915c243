#!/usr/bin/env bash
# What the server allocates per event, by thread group, for this tree and BASE's server side by side
# (issue 18: GC's share of the CPU follows the allocation rate). Per round and build, alternating: a
# fresh server on SQLite, a warm-up by the load driver, then a JFR recording (settings=profile) over
# a measured phase; the bytes come from jdk.ThreadAllocationStatistics (each thread's exact count,
# taken at the recording's start and end), not from allocation samples.
# Usage: BASE=<commit> bench/run-alloc.sh [ROUNDS SECONDS]; writes FUSION_BENCH_OUT (default
# bench/results/alloc-<date>.txt).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-2}"; seconds="${2:-30}"
: "${BASE:?set BASE to the commit to compare with}"
out="${FUSION_BENCH_OUT:-bench/results/alloc-$(date -u +%Y-%m-%d).txt}"
work="$(mktemp -d)"
cleanup() { git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
mvn -q -B -o -Dstyle.color=never -DskipTests -pl server,bench -am package
cp server/target/fusion.jar "$work/after.jar"
git worktree add -q --detach "$work/base" "$BASE"
(cd "$work/base" && mvn -q -B -o -Dstyle.color=never -DskipTests -pl server -am package)
cp "$work/base/server/target/fusion.jar" "$work/before.jar"
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin
alloc() { # alloc JFR EVENTS: bytes per event in total and per thread group
  jfr print --json --events jdk.ThreadAllocationStatistics "$1" | python3 -c '
import collections, json, sys
events = int(sys.argv[1])
by = collections.defaultdict(list)
for e in json.load(sys.stdin)["recording"]["events"]:
    v = e["values"]
    by[(v.get("thread") or {}).get("javaName", "?")].append((v["startTime"], v["allocated"]))
groups = collections.Counter()
for name, seen in by.items():
    seen.sort()
    grown = seen[-1][1] - (seen[0][1] if len(seen) > 1 else 0)  # a thread seen once started in the recording
    g = "writer" if name.startswith("fusion-writer") else "request threads" if name.startswith("Jetty") else "other"
    groups[g] += grown
print("allocated %s B per event (request threads %s, writer %s, other %s)" % tuple(
    format(round(x / events), ",") for x in (sum(groups.values()), groups["request threads"], groups["writer"], groups["other"])))
' "$2"
}
{
  echo "# What the server allocates per event (JFR jdk.ThreadAllocationStatistics), SQLite, load driver over HTTP"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "before:   $(git rev-parse --short "$BASE") ($BASE)"
  echo "after:    $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo ' + uncommitted changes')"
  echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "load:     4 senders, batches of 500, fresh messageIds, 20 s warm-up, then $seconds s recorded; rounds alternate the builds"
  for round in $(seq 1 "$rounds"); do
    for build in before after; do
      port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
      d="$work/data-$build-$round"; mkdir -p "$d"
      java -Xmx2g -jar "$work/$build.jar" serve --port "$port" --data "$d" > "$work/server.log" 2>&1 &
      pid=$!
      for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
      java -cp bench/target/benchmarks.jar fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin 20 4 500 0 0 "$pid" warm "w-$round-$build-$(date +%s%N)" >/dev/null
      jcmd "$pid" JFR.start name=alloc settings=profile filename="$work/$build-$round.jfr" >/dev/null
      line=$(java -cp bench/target/benchmarks.jar fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$seconds" 4 500 0 0 "$pid" "$build" "m-$round-$build-$(date +%s%N)")
      jcmd "$pid" JFR.stop name=alloc >/dev/null
      kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$d"
      events=$(echo "$line" | sed -n 's/.*(\([0-9,]*\) events,.*/\1/p' | tr -d ',')
      echo "round $round, $build: $(alloc "$work/$build-$round.jfr" "$events") | $events events"
    done
  done
} | tee "$out"
echo "wrote $out"
