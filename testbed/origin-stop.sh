#!/usr/bin/env bash
# Stop the origin started by origin-start.sh (idempotent). The log is kept.
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

pid=$(cat "$TB_ORIGIN_PID" 2>/dev/null) || { echo "origin-stop.sh: not running"; exit 0; }
if [ -n "$pid" ] && grep -qa origin.py "/proc/$pid/cmdline" 2>/dev/null; then
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do # up to 3 s
    [ -e "/proc/$pid" ] || break
    sleep 0.1
  done
  if [ -e "/proc/$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  echo "origin-stop.sh: stopped pid $pid"
else
  echo "origin-stop.sh: not running"
fi
rm -f "$TB_ORIGIN_PID"
