#!/usr/bin/env bash
# One stage of `make run`: a progress line before, and after it the time it took.
#   scripts/stage.sh NAME COMMAND [ARGS...]
# Exits with the command's status (a failing stage stops `make run`, and says so).
set -u
name=$1; shift
start=$(date +%s.%N)
echo "[make run] $name ..." >&2
"$@"
status=$?
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if [ "$status" -eq 0 ]; then
  echo "[make run] $name: done in $secs s" >&2
else
  echo "[make run] $name: failed (exit $status) after $secs s" >&2
fi
exit "$status"
