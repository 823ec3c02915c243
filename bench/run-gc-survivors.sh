#!/usr/bin/env bash
# What survives G1's young collections under ingest (issue 18), builds alternating in one run. For each
# round and each build (FUSION_GC_JARS="before.jar after.jar", default this tree's server), a fresh
# SQLite server on G1 (-Xmx2g -XX:+UseG1GC, named, so this measures what G1 copies whatever the JVM
# would pick) with -Xlog:gc*,gc+age=trace, a warm-up of 20 s, then SECONDS at RATE events/s with 100
# profile reads/s (LoadDriver): the young pauses of the measured phase (bench/lib/gc-young.py: count,
# wall time, survivors copied per pause, old generation growth per pause, the GC threads' CPU against
# the wall time) and, at its end, the largest classes of the live heap (jcmd GC.class_histogram).
# FUSION_GC_VARIANTS="LABEL=JVM OPTIONS;..." runs each build once per set of options (after the ones
# above), alternating within each round (e.g. "default=;ratio99=-XX:GCTimeRatio=99").
#   bench/run-gc-survivors.sh [ROUNDS SECONDS RATE]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-2}"; seconds="${2:-30}"; rate="${3:-10000}"
read -r -a jars <<< "${FUSION_GC_JARS:-server/target/fusion.jar}"
bench="bench/target/benchmarks.jar"
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin
echo "# young collections under ingest: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# rate $rate events/s, 100 reads/s, warm-up 20 s, measured $seconds s, SQLite, java -Xmx2g -XX:+UseG1GC"
IFS=';' read -r -a variants <<< "${FUSION_GC_VARIANTS:-=}"
for round in $(seq 1 "$rounds"); do
  for jar in "${jars[@]}"; do
   for variant in "${variants[@]}"; do
    vlabel="${variant%%=*}"; vopts="${variant#*=}"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    d=$(mktemp -d)
    java -Xmx2g -XX:+UseG1GC $vopts -Xlog:gc*,gc+age=trace:file="$d/gc.log":uptime -jar "$jar" serve --port "$port" --data "$d/data" > "$d/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.2; done
    drive() { java -cp "$bench" fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$1" 4 500 "$rate" 100 "$pid" "$2" "$2-$(date +%s%N)"; }
    drive 20 warmup > /dev/null
    start=$(ps -o etimes= -p "$pid" | tr -d ' ')
    line=$(drive "$seconds" measured)
    end=$(ps -o etimes= -p "$pid" | tr -d ' ')
    echo "round $round $jar${vlabel:+ [$vlabel]}: $line"
    python3 bench/lib/gc-young.py "$d/gc.log" "$start" "$end"
    echo "  live heap at the end (jcmd GC.class_histogram, a full collection first), largest classes:"
    jcmd "$pid" GC.class_histogram | sed -n '4,11p' | awk '{printf "    %-60s %9s instances %7.1f MB\n", $4, $2, $3 / 1e6}'
    kill "$pid"; wait "$pid" 2> /dev/null || true
    rm -rf "$d"
   done
  done
done
