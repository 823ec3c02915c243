#!/usr/bin/env bash
# What each SQLite index and setting costs per event (issue 18): fusion.bench.SqliteCostBench,
# variants alternating per round. Usage: run-sqlite-cost.sh [PREFILL EVENTS ROUNDS VARIANT...]
# (default: 150000 20000 2 and the variants below). Prints to stdout; the machine, load and commit first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ -n "${FUSION_BENCH_NO_BUILD:-}" ] || mvn -q -B -o -Dstyle.color=never -DskipTests -pl bench -am package
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(150000 20000 2 base page1024 page2048 page8192 group2000 ledgerWR -msgid -profile -pair -brand ckpt1000 cache2m)
echo "# SqliteCostBench ${args[*]}"
echo "# $(uname -n) $(nproc) cores, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD), load:$(uptime | sed 's/.*load average://')"
java -cp bench/target/benchmarks.jar fusion.bench.SqliteCostBench "${args[@]}"
echo "# load after:$(uptime | sed 's/.*load average://')"
