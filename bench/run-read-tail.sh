#!/usr/bin/env bash
# The profile read's tail under ingest (issue 18: read p99 < 10 ms at half rate), builds compared
# ALTERNATING in one run. For each round and each build (FUSION_READTAIL_JARS="before.jar after.jar",
# default this tree's server/target/fusion.jar), a fresh server on a fresh SQLite data directory (or
# on PostgreSQL with FUSION_READTAIL_STORE=postgresql://..., reset first), a warm-up of WARMUP s, then
# SECONDS of ingest at RATE events/s (default 6,500: half of SQLite's measured maximum) with 100
# profile reads/s (LoadDriver). Prints the read p50/p99 and the server's CPU per read for the
# audit writer thread ("fusion-audit") and the HTTP request threads. With FUSION_READTAIL_STRACE=1
# the measured phase also runs `strace -f -T -e fsync,fdatasync` on the server and prints, per
# thread group, the count and p50/p99/max of those calls' durations (strace slows the traced
# calls; use it for where, not for the figures). With
# FUSION_READTAIL_SERVER_OPTS=-Dfusion.audit.timing=true the server logs, every 10 s, where its
# audit entries' time to durable went (queue wait, write+commit) and its requests' time before
# the audit call; those of the measured phase are printed. FUSION_READTAIL_AUDIT_SYNC="each interval"
# runs each build once per audit sync mode (--audit-sync MODE, docs/SECURITY.md), alternating within
# each round; a build whose --help does not know --audit-sync runs once, as it is.
# With FUSION_READTAIL_SERVER_OPTS=-Dfusion.read.timing=true the server logs one `read trace:` line
# per /api GET (ReadTrace: Jetty's wait, auth, profile, relationships, JSON, audit, write, the
# thread's CPU), and bench/lib/read-tail.py prints what the phase's slowest 2% of reads were made
# of. FUSION_READTAIL_JFR=1 also records JFR (default settings, thread parks and monitor waits of
# 1 ms or more) over the measured phase and lays its GC pauses, VM operations and the read
# thread's own waits over the slow reads (the recording is kept as /tmp/fusion-readtail-N.jfr).
# Each run also prints the server's CPU per 1000 accepted events over the measured phase (reads
# included) and its safepoints there (-Xlog:safepoint: every GC pause of any collector, and the
# VM's other stops): count, sum, p50, max, and those of 5 ms or more by operation.
# FUSION_READTAIL_VARIANTS="LABEL=OPTIONS;..." runs each build once per set of JVM options, alternating.
# Everything printed also goes to a results file: FUSION_BENCH_OUT (appended to), else a new
# bench/results/read-tail-DATE.txt (DATEb, DATEc... when that exists), its header naming the
# machine, the date, this tree's commit and each build's checksum.
#   bench/run-read-tail.sh [ROUNDS SECONDS RATE]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${FUSION_BENCH_OUT:-}"
if [ -z "$out" ]; then
  base="bench/results/read-tail-$(date -u +%Y-%m-%d)"; out="$base.txt"
  for s in b c d e f g h i j k l m n; do [ -e "$out" ] || break; out="$base$s.txt"; done
  [ ! -e "$out" ] || { echo "run-read-tail: $out exists; set FUSION_BENCH_OUT" >&2; exit 1; }
fi
exec > >(tee -a "$out")
rounds="${1:-2}"; seconds="${2:-20}"; rate="${3:-6500}"; warmup="${FUSION_READTAIL_WARMUP:-15}"
read -r -a jars <<< "${FUSION_READTAIL_JARS:-server/target/fusion.jar}"
bench="bench/target/benchmarks.jar"
store="${FUSION_READTAIL_STORE:-}"
slog="/tmp/fusion-readtail-server-$$.log"   # the server's log, this run's own
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin
echo "# read tail under ingest: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# rate $rate events/s, 100 reads/s, warm-up $warmup s, measured $seconds s, store ${store:-sqlite}"
echo "# JVM: -Xmx2g ${FUSION_READTAIL_SERVER_OPTS:-}, then each variant's options"
echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo) GiB RAM; $(java -version 2>&1 | head -1)"
echo "# tree: commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' 2> /dev/null || echo ' (uncommitted changes)'); results in $out"
for jar in "${jars[@]}"; do
  echo "# build $jar: sha256 $(sha256sum "$jar" | cut -c1-12), built $(date -u -r "$jar" +%Y-%m-%dT%H:%M:%SZ)"
