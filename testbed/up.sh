#!/usr/bin/env bash
# Build the gwtb testbed (see README.md). Idempotent: running it again repairs or keeps what exists.
# Touches only the namespaces named in env.sh (all gwtb-*); nothing in the caller's namespace.
#   up.sh               the gateway box is a proxy only: ip_forward=0, the LAN reaches nothing beyond it
#   up.sh --forward     (or TB_GW_FORWARD=1) the box also routes the LAN: ip_forward=1 and masquerade
#                       of LAN sources out wan1/wan2 (table ip gwtb_gw), the kernel path
#   up.sh --no-forward  (or TB_GW_FORWARD=0, the default) back to proxy only; the flag wins over the env
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

forward=${TB_GW_FORWARD:-0}
while [ $# -gt 0 ]; do
  case "$1" in
    --forward) forward=1 ;;
    --no-forward) forward=0 ;;
    *) echo "usage: $0 [--forward|--no-forward]" >&2; exit 2 ;;
  esac
  shift
done
case "$forward" in
  0|1) ;;
  *) echo "up.sh: TB_GW_FORWARD must be 0 or 1 (got '$forward')" >&2; exit 2 ;;
esac

[ "$(id -u)" -eq 0 ] || { echo "up.sh: must run as root" >&2; exit 1; }
for tool in ip nft sysctl; do
  command -v "$tool" >/dev/null || { echo "up.sh: missing $tool (apt-get install -y iproute2 nftables procps)" >&2; exit 1; }
done

sysctl_in() { # NS KEY=VALUE...
  local ns=$1; shift
  ip netns exec "$ns" sysctl -qw "$@" >/dev/null
}

make_ns() { # NS
  local ns=$1
  tb_ns_exists "$ns" || ip netns add "$ns"
  # Only 198.18.0.0/15 lives here: no IPv6 at all (not even link-local), set before any veth appears.
  sysctl_in "$ns" net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$ns" link set lo up
}

has_link() { ip -n "$1" link show dev "$2" >/dev/null 2>&1; }

make_veth() { # NS_A IF_A NS_B IF_B
  local na=$1 ia=$2 nb=$3 ib=$4
  if has_link "$na" "$ia" && has_link "$nb" "$ib"; then
    return 0
  fi
  # Half a pair (from an interrupted run): remove it and make the pair again.
  if has_link "$na" "$ia"; then ip -n "$na" link del dev "$ia"; fi
  if has_link "$nb" "$ib"; then ip -n "$nb" link del dev "$ib"; fi
  ip link add name "$ia" netns "$na" type veth peer name "$ib" netns "$nb"
}

addr() { # NS IF ADDR/LEN
  ip -n "$1" addr replace "$3" dev "$2"
  ip -n "$1" link set dev "$2" up
}

# rp_filter: effective value is max(all, interface), so set all, default and each interface.
rp_filter() { # NS VALUE IF...
  local ns=$1 val=$2; shift 2
  local keys=("net.ipv4.conf.all.rp_filter=$val" "net.ipv4.conf.default.rp_filter=$val")
  local i
  for i in "$@"; do keys+=("net.ipv4.conf.$i.rp_filter=$val"); done
  sysctl_in "$ns" "${keys[@]}"
}

len() { echo "${1#*/}"; } # prefix length of a CIDR

for ns in $TB_NAMESPACES; do make_ns "$ns"; done

# --- wiring -------------------------------------------------------------------------------------
make_veth "$TB_NS_LAN"  "$TB_LAN_IF"     "$TB_NS_GW"   "$TB_GW_IF_LAN"
make_veth "$TB_NS_GW"   "$TB_GW_IF_WAN1" "$TB_NS_ISP1" "$TB_ISP_IF_CPE"
make_veth "$TB_NS_GW"   "$TB_GW_IF_WAN2" "$TB_NS_ISP2" "$TB_ISP_IF_CPE"
make_veth "$TB_NS_ISP1" "$TB_ISP_IF_UP"  "$TB_NS_INET" isp1
make_veth "$TB_NS_ISP2" "$TB_ISP_IF_UP"  "$TB_NS_INET" isp2

# --- LAN client ---------------------------------------------------------------------------------
addr "$TB_NS_LAN" "$TB_LAN_IF" "$TB_LAN_CLIENT/$(len "$TB_LAN_NET")"
ip -n "$TB_NS_LAN" route replace default via "$TB_GW_LAN" dev "$TB_LAN_IF"
rp_filter "$TB_NS_LAN" 1 "$TB_LAN_IF"

