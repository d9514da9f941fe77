#!/usr/bin/env bash
# Inject a fault into one ISP router namespace. Idempotent.
#
#   fault.sh ISP blackhole          ISP dead behind a live modem: nothing is forwarded in either direction,
#                                   the router's upstream side is unreachable, yet the modem address
#                                   (TB_ISPn_CPE) still answers the gateway (ping, ARP).
#   fault.sh ISP loss N [DIR]       drop N% (0..100) of forwarded packets, each direction independently;
#                                   DIR = both (default) | up (gateway -> internet) | down (internet -> gateway)
#   fault.sh ISP linkdown           set the ISP's gateway-facing veth down: the gateway's WAN loses carrier
#                                   (its routes stay, see PITFALLS)
#   fault.sh ISP rate KBIT          token-bucket rate limit (tc tbf) on both ISP interfaces' egress
#   fault.sh ISP heal               remove every fault of that ISP
#   fault.sh ISP show               print the ISP's faults
# ISP is isp1 | isp2 | 1 | 2 | all (all: only with heal/show).
# blackhole and loss replace each other (one nftables table, inet gwtb_fault); linkdown and rate combine.
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
isp=$1 kind=$2
shift 2

if [ "$isp" = all ]; then
  case "$kind" in
    heal|show) "$0" isp1 "$kind"; "$0" isp2 "$kind"; exit 0 ;;
    *) usage ;;
  esac
fi
ns=$(tb_isp_ns "$isp") || usage
case "$isp" in isp1|1) cpe=$TB_ISP1_CPE ;; *) cpe=$TB_ISP2_CPE ;; esac
tb_ns_exists "$ns" || { echo "fault.sh: $ns missing: run up.sh first" >&2; exit 1; }
CPE_IF=$TB_ISP_IF_CPE UP_IF=$TB_ISP_IF_UP

# Replace the fault table with the given chains (empty: no nftables fault).
set_fault_table() {
  {
    echo "table inet gwtb_fault {}"
    echo "delete table inet gwtb_fault"
    if [ -n "$1" ]; then
      printf 'table inet gwtb_fault {\n%s\n}\n' "$1"
    fi
  } | ip netns exec "$ns" nft -f -
}

case "$kind" in
  blackhole)
    set_fault_table "
  chain forward {
    type filter hook forward priority -200; policy accept;
    counter drop comment \"blackhole: nothing passes the ISP\"
  }
  chain input {
    type filter hook input priority -200; policy accept;
    iifname \"$UP_IF\" counter drop comment \"blackhole: internet side silent\"
    iifname \"$CPE_IF\" ip daddr != $cpe counter drop comment \"blackhole: only the modem address answers\"
  }
  chain output {
    type filter hook output priority -200; policy accept;
    oifname \"$UP_IF\" counter drop comment \"blackhole: internet side silent\"
  }"
    ;;
  loss)
    n=${1:-}
    dir=${2:-both}
    if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -gt 100 ]; then echo "fault.sh: loss needs N in 0..100" >&2; exit 2; fi
    rules=""
    case "$dir" in
      both|up) rules+="    iifname \"$CPE_IF\" numgen random mod 100 < $n counter drop comment \"loss up $n%\""$'\n' ;;&
      both|down) rules+="    iifname \"$UP_IF\" numgen random mod 100 < $n counter drop comment \"loss down $n%\""$'\n' ;;
      up) ;;
      *) echo "fault.sh: DIR must be both, up or down" >&2; exit 2 ;;
    esac
    set_fault_table "
  chain forward {
    type filter hook forward priority -200; policy accept;
$rules  }"
    ;;
  linkdown)
    ip -n "$ns" link set dev "$CPE_IF" down
    ;;
  rate)
    kbit=${1:-}
    if ! [[ "$kbit" =~ ^[0-9]+$ ]] || [ "$kbit" -lt 8 ]; then echo "fault.sh: rate needs KBIT >= 8" >&2; exit 2; fi
    for dev in "$CPE_IF" "$UP_IF"; do
      ip netns exec "$ns" tc qdisc replace dev "$dev" root tbf rate "${kbit}kbit" burst 16kb latency 200ms
    done
    ;;
  heal)
    set_fault_table ""
    for dev in "$CPE_IF" "$UP_IF"; do
      ip netns exec "$ns" tc qdisc del dev "$dev" root 2>/dev/null || true
    done
    ip -n "$ns" link set dev "$CPE_IF" up
    ;;
  show)
    echo "== $ns"
    ip -n "$ns" -br link show dev "$CPE_IF"
    ip netns exec "$ns" nft list table inet gwtb_fault 2>/dev/null || echo "(no nftables fault)"
    ip netns exec "$ns" tc qdisc show dev "$CPE_IF" | grep tbf || true
    exit 0
    ;;
  *) usage ;;
esac
echo "fault.sh: $ns $kind $*"
