# Shared by the scale scripts: runs one Java main class of bench (fusion.bench.reports, on the bench jar's classpath) under
# /usr/bin/time with a fixed heap, and writes its figures with the date, commit, machine and
# process peak memory to a result file.
# Usage: timed_main NAME TITLE XMX MAIN_CLASS [ARGS...]   (writes bench/results/NAME-<date>.txt)
timed_main() {
  local name="$1" title="$2" xmx="$3" main="$4"
  shift 4
  mvn -q -B -Dstyle.color=never -Dmaven.test.skip=true -pl bench -am package
  mkdir -p bench/results
  local out="bench/results/$name-$(date -u +%Y-%m-%d).txt"
  local commit
  commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  git diff --quiet HEAD -- core analytics bench/src 2>/dev/null || commit="$commit (with uncommitted changes to core, analytics or bench)"
  local figures
  figures="$(mktemp)"
  /usr/bin/time -v java "-Xmx$xmx" -cp bench/target/benchmarks.jar \
    "$main" "$@" > "$figures" 2> >(tee "$figures.err" >&2)
  {
    echo "# $title, -Xmx$xmx"
    echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit:  $commit"
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
    echo "java:    $(java -version 2>&1 | head -1)"
    echo
    cat "$figures"
    grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$figures.err" | sed 's/^\s*/process: /' || true
  } | tee "$out"
  rm -f "$figures" "$figures.err"
  echo "wrote $out"
}
