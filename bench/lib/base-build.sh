# Sourced by bench scripts that compare this tree's server with BASE's: builds this tree's server
# and the benches, makes a work directory ($work, removed at exit with BASE's worktree), and
# base_jar builds BASE's server in a worktree there and copies it to $work/before.jar.
mvn -q -B -o -Dstyle.color=never -DskipTests -pl server,bench -am package
bench="bench/target/benchmarks.jar"
work="$(mktemp -d)"
cleanup() { git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
base_jar() {
  git worktree add -q --detach "$work/base" "$1"
  (cd "$work/base" && mvn -q -B -o -Dstyle.color=never -DskipTests -Dspotless.check.skip=true -pl server -am package)
  cp "$work/base/server/target/fusion.jar" "$work/before.jar"
}
