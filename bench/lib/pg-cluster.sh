# Sourced by bench scripts that compare BASE's build with this tree's on both stores: makes a
# work directory ($work) and BASE's worktree in it (base_worktree), and a throw-away PostgreSQL
# cluster on loopback with the system's binaries (pg_start: default settings, fsync on; its port
# in $pgport, a URL of database NAME from pgurl NAME). Everything is stopped and removed at exit.
work="$(mktemp -d)"
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
as_pg=(); [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
cleanup() {
  if [ -f "$work/pg/data/postmaster.pid" ]; then "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -w -m fast stop >/dev/null || true; fi
  git worktree remove --force "$work/base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
base_worktree() { git worktree add -q --detach "$work/base" "$1"; }
pg_start() {
  pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$work/pg"; [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$work/pg" && chmod 755 "$work"
  "${as_pg[@]}" "$pgbin/initdb" -D "$work/pg/data" -U fusion --auth=trust -E UTF8 >/dev/null
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -w -t 60 -l "$work/pg/log" \
      -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
  "${as_pg[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U fusion fusion
}
pgurl() { echo "postgresql://fusion:fusion@127.0.0.1:$pgport/$1"; }
