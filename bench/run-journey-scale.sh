#!/usr/bin/env bash
# Incremental journey statistics at scale: N seeded synthetic interactions (default 100 million) of
# P parties (default 1 million), generated in time order and streamed through JourneyStats in a 2 GB heap.
# Writes bench/results/journey-scale-<date>.txt with the machine, date, commit and figures.
# Usage: bench/run-journey-scale.sh [N] [parties] [seed]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib/timed-main.sh
timed_main journey-scale "Fusion incremental journey statistics over synthetic interactions" 2g \
  fusion.bench.reports.JourneyScaleRun "${1:-100000000}" "${2:-1000000}" "${3:-42}"
