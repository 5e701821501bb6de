#!/usr/bin/env bash
# Virtuoso (Debian's virtuoso-opensource) as a throwaway SPARQL server for tests and benchmarks.
#
#   scripts/virtuoso.sh install   # apt-get install virtuoso-opensource if virtuoso-t is missing
#   scripts/virtuoso.sh start     # new database in $VIRTUOSO_DIR, loopback-only ports, wait until up
#   scripts/virtuoso.sh stop      # stop the server started from $VIRTUOSO_DIR (by its pid)
#   scripts/virtuoso.sh status
#
# Environment: VIRTUOSO_DIR (default ./.virtuoso), VIRTUOSO_HTTP_PORT (default 8890),
# VIRTUOSO_SQL_PORT (default 1111). Both ports are bound to 127.0.0.1 only. The SPARQL
# endpoint is http://127.0.0.1:$VIRTUOSO_HTTP_PORT/sparql; the anonymous SPARQL user is granted
# SPARQL_UPDATE in this throwaway database so that tests can write through the same URL.
# Never point VIRTUOSO_DIR at a database you care about: `start` creates it from scratch.
set -euo pipefail

cmd="${1:-status}"
DIR="${VIRTUOSO_DIR:-$PWD/.virtuoso}"
HTTP_PORT="${VIRTUOSO_HTTP_PORT:-8890}"
SQL_PORT="${VIRTUOSO_SQL_PORT:-1111}"
PIDFILE="$DIR/virtuoso.pid"

find_bin() {
  for b in virtuoso-t /usr/bin/virtuoso-t /usr/lib/virtuoso-opensource-7/bin/virtuoso-t; do
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
  done
  return 1
}

http_ok() {
  # no curl needed: the project's Python is always there
  "${PYTHON:-python3}" - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2).read()
PY
}

find_isql() {
  for b in isql-vt isql-v /usr/bin/isql-vt; do
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
  done
  return 1
}

install() {
  if find_bin >/dev/null; then
    echo "virtuoso-opensource present: $(find_bin)"
    return 0
  fi
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq virtuoso-opensource >/dev/null
  echo "installed virtuoso-opensource: $(find_bin)"
}

write_ini() {
  local vad=/usr/share/virtuoso-opensource-7/vad
  cat > "$DIR/virtuoso.ini" <<EOF
[Database]
DatabaseFile       = $DIR/virtuoso.db
ErrorLogFile       = $DIR/virtuoso.log
LockFile           = $DIR/virtuoso.lck
TransactionFile    = $DIR/virtuoso.trx
xa_persistent_file = $DIR/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $DIR/virtuoso-temp.db
TransactionFile    = $DIR/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:$SQL_PORT
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
AllowOSCalls             = 0
DirsAllowed              = ., $DIR, $vad
VADInstallDir            = $vad/
NumberOfBuffers          = 20000
MaxDirtyBuffers          = 15000
MaxQueryMem              = 512M
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 4

[HTTPServer]
ServerPort                  = 127.0.0.1:$HTTP_PORT
ServerRoot                  = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
Charset                     = UTF-8
EnabledGzipContent          = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 120
DefaultQuery               = select distinct ?Concept where {[] a ?Concept} LIMIT 100
EOF
}

isql() {
  "$(find_isql)" "127.0.0.1:$SQL_PORT" dba dba "exec=$1" >/dev/null
}

start() {
  local bin
  bin="$(find_bin)" || { echo "virtuoso-t not found: run scripts/virtuoso.sh install" >&2; exit 1; }
  local running; running="$(server_pid)"
  if [ -n "$running" ] && kill -0 "$running" 2>/dev/null; then
    echo "already running (pid $running) in $DIR"
    return 0
  fi
  mkdir -p "$DIR"
  rm -f "$DIR"/virtuoso.db "$DIR"/virtuoso.trx "$DIR"/virtuoso.log "$DIR"/virtuoso-temp.* "$DIR"/virtuoso.lck
  write_ini
  (cd "$DIR" && nohup "$bin" +configfile "$DIR/virtuoso.ini" +foreground >"$DIR/stdout.log" 2>&1 &
   echo $! > "$PIDFILE")
  local pid; pid="$(cat "$PIDFILE")"
  for _ in $(seq 1 600); do
    [ -f "$DIR/virtuoso.lck" ] && pid="$(server_pid)"
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "virtuoso exited during start-up; log:" >&2
      tail -n 30 "$DIR/virtuoso.log" "$DIR/stdout.log" >&2 || true
      exit 1
    fi
    if http_ok "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D"; then
      break
    fi
    sleep 0.2
  done
  http_ok "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D" || {
    echo "virtuoso did not answer on 127.0.0.1:$HTTP_PORT" >&2; exit 1; }
  # throwaway database: let the anonymous SPARQL user update (tests write through /sparql)
  isql 'grant SPARQL_UPDATE to "SPARQL";' 2>/dev/null || true
  isql 'DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('"'"'nobody'"'"', 7);' 2>/dev/null || true
  echo "virtuoso up (pid $(server_pid)): http://127.0.0.1:$HTTP_PORT/sparql, data in $DIR"
}

server_pid() {
  # virtuoso-t forks once: the server's own pid is in its lock file (VIRT_PID=...)
  if [ -f "$DIR/virtuoso.lck" ]; then
    sed -n 's/^VIRT_PID=\([0-9]*\).*/\1/p' "$DIR/virtuoso.lck"
  elif [ -f "$PIDFILE" ]; then
    cat "$PIDFILE"
  fi
}

stop() {
  local pid; pid="$(server_pid)"
  [ -n "$pid" ] || { echo "not running (no lock file in $DIR)"; return 0; }
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$PIDFILE" "$DIR/virtuoso.lck"
  echo "virtuoso stopped"
}

status() {
  local pid; pid="$(server_pid)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "running (pid $pid) on 127.0.0.1:$HTTP_PORT"
  else
    echo "not running"
  fi
}

case "$cmd" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
