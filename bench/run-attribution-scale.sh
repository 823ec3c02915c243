#!/usr/bin/env bash
# Streaming attribution at scale: generates N seeded synthetic journeys (default 10 million) to a
# temporary file and streams them through first/last/linear and Markov orders 1-3 in a 512 MB heap.
# Writes bench/results/attribution-scale-<date>.txt with the machine, date, commit and figures.
# Usage: bench/run-attribution-scale.sh [N] [seed]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib/timed-main.sh
timed_main attribution-scale "Fusion streaming attribution: heuristics + Markov orders 1-3 over synthetic journeys" 512m \
  fusion.bench.reports.AttributionScaleRun "${1:-10000000}" "${2:-42}"
