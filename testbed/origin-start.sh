#!/usr/bin/env bash
# Start origin.py in the internet namespace (idempotent: a running origin is kept).
# Log: $TB_ORIGIN_LOG = $TB_TMPDIR/origin.log (truncated on each start). Lifetime: $TB_ORIGIN_LIFETIME s (3600).
# TLS certificate: $TB_ORIGIN_TLS_CERT (one PEM file, key and certificate) if set, else a self-signed one for
# $TB_ORIGIN_TLS_NAME made with openssl in $TB_TMPDIR.
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

tb_ns_exists "$TB_NS_INET" || { echo "origin-start.sh: $TB_NS_INET missing: run up.sh first" >&2; exit 1; }
mkdir -p "$TB_TMPDIR"

origin_alive() {
  local pid
  pid=$(cat "$TB_ORIGIN_PID" 2>/dev/null) || return 1
  [ -n "$pid" ] && grep -qa origin.py "/proc/$pid/cmdline" 2>/dev/null
}

if origin_alive; then
  echo "origin-start.sh: already running (pid $(cat "$TB_ORIGIN_PID")), log $TB_ORIGIN_LOG"
  exit 0
fi
rm -f "$TB_ORIGIN_PID"
: > "$TB_ORIGIN_LOG"
ip netns exec "$TB_NS_INET" "${TB_PYTHON:-python3}" "$TB_DIR/origin.py" \
  --http "$TB_ORIGIN:$TB_ORIGIN_HTTP_PORT" --http "$TB_ORIGIN2:$TB_ORIGIN_HTTP_PORT" \
  --raw "$TB_ORIGIN:$TB_ORIGIN_RAW_PORT" --raw "$TB_ORIGIN2:$TB_ORIGIN_RAW_PORT" \
  --tls "$TB_ORIGIN:$TB_ORIGIN_TLS_PORT" --tls "$TB_ORIGIN2:$TB_ORIGIN_TLS_PORT" \
  --echo "$TB_ORIGIN:$TB_ORIGIN_ECHO_PORT" --echo "$TB_ORIGIN2:$TB_ORIGIN_ECHO_PORT" \
  --tls-name "$TB_ORIGIN_TLS_NAME" ${TB_ORIGIN_TLS_CERT:+--tls-cert "$TB_ORIGIN_TLS_CERT"} \
  --log "$TB_ORIGIN_LOG" --pidfile "$TB_ORIGIN_PID" \
  --lifetime "${TB_ORIGIN_LIFETIME:-3600}" --netns "$TB_NS_INET" \
  </dev/null >"$TB_TMPDIR/origin.stderr" 2>&1 &

for _ in $(seq 1 50); do # up to 5 s
  if grep -q 'event=ready' "$TB_ORIGIN_LOG" 2>/dev/null && origin_alive; then
    echo "origin-start.sh: origin pid $(cat "$TB_ORIGIN_PID") on $TB_ORIGIN,$TB_ORIGIN2 :$TB_ORIGIN_HTTP_PORT (http) :$TB_ORIGIN_RAW_PORT (raw) :$TB_ORIGIN_TLS_PORT (tls) :$TB_ORIGIN_ECHO_PORT (echo), log $TB_ORIGIN_LOG"
    exit 0
  fi
  sleep 0.1
done
echo "origin-start.sh: origin did not become ready; stderr:" >&2
tail -n 20 "$TB_TMPDIR/origin.stderr" >&2 || true
exit 1
