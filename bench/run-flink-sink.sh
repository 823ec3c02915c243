#!/usr/bin/env bash
# The sink's CPU per event before and after a change, in one run: JobThroughputBench (heap state,
# parallelism 1 and 2) of a base commit (default origin/main, built in a git worktree under
# flink/target) and of the working tree, one after the other, each under JFR; then the committer
# thread's hottest frames from each recording (needs python3).
# Usage: bench/run-flink-sink.sh [EVENTS] [BASE]. Writes bench/results/flink-sink-<date>.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
events="${1:-10000}"; base="${2:-origin/main}"
out="$root/bench/results/flink-sink-$(date -u +%Y-%m-%d).txt"
before="$root/flink/target/sink-before"
rm -rf "$before"; git worktree prune
git worktree add -q --detach "$before" "$base"
trap 'git worktree remove --force "$before" || true' EXIT
run() { # dir, name
  (cd "$1" && mvn -q -B -ntp -o -pl flink -am test -Dtest=JobThroughputBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dspotless.check.skip=true -Djacoco.skip=true -Dbench.args="-Xmx2g -Dbench.events=$events -Dbench.lagSeconds=1 \
    -Dbench.states=hashmap -Dbench.out=$root/flink/target/sink-$2.txt \
    -XX:StartFlightRecording=filename=$root/flink/target/sink-$2.jfr,settings=profile")
}
frames() { # name: the committer thread's samples, by top frame and by the fusion/pgjdbc frames they pass through
  jfr print --json --events jdk.ExecutionSample --stack-depth 96 "$root/flink/target/sink-$1.jfr" | python3 -c '
import json, sys, collections
top, through, n = collections.Counter(), collections.Counter(), 0
for e in json.load(sys.stdin)["recording"]["events"]:
    v = e["values"]
    if "serving tables: Committer" not in (v["sampledThread"]["javaName"] or ""): continue
    n += 1
    names = [f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"] for f in v["stackTrace"]["frames"]]
    top[names[0]] += 1
    for x in dict.fromkeys(names):
        if x.startswith(("ServingTablesSink", "Ops.", "Writer.", "IdentityCache.", "PgPreparedStatement.", "ObjectMapper.",
                         "CommittableCollectorSerializer.", "SubtaskCheckpointCoordinatorImpl.checkpointState")):
            through[x] += 1
print(f"  committer thread: {n} samples (whole recording, the warm-up run included)")
print("  top frames (self):")
for k, c in top.most_common(8): print(f"    {100 * c / n:5.1f}%  {k}")
print("  through (inclusive):")
for k, c in through.most_common(16): print(f"    {100 * c / n:5.1f}%  {k}")
'
}
run "$before" before
run "$root" after
{
  echo "# The sink's CPU per event before and after (bench/run-flink-sink.sh $events $base)"
  echo "machine: $(nproc) cores; $(uptime)"
  echo
  echo "## before: $base ($(git rev-parse --short "$base"))"
  cat "$root/flink/target/sink-before.txt"
  frames before
  echo
  echo "## after: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + working tree')"
  cat "$root/flink/target/sink-after.txt"
  frames after
} > "$out"
cat "$out"
