# Sourced by ./fusion and by the benches that start a server: `server_jvm_options TREE` prints the JVM
# options in TREE/server/jvm.options (nothing for a tree without the file, e.g. an older commit's),
# comments and blank lines left out, and without a collector the running `java` does not have.
server_jvm_options() {
  local file="$1/server/jvm.options" o out=()
  [ -f "$file" ] || return 0
  for o in $(sed -e 's/#.*//' "$file"); do
    case "$o" in
      -XX:+Use*GC) java "$o" -version > /dev/null 2>&1 || { echo "fusion: this java has no $o; using its default collector" >&2; continue; } ;;
    esac
    out+=("$o")
  done
  echo "${out[@]}"
}
# without_collector OPTIONS...: OPTIONS less any -XX:+Use*GC (when FUSION_JAVA_OPTS names its own)
without_collector() {
  local o out=()
  for o in "$@"; do case "$o" in -XX:+Use*GC) ;; *) out+=("$o") ;; esac; done
  echo "${out[@]}"
}
# jvm_options_with_override TREE [EXTRA]: the tree's options, then EXTRA (default FUSION_JAVA_OPTS),
# which wins: a later option overrides an earlier one, and a collector EXTRA names replaces the tree's
jvm_options_with_override() {
  local defaults o extra="${2-${FUSION_JAVA_OPTS:-}}"
  defaults=$(server_jvm_options "$1")
  for o in $extra; do
    case "$o" in -XX:+Use*GC) defaults=$(without_collector $defaults) ;; esac
  done
  echo $defaults $extra
}
