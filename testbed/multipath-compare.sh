#!/usr/bin/env bash
# Failover compared: the Linux kernel's own multipath routing vs the gateway, in the testbed, with the
# same fault (ISP1 blackholed: its link stays up, nothing passes) during the same steady load (the LAN
# client opening new connections at a fixed rate from fixed ports). Writes both results side by side
# into docs/BENCHMARKS.md (between its failover markers) and prints them.
#
#   testbed/multipath-compare.sh [--rate 20] [--seconds 20] [--fault-at 3] [--heal-at 10] [--out FILE]
#
# Needs root, iproute2, nftables, python3 and the packaged gateway (mvn -q -DskipTests package).
# Bounded: each run makes rate*seconds connections, each with a 5 s timeout; everything it started is
# stopped on exit and the testbed is torn down.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=env.sh
. "$here/env.sh"

RATE=20 SECONDS_TOTAL=20 FAULT_AT=3 HEAL_AT=10 OUT="$root/docs/BENCHMARKS.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --seconds) SECONDS_TOTAL=$2; shift 2 ;;
    --fault-at) FAULT_AT=$2; shift 2 ;;
    --heal-at) HEAL_AT=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "usage: $0 [--rate N] [--seconds S] [--fault-at S] [--heal-at S] [--out FILE]" >&2; exit 2 ;;
  esac
done
JAR="$root/gateway-app/target/gateway.jar"
[ -f "$JAR" ] || { echo "build the gateway first: mvn -q -DskipTests package" >&2; exit 1; }
COUNT=$((RATE * SECONDS_TOTAL))
WORK=$(mktemp -d)
export TB_TMPDIR="$WORK/tb"
GW_PID=""

