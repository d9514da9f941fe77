#!/usr/bin/env bash
# Tear the testbed down (idempotent: succeeds when nothing exists).
# Deletes exactly the namespaces named in env.sh (gwtb-lan, gwtb-gw, gwtb-isp1, gwtb-isp2, gwtb-inet by
# default), never by pattern. Processes still running inside them (the origin, a gateway a test started)
# get SIGTERM by pid, then SIGKILL after 3 s. Deleting a namespace destroys its veths.
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

"$TB_DIR/origin-stop.sh" >/dev/null

for ns in $TB_NAMESPACES; do
  tb_ns_exists "$ns" || continue
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  if [ -n "$pids" ]; then
    echo "down.sh: stopping processes in $ns: $(echo "$pids" | tr '\n' ' ')"
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 30); do # up to 3 s
      alive=""
      for pid in $pids; do [ -e "/proc/$pid" ] && alive="$alive $pid"; done
      [ -z "$alive" ] && break
      sleep 0.1
    done
    for pid in $alive; do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  ip netns del "$ns"
done
echo "down.sh: testbed down"
