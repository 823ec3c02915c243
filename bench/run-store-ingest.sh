#!/usr/bin/env bash
# Ingest throughput of the embedded SQLite store and PostgreSQL, side by side in one run
# (Store.ingest with scoring on, durable, no HTTP). Needs a PostgreSQL it may drop Fusion's
# tables in: FUSION_BENCH_STORE=postgresql://user:password@127.0.0.1:5432/db (default as below).
# Writes bench/results/store-ingest-<date>.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
url="${FUSION_BENCH_STORE:-postgresql://fusion:fusion@127.0.0.1:5432/fusion}"
events="${1:-50000}"; batch="${2:-500}"; rounds="${3:-3}"
mvn -q -B -Dstyle.color=never -DskipTests -pl bench -am package
out="bench/results/store-ingest-$(date -u +%Y-%m-%d).txt"
{
  echo "# Fusion store ingest: Store.ingest, scoring on, durable commits, no HTTP"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:   $(git rev-parse --short HEAD)"
  echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "java:     $(java -version 2>&1 | head -1)"
  echo "sqlite:   WAL, synchronous=FULL, in a temporary directory on the same disk"
  echo "postgres: $(psql --version 2>/dev/null || echo 'server'), loopback, default settings (synchronous_commit=on)"
  echo
  java -cp bench/target/benchmarks.jar fusion.bench.StoreIngestBench "$events" "$batch" "$rounds" "$url" 2>&1 | grep -v SLF4J
} | tee "$out"
echo "wrote $out"