cleanup() {
  [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null || true
  "$here/origin-stop.sh" >/dev/null 2>&1 || true
  "$here/down.sh" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$here/up.sh" >/dev/null
"$here/origin-start.sh" >/dev/null

# One run: the LAN client in the background, the fault at FAULT_AT s, the heal at HEAL_AT s.
# Prints the client's counts; writes the fault's time (epoch ms) to $WORK/fault-MODE.
run_load() { # MODE FIRST_PORT
  local mode=$1 first=$2 out="$WORK/client-$1.txt"
  local proxy=()
  [ "$mode" = direct ] || proxy=(--proxy "$TB_GW_LAN:3128")
  ip netns exec "$TB_NS_LAN" python3 "$here/lan-client.py" "${proxy[@]}" --mode "$mode" \
    --target "$TB_ORIGIN:$TB_ORIGIN_HTTP_PORT" --rate "$RATE" --count "$COUNT" \
    --first-port "$first" --timeout 5 > "$out" &
  local client=$!
  sleep "$FAULT_AT"
  date +%s%3N > "$WORK/fault-$mode"
  "$here/fault.sh" isp1 blackhole >/dev/null
  sleep $((HEAL_AT - FAULT_AT))
  "$here/fault.sh" isp1 heal >/dev/null
  wait "$client"
  cat "$out"
}

field() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

# --- 1. the kernel: forwarding, NAT per WAN, one multipath default route ------------------------
ip netns exec "$TB_NS_GW" sysctl -qw net.ipv4.ip_forward=1
# Hash the 5-tuple (policy 3 with fields 0x0037: addresses, protocol, ports), as a router would.
ip netns exec "$TB_NS_GW" sysctl -qw net.ipv4.fib_multipath_hash_policy=3
ip netns exec "$TB_NS_GW" sysctl -qw net.ipv4.fib_multipath_hash_fields=0x0037
ip netns exec "$TB_NS_GW" nft -f - <<NFT
table ip gwtb_multipath {
  chain post { type nat hook postrouting priority srcnat; policy accept;
    oifname "$TB_GW_IF_WAN1" masquerade
    oifname "$TB_GW_IF_WAN2" masquerade
  }
}
NFT
ip -n "$TB_NS_GW" route replace default \
  nexthop via "$TB_ISP1_CPE" dev "$TB_GW_IF_WAN1" weight 1 \
  nexthop via "$TB_ISP2_CPE" dev "$TB_GW_IF_WAN2" weight 1
echo "kernel multipath: $COUNT connections at $RATE/s, isp1 blackholed from ${FAULT_AT}s to ${HEAL_AT}s"
run_load direct 40000 > "$WORK/kernel.txt"
cat "$WORK/kernel.txt"
KERNEL_FAILED=$(field failed "$WORK/kernel.txt")
KERNEL_ISP1=$(awk -v a="$TB_ISP1_NAT" '$1 == "ok" && $2 == a { print $3 }' "$WORK/kernel.txt")
# Back to the testbed's proxy box: no forwarding, main default via ISP1.
ip netns exec "$TB_NS_GW" nft delete table ip gwtb_multipath
ip -n "$TB_NS_GW" route replace default via "$TB_ISP1_CPE" dev "$TB_GW_IF_WAN1"
ip netns exec "$TB_NS_GW" sysctl -qw net.ipv4.ip_forward=0

# --- 2. the gateway: proxy with PCC, health probes and connect racing ---------------------------
cat > "$WORK/gateway.conf" <<CONF
listen = "$TB_GW_LAN:3128"
clients.allow = ["$TB_LAN_NET"]
uplinks = [
  { name = isp1, address = "$TB_GW_WAN1", interface = $TB_GW_IF_WAN1 }
  { name = isp2, address = "$TB_GW_WAN2", interface = $TB_GW_IF_WAN2 }
]
health.targets = ["tcp://$TB_ORIGIN:$TB_ORIGIN_HTTP_PORT", "http://$TB_ORIGIN2/whoami"]
log.access = "$WORK/access.log"
admin.listen = "127.0.0.1:3129"
CONF
ip netns exec "$TB_NS_GW" java -Xmx256m -jar "$JAR" run --config "$WORK/gateway.conf" \
  > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 1 100); do
  grep -q "gateway running" "$WORK/gateway.log" && break
  sleep 0.2
done
grep -q "gateway running" "$WORK/gateway.log" || { cat "$WORK/gateway.log" >&2; exit 1; }
sleep 3 # a few probe rounds, so the uplinks' RTT is known
echo "gateway: $COUNT connections at $RATE/s, isp1 blackholed from ${FAULT_AT}s to ${HEAL_AT}s"
run_load http 50000 > "$WORK/gateway.txt"
cat "$WORK/gateway.txt"
FAULT_EPOCH_MS=$(cat "$WORK/fault-http")
GW_FAILED=$(field failed "$WORK/gateway.txt")
GW_ISP1=$(awk -v a="$TB_ISP1_NAT" '$1 == "ok" && $2 == a { print $3 }' "$WORK/gateway.txt")
down_at=$(grep -m1 "uplink isp1 UP -> DOWN" "$WORK/gateway.log" | cut -d' ' -f1)
up_at=$(grep -m1 "uplink isp1 DOWN -> UP" "$WORK/gateway.log" | cut -d' ' -f1)
ms() { date -d "$1" +%s%3N; }
GW_REACT="never"
[ -n "$down_at" ] && GW_REACT="$(( $(ms "$down_at") - FAULT_EPOCH_MS )) ms"
GW_BACK="never"
[ -n "$up_at" ] && GW_BACK="$(( $(ms "$up_at") - FAULT_EPOCH_MS - (HEAL_AT - FAULT_AT) * 1000 )) ms after the heal"
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true; GW_PID=""

# --- report ------------------------------------------------------------------------------------
report=$(cat <<MD
<!-- failover:begin (written by testbed/multipath-compare.sh) -->
## Failover: the kernel's multipath routing vs the gateway

Measured $(date -u +%Y-%m-%d) in the project's network testbed (Linux network namespaces, two NATing ISPs,
one origin). The LAN client opens $COUNT new connections at $RATE/s from fixed source ports (\`GET /whoami\`,
5 s timeout each); ISP1 is blackholed with nftables (link up, nothing passes) from ${FAULT_AT} s to ${HEAL_AT} s.
Kernel: \`ip route default nexthop ... nexthop ...\` with \`fib_multipath_hash_policy=3\`,
\`fib_multipath_hash_fields=0x0037\` (the 5-tuple) and NAT per WAN. Gateway: the proxy with both-addresses-and-ports
PCC, health probes every 1 s (down after 3 failed rounds, up after 5 good ones) and connect racing.

| | failed requests | reaction to the blackhole | connections carried by ISP1 |
| --- | ---: | --- | ---: |
| kernel multipath | $KERNEL_FAILED of $COUNT | none: a live link keeps its nexthop; flows hashed to ISP1 time out until the heal | ${KERNEL_ISP1:-0} |
| gateway | $GW_FAILED of $COUNT | isp1 out of selection after $GW_REACT; back $GW_BACK | ${GW_ISP1:-0} |
<!-- failover:end -->
MD
)
echo "$report"
python3 - "$OUT" "$report" <<'PY'
import re, sys
path, report = sys.argv[1], sys.argv[2]
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
pattern = re.compile(r"<!-- failover:begin.*?<!-- failover:end -->", re.S)
text = pattern.sub(lambda m: report, text) if pattern.search(text) else text.rstrip() + "\n\n" + report + "\n"
open(path, "w").write(text)
PY
