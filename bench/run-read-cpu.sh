#!/usr/bin/env bash
# The CPU of one profile read (issue 18), two builds compared ALTERNATING in one run, on SQLite and
# on PostgreSQL (a throw-away cluster on loopback). One store of each is filled once as LoadDriver
# fills the server's (2,000 people, four brands, EVENTS events; ReadCpuBench fill), then per round
# and per build:
#   * in process (ReadCpuBench read): 3,000 warm reads of GET /api/profiles/u<N>/relationships as
#     the route does them less HTTP and the audit entry: the reading thread's CPU per read, p50/p99,
#     and the split profile / relationships with 10 ledger entries each / JSON;
#   * the server (each build's fusion.jar on a copy of the filled store): LoadDriver at 100 reads/s
#     beside a trickle of ingest (200 events/s), warm-up then SECONDS measured: read p50/p99 and
#     the request threads' CPU per read (they also parse the trickle: about 2 events per read).
# Both builds' answers are compared first: every profile's JSON at a fixed instant, byte for byte.
#   BASE=<commit> bench/run-read-cpu.sh [ROUNDS EVENTS SECONDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-2}"; events="${2:-1000000}"; seconds="${3:-20}"
base="${BASE:?BASE=<commit> names the build to compare with}"
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin
. bench/lib/pg-cluster.sh
build() { (cd "$1" && mvn -q -B -o -Dstyle.color=never -DskipTests -Dspotless.check.skip=true -pl server,bench -am package); }
base_worktree "$base"
cp bench/src/main/java/fusion/bench/ReadCpuBench.java "$work/base/bench/src/main/java/fusion/bench/"
build "$work/base"; build "$root"
declare -A bench=([before]="$work/base/bench/target/benchmarks.jar" [after]="bench/target/benchmarks.jar")
declare -A server=([before]="$work/base/server/target/fusion.jar" [after]="server/target/fusion.jar")
pg_start
pg="$(pgurl fusion)"
declare -A store=([sqlite]="$work/sqlite" [postgresql]="$pg")
echo "# The CPU of one profile read: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uptime)"
echo "# before $(git rev-parse --short "$base") ($base), after $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo ' + uncommitted changes')"
echo "# $("$pgbin/postgres" --version), throw-away cluster on loopback, default settings"
for s in sqlite postgresql; do
  java -Xmx2g -cp "${bench[after]}" fusion.bench.ReadCpuBench fill "${store[$s]}" "$events" 2>/dev/null | grep filled | sed 's/^/# /'
  for b in before after; do
    java -Xmx1g -cp "${bench[$b]}" fusion.bench.ReadCpuBench dump "${store[$s]}" 2>/dev/null | grep '^\[' > "$work/dump-$b"
  done
  if cmp -s "$work/dump-before" "$work/dump-after"; then
    echo "# $s: every profile's JSON at 2027-01-01 identical between the builds ($(wc -l < "$work/dump-after") profiles, $(wc -c < "$work/dump-after") bytes)"
  else
    echo "# $s: the builds' JSON DIFFER"; exit 1
  fi
done
served() { # build store: the server's reads over HTTP, beside a trickle of ingest
  local b=$1 s=$2 port pid d args
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  d="$work/served"; rm -rf "$d"
  if [ "$s" = sqlite ]; then cp -r "${store[sqlite]}" "$d"; args=(--data "$d"); else mkdir -p "$d"; args=(--store "$pg" --data "$d"); fi
  java -Xmx1g -jar "${server[$b]}" serve --port "$port" "${args[@]}" > "$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.2; done
  drive() { java -cp "${bench[after]}" fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$1" 1 100 200 100 "$pid" "$2" "$2-$b-$(date +%s%N)"; }
  drive 10 warmup > /dev/null
  python3 bench/lib/thread-cpu.py snap "$pid" > "$work/a"
  line=$(drive "$seconds" measured)
  python3 bench/lib/thread-cpu.py snap "$pid" > "$work/b"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  reads=$(echo "$line" | sed -n 's/.*profile reads: \([0-9]*\),.*/\1/p')
  python3 - "$work/a" "$work/b" "$reads" "$(echo "$line" | grep -o 'profile reads: [^|]*')" <<'PY'
import json, os, re, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
reads, hz = float(sys.argv[3] or 0), os.sysconf("SC_CLK_TCK")
def group(n):
    if n.startswith("fusion-audit"): return "audit writer"
    if re.match(r"^(qtp|JettyServerThread|Jetty|Javalin|VirtualThread|ForkJoinPool)", n): return "request threads"
    if n.startswith("fusion-writ"): return "ingest writer"
    return None
sums = {}
for tid, (name, t) in b.items():
    g = group(name)
    if g: sums[g] = sums.get(g, 0) + t - a.get(tid, [name, 0])[1]
print("    server: " + sys.argv[4].strip() + "; CPU per read (ms): " + ", ".join(
    f"{g} {v * 1000 / hz / reads:.2f}" for g, v in sorted(sums.items())))
PY
}
for round in $(seq 1 "$rounds"); do
  for s in sqlite postgresql; do
    for b in before after; do
      echo "round $round $s $b:"
      echo "    in process: $(java -Xmx1g -cp "${bench[$b]}" fusion.bench.ReadCpuBench read "${store[$s]}" 3000 3000 2>/dev/null | grep 'reads:')"
      served "$b" "$s"
    done
  done
done
echo "# end: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uptime)"
