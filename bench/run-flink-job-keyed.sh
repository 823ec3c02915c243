#!/usr/bin/env bash
# Before and after the engine was keyed by profile, in one run: JobThroughputBench of a base commit
# (default origin/main, built in a git worktree under flink/target) and of the working tree, one
# after the other on the same machine. Usage: bench/run-flink-job-keyed.sh [EVENTS] [LAG_SECONDS] [BASE]
# Writes bench/results/flink-job-keyed-<date>.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
events="${1:-20000}"; lag="${2:-5}"; base="${3:-origin/main}"
out="$root/bench/results/flink-job-keyed-$(date -u +%Y-%m-%d).txt"
before="$root/flink/target/bench-before"
rm -rf "$before"; git worktree prune
git worktree add -q --detach "$before" "$base"
trap 'git worktree remove --force "$before" || true' EXIT
run() { # dir, result file
  (cd "$1" && mvn -q -B -ntp -o -pl flink -am test -Dtest=JobThroughputBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dspotless.check.skip=true -Dbench.args="-Xmx2g -Dbench.events=$events -Dbench.lagSeconds=$lag -Dbench.out=$2")
}
run "$before" "$root/flink/target/bench-before.txt"
run "$root" "$root/flink/target/bench-after.txt"
{
  echo "# The Flink job before and after the engine was keyed by profile (bench/run-flink-job-keyed.sh $events $lag $base)"
  echo "machine: $(nproc) cores; $(uptime)"
  echo
  echo "## before: $base ($(git rev-parse --short "$base")): identities and the engine in one ordered stage"
  cat "$root/flink/target/bench-before.txt"
  echo
  echo "## after: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + working tree'): the engine keyed by profile at the job's parallelism"
  cat "$root/flink/target/bench-after.txt"
} > "$out"
cat "$out"