done
read -r -a syncs <<< "${FUSION_READTAIL_AUDIT_SYNC:--}"
# FUSION_READTAIL_VARIANTS="LABEL=JVM OPTIONS;LABEL=JVM OPTIONS..." runs each build once per set of JVM
# options (e.g. "g1=;shenandoah=-XX:+UseShenandoahGC"), alternating within each round, after
# FUSION_READTAIL_SERVER_OPTS
IFS=';' read -r -a variants <<< "${FUSION_READTAIL_VARIANTS:-=}"
for round in $(seq 1 "$rounds"); do
  for jar in "${jars[@]}"; do
   for variant in "${variants[@]}"; do
   vlabel="${variant%%=*}"; vopts="${variant#*=}"
   knows=""; java -jar "$jar" serve --help 2>&1 | grep -q -- --audit-sync && knows=1
   for sync in "${syncs[@]}"; do
    if [ "$sync" != - ] && [ -z "$knows" ]; then [ "$sync" = "${syncs[0]}" ] || continue; sync=-; fi
    syncargs=(); label="$jar${vlabel:+ [$vlabel]}"
    if [ "$sync" != - ]; then syncargs=(--audit-sync "$sync"); label="$label audit $sync"; fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    d=$(mktemp -d)
    if [ -n "$store" ]; then
      java -cp "$bench" fusion.bench.RawInsertBench reset "$store" > /dev/null 2>&1
      args=(--store "$store" --data "$d")
    else args=(--data "$d"); fi
    # every safepoint (GC pauses of any collector included) logged, to summarise the measured phase's
    java -Xmx2g ${FUSION_READTAIL_SERVER_OPTS:-} $vopts -Xlog:safepoint=info:file="$d/safepoints.log":uptime -jar "$jar" serve --port "$port" "${args[@]}" "${syncargs[@]}" > "$slog" 2>&1 &
    pid=$!
    for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.2; done
    drive() { java -cp "$bench" fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$1" 4 500 "$rate" 100 "$pid" "$2" "$2-$(date +%s%N)"; }
    drive "$warmup" warmup > /dev/null
    a=$(mktemp); b=$(mktemp); tr=$(mktemp)
    python3 bench/lib/thread-cpu.py snap "$pid" > "$a"; logged=$(wc -l < "$slog")
    sp0=$(wc -l < "$d/safepoints.log"); c0=$(awk '{print $14 + $15}' "/proc/$pid/stat"); f0=$(awk '{print $10}' "/proc/$pid/stat")
    if [ -n "${FUSION_READTAIL_STRACE:-}" ]; then
      strace -f -T -e trace=fsync,fdatasync -o "$tr" -p "$pid" 2> /dev/null & st=$!
    fi
    if [ -n "${FUSION_READTAIL_JFR:-}" ]; then
      jcmd "$pid" JFR.start name=tail settings=default locking-threshold=1ms 'jdk.ThreadPark#threshold=1ms' > /dev/null
    fi
    line=$(drive "$seconds" measured)
    [ -n "${FUSION_READTAIL_STRACE:-}" ] && { kill "$st"; wait "$st" 2> /dev/null || true; }
    jfrjson=""
    if [ -n "${FUSION_READTAIL_JFR:-}" ]; then
      jfrfile="/tmp/fusion-readtail-$round-$(basename "$jar" .jar)-$sync.jfr"; jfrjson=$(mktemp)
      jcmd "$pid" JFR.stop name=tail filename="$jfrfile" > /dev/null
      jfr print --json --events jdk.GCPhasePause,jdk.ExecuteVMOperation,jdk.ThreadPark,jdk.JavaMonitorEnter \
        "$jfrfile" > "$jfrjson"
    fi
    python3 bench/lib/thread-cpu.py snap "$pid" > "$b"
    c1=$(awk '{print $14 + $15}' "/proc/$pid/stat"); f1=$(awk '{print $10}' "/proc/$pid/stat")
    events=$(echo "$line" | sed -n 's/.*(\([0-9,]*\) events,.*/\1/p' | tr -d ',')
    reads=$(echo "$line" | sed -n 's/.*profile reads: \([0-9]*\),.*/\1/p')
    echo "round $round $label: $line"
    # the server's CPU per 1000 accepted events over the measured phase (ingest and reads), and its safepoints
    # and its minor page faults (a heap still growing touches new pages: each is a fault and a zeroed page)
    awk -v c=$((c1 - c0)) -v f=$((f1 - f0)) -v e="${events:-0}" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { if (e > 0) printf "  server CPU %.1f ms per 1000 events (reads included); %.0f minor page faults per 1000 events\n", c * 1000000 / hz / e, f * 1000 / e }'
    tail -n +"$((sp0 + 1))" "$d/safepoints.log" | python3 -c '
import re, sys
ops = [(int(m.group(2)) / 1e6, m.group(1)) for m in
       (re.search(r"Safepoint \"(\w+)\".*Total: (\d+) ns", l) for l in sys.stdin) if m]
t = sorted(x for x, _ in ops)
if t:
    p = lambda q: t[min(len(t) - 1, int(q * len(t)))]
    long = {}
    for x, op in ops:
        if x >= 5: long[op] = long.get(op, 0) + 1
    print(f"  safepoints (GC pauses included): {len(t)}, sum {sum(t):.1f} ms, p50 {p(0.5):.2f} ms, "
          f"max {t[-1]:.2f} ms; >= 5 ms: {sum(long.values())} ("
          + ", ".join(f"{op} {n}" for op, n in sorted(long.items(), key=lambda kv: -kv[1])) + ")")'
    python3 - "$a" "$b" "$reads" "$pid" "$tr" <<'PY'
import json, os, re, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
reads, pid, tr = float(sys.argv[3] or 0), sys.argv[4], sys.argv[5]
hz = os.sysconf("SC_CLK_TCK")
def group(n):
    if n.startswith("fusion-audit-fl"): return "audit flusher"
    if n.startswith("fusion-audit"): return "audit writer"
    if re.match(r"^(qtp|JettyServerThread|Jetty|Javalin|VirtualThread|ForkJoinPool)", n): return "request threads"
    if n.startswith("fusion-writ"): return "ingest writer"
    return None
sums = {}
names = {}
for tid, (name, t) in b.items():
    g = group(name); names[tid] = name
    if g: sums[g] = sums.get(g, 0) + t - a.get(tid, [name, 0])[1]
if reads:
    print("  CPU per read (ms; request threads also serve ingest): " + ", ".join(
        f"{g} {v * 1000 / hz / reads:.2f}" for g, v in sorted(sums.items())))
if os.path.getsize(tr):
    durs = {}
    for line in open(tr):
        m = re.match(r"^(\d+)\s+(fsync|fdatasync)\(.*<([\d.]+)>$", line.strip())
        if not m: continue
        g = names.get(m.group(1), "?")
        g = ("audit flusher" if g.startswith("fusion-audit-fl") else "audit" if g.startswith("fusion-audit")
             else "ingest writer" if g.startswith("fusion-writ") else group(g) or g)
        durs.setdefault((g, m.group(2)), []).append(float(m.group(3)) * 1000)
    for (g, call), v in sorted(durs.items()):
        v.sort(); p = lambda q: v[min(len(v) - 1, int(q * len(v)))]
        print(f"  {call} by {g}: {len(v)} calls, p50 {p(0.5):.2f} ms, p99 {p(0.99):.2f} ms, max {v[-1]:.2f} ms")
PY
    # with FUSION_READTAIL_SERVER_OPTS=-Dfusion.audit.timing=true: the server's 10-second summaries of the phase
    tail -n +"$((logged + 1))" "$slog" | grep -o 'audit timing:.*' | sed 's/^/  /' || true
    # with FUSION_READTAIL_SERVER_OPTS=-Dfusion.read.timing=true: what the phase's slowest reads were made of
    part=$(mktemp); tail -n +"$((logged + 1))" "$slog" > "$part"
    if grep -q 'read trace:' "$part"; then python3 bench/lib/read-tail.py "$part" $jfrjson; fi
    rm -f "$a" "$b" "$tr" "$part" $jfrjson
    kill "$pid"; wait "$pid" 2> /dev/null || true
    rm -rf "$d"
   done
   done
  done
done