# --- gateway box --------------------------------------------------------------------------------
addr "$TB_NS_GW" "$TB_GW_IF_LAN"  "$TB_GW_LAN/$(len "$TB_LAN_NET")"
addr "$TB_NS_GW" "$TB_GW_IF_WAN1" "$TB_GW_WAN1/$(len "$TB_WAN1_NET")"
addr "$TB_NS_GW" "$TB_GW_IF_WAN2" "$TB_GW_WAN2/$(len "$TB_WAN2_NET")"
# Per-uplink tables: a socket bound to a WAN address leaves through that WAN.
ip -n "$TB_NS_GW" route replace "$TB_WAN1_NET" dev "$TB_GW_IF_WAN1" src "$TB_GW_WAN1" table "$TB_GW_TABLE1"
ip -n "$TB_NS_GW" route replace default via "$TB_ISP1_CPE" dev "$TB_GW_IF_WAN1" table "$TB_GW_TABLE1"
ip -n "$TB_NS_GW" route replace "$TB_WAN2_NET" dev "$TB_GW_IF_WAN2" src "$TB_GW_WAN2" table "$TB_GW_TABLE2"
ip -n "$TB_NS_GW" route replace default via "$TB_ISP2_CPE" dev "$TB_GW_IF_WAN2" table "$TB_GW_TABLE2"
# Unbound sockets use the main table: default via ISP1.
ip -n "$TB_NS_GW" route replace default via "$TB_ISP1_CPE" dev "$TB_GW_IF_WAN1"
set_rule() { # PREF FROM TABLE: exactly one rule at PREF
  local n
  for n in 1 2 3 4 5 6 7 8; do
    ip -n "$TB_NS_GW" rule del pref "$1" 2>/dev/null || break
    : "$n"
  done
  ip -n "$TB_NS_GW" rule add pref "$1" from "$2" table "$3"
}
set_rule 1101 "$TB_GW_WAN1" "$TB_GW_TABLE1"
set_rule 1102 "$TB_GW_WAN2" "$TB_GW_TABLE2"
# Loose rp_filter: a multi-homed host legitimately receives on either WAN.
rp_filter "$TB_NS_GW" 2 "$TB_GW_IF_LAN" "$TB_GW_IF_WAN1" "$TB_GW_IF_WAN2"
# By default a proxy, not a router: LAN packets are never forwarded (the LAN reaches the internet only via
# the proxy). With forwarding the box routes the LAN by its main table (default via ISP1) and masquerades
# LAN sources to the WAN address they leave by (the ISPs drop foreign sources): what a transparent
# gateway falls back to when no listener takes a connection, and the "kernel alone" comparison.
# The table is replaced whole (atomic `nft -f`), or deleted; never anyone else's.
if [ "$forward" = 1 ]; then
  ip netns exec "$TB_NS_GW" nft -f - <<NFT
table ip gwtb_gw {}
delete table ip gwtb_gw
table ip gwtb_gw {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr $TB_LAN_NET oifname "$TB_GW_IF_WAN1" counter masquerade
    ip saddr $TB_LAN_NET oifname "$TB_GW_IF_WAN2" counter masquerade
  }
}
NFT
  sysctl_in "$TB_NS_GW" net.ipv4.ip_forward=1
else
  sysctl_in "$TB_NS_GW" net.ipv4.ip_forward=0
  ip netns exec "$TB_NS_GW" nft -f - <<NFT
table ip gwtb_gw {}
delete table ip gwtb_gw
NFT
fi

# --- ISP routers --------------------------------------------------------------------------------
isp() { # NS WAN_NET CPE_ADDR NAT_ADDR INET_NET INET_PEER
  local ns=$1 wan_net=$2 cpe=$3 nat=$4 inet_net=$5 peer=$6
  addr "$ns" "$TB_ISP_IF_CPE" "$cpe/$(len "$wan_net")"
  addr "$ns" "$TB_ISP_IF_UP"  "$nat/$(len "$inet_net")"
  ip -n "$ns" route replace default via "$peer" dev "$TB_ISP_IF_UP"
  sysctl_in "$ns" net.ipv4.ip_forward=1
  # Strict rp_filter plus an explicit rule: like a real ISP, drop customer packets with a foreign source.
  rp_filter "$ns" 1 "$TB_ISP_IF_CPE" "$TB_ISP_IF_UP"
  ip netns exec "$ns" nft -f - <<NFT
table ip gwtb_isp {}
delete table ip gwtb_isp
table ip gwtb_isp {
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "$TB_ISP_IF_CPE" ip saddr != $wan_net counter drop comment "anti-spoofing (BCP 38)"
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "$TB_ISP_IF_UP" counter masquerade
  }
}
NFT
}
isp "$TB_NS_ISP1" "$TB_WAN1_NET" "$TB_ISP1_CPE" "$TB_ISP1_NAT" "$TB_ISP1_INET_NET" "$TB_INET_ISP1"
isp "$TB_NS_ISP2" "$TB_WAN2_NET" "$TB_ISP2_CPE" "$TB_ISP2_NAT" "$TB_ISP2_INET_NET" "$TB_INET_ISP2"

# --- the internet -------------------------------------------------------------------------------
addr "$TB_NS_INET" isp1 "$TB_INET_ISP1/$(len "$TB_ISP1_INET_NET")"
addr "$TB_NS_INET" isp2 "$TB_INET_ISP2/$(len "$TB_ISP2_INET_NET")"
# The whole origin prefix on lo: every address in it is local (answers ping; origin.py binds two of them).
ip -n "$TB_NS_INET" addr replace "$TB_ORIGIN/$(len "$TB_ORIGIN_NET")" dev lo
sysctl_in "$TB_NS_INET" net.ipv4.ip_forward=0
rp_filter "$TB_NS_INET" 1 isp1 isp2

if [ "$forward" = 1 ]; then
  echo "up.sh: testbed up: $TB_NAMESPACES (gateway forwards the LAN: ip_forward=1, masquerade out $TB_GW_IF_WAN1/$TB_GW_IF_WAN2)"
else
  echo "up.sh: testbed up: $TB_NAMESPACES"
fi
