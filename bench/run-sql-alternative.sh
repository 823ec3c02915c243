#!/usr/bin/env bash
# What a user would do instead of Fusion: the same interactions in PostgreSQL, every pair's
# experience computed by one SQL query, against Fusion's incremental engine on the same data.
# Needs FUSION_BENCH_STORE (default below); creates a table alt_events there.
# Writes bench/results/sql-alternative-<date>.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
url="${FUSION_BENCH_STORE:-postgresql://fusion:fusion@127.0.0.1:5432/fusion}"
events="${1:-200000}"
mvn -q -B -Dstyle.color=never -DskipTests -pl bench -am package
out="bench/results/sql-alternative-$(date -u +%Y-%m-%d).txt"
{
  echo "# Fusion's incremental experience scores against one SQL query over the raw events (PostgreSQL)"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:   $(git rev-parse --short HEAD)"
  echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "postgres: $(psql --version 2>/dev/null || echo server), loopback, default settings"
  echo
  java -cp bench/target/benchmarks.jar fusion.bench.SqlAlternativeBench "$events" "$url" 2>&1 | grep -v SLF4J
} | tee "$out"
echo "wrote $out"
