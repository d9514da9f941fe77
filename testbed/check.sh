#!/usr/bin/env bash
# Smoke test of the testbed wiring and faults. Brings the testbed up (idempotent), starts the origin,
# runs bounded checks, heals all faults, prints a PASS/FAIL summary and exits non-zero on any failure.
#   check.sh          leave the testbed and origin running afterwards
#   check.sh --down   tear everything down afterwards
# TB_GW_FORWARD=1 check.sh builds the forwarding gateway (up.sh --forward) and checks that the LAN reaches
# the origin without a proxy, through ISP1's NAT; by default it checks that the LAN cannot.
set -uo pipefail
# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

teardown=0
[ "${1:-}" = --down ] && teardown=1

"$TB_DIR/up.sh" || { echo "FAIL: up.sh"; exit 1; }
"$TB_DIR/origin-start.sh" || { echo "FAIL: origin-start.sh"; exit 1; }
"$TB_DIR/fault.sh" all heal >/dev/null

# shellcheck disable=SC2317 # invoked by the EXIT trap
finish() {
  "$TB_DIR/fault.sh" all heal >/dev/null 2>&1 || true
  if [ "$teardown" = 1 ]; then "$TB_DIR/down.sh" >/dev/null; fi
}
trap finish EXIT

passed=0 failed=0
ok()  { passed=$((passed + 1)); echo "  PASS  $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $1${2:+ ($2)}"; }
section() { echo "== $1"; }

gw() { ip netns exec "$TB_NS_GW" "$@"; }
fault() { "$TB_DIR/fault.sh" "$@" >/dev/null; }

# whoami FROM_ADDR [DEST]: prints the body; exit status is curl's (28 = timed out). At most 2 s.
whoami() {
  local iface=(--interface "$1")
  [ "$1" = - ] && iface=()
  gw curl -sS --max-time 2 "${iface[@]}" "http://${2:-$TB_ORIGIN}:$TB_ORIGIN_HTTP_PORT/whoami" 2>/dev/null
}
expect_whoami() { # NAME FROM_ADDR EXPECTED [DEST]
  local got rc
  got=$(whoami "$2" "${4:-}"); rc=$?
  if [ "$rc" = 0 ] && [ "$got" = "$3" ]; then ok "$1: origin saw $got"; else bad "$1" "curl rc=$rc body='$got', want '$3'"; fi
}
expect_timeout() { # NAME FROM_ADDR
  local got rc
  got=$(whoami "$2"); rc=$?
  if [ "$rc" = 28 ]; then ok "$1: timed out after 2 s"; else bad "$1" "curl rc=$rc body='$got', want timeout (28)"; fi
}
expect_fail() { # NAME FROM_ADDR
  local got rc
  got=$(whoami "$2"); rc=$?
  if [ "$rc" != 0 ]; then ok "$1: curl failed (rc=$rc)"; else bad "$1" "curl succeeded: '$got'"; fi
}
# received NS FROM_ADDR DEST COUNT: number of echo replies; COUNT pings 20 ms apart, 1 s wait for the last.
received() {
  ip netns exec "$1" ping -n -q -c "$4" -i 0.02 -W 1 -I "$2" "$3" 2>/dev/null |
    sed -n 's/.* \([0-9]\+\) received.*/\1/p'
}
expect_ping() { # NAME NS FROM_ADDR DEST yes|no
  local r
  r=$(received "$2" "$3" "$4" 1); r=${r:-0}
  if { [ "$5" = yes ] && [ "$r" = 1 ]; } || { [ "$5" = no ] && [ "$r" = 0 ]; }; then
    ok "$1"
  else
    bad "$1" "received $r of 1"
  fi
}

section "wiring"
expect_ping "LAN client pings the gateway's LAN address" "$TB_NS_LAN" "$TB_LAN_CLIENT" "$TB_GW_LAN" yes
expect_ping "gateway pings modem 1" "$TB_NS_GW" "$TB_GW_WAN1" "$TB_ISP1_CPE" yes
expect_ping "gateway pings modem 2" "$TB_NS_GW" "$TB_GW_WAN2" "$TB_ISP2_CPE" yes
expect_ping "probe target via WAN1" "$TB_NS_GW" "$TB_GW_WAN1" "$TB_PROBE_TARGET" yes
expect_ping "probe target via WAN2" "$TB_NS_GW" "$TB_GW_WAN2" "$TB_PROBE_TARGET" yes
expect_whoami "bound to WAN1 -> ISP1 NAT" "$TB_GW_WAN1" "$TB_ISP1_NAT"
expect_whoami "bound to WAN2 -> ISP2 NAT" "$TB_GW_WAN2" "$TB_ISP2_NAT"
expect_whoami "unbound (main table) -> ISP1 NAT" - "$TB_ISP1_NAT"
expect_whoami "second origin address via WAN2" "$TB_GW_WAN2" "$TB_ISP2_NAT" "$TB_ORIGIN2"
body=$(gw curl -sS --max-time 2 --interface "$TB_GW_WAN2" "http://$TB_ORIGIN:$TB_ORIGIN_RAW_PORT/whoami" 2>/dev/null)
if [ "$body" = "$TB_ISP2_NAT" ]; then ok "raw port :$TB_ORIGIN_RAW_PORT answers HTTP"; else bad "raw port HTTP" "body='$body'"; fi
# shellcheck disable=SC2016 # expanded by the inner bash
echo_line=$(gw timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "gwtb-echo\n" >&3 && read -r -t 2 l <&3 && echo "$l"' \
  "$TB_ORIGIN" "$TB_ORIGIN_RAW_PORT" 2>/dev/null)
if [ "$echo_line" = gwtb-echo ]; then ok "raw port :$TB_ORIGIN_RAW_PORT echoes"; else bad "raw port echo" "got '$echo_line'"; fi
body=$(gw curl -sSk --max-time 2 --interface "$TB_GW_WAN2" \
  --resolve "$TB_ORIGIN_TLS_NAME:$TB_ORIGIN_TLS_PORT:$TB_ORIGIN" "https://$TB_ORIGIN_TLS_NAME:$TB_ORIGIN_TLS_PORT/whoami" 2>/dev/null)
if [ "$body" = "$TB_ISP2_NAT" ]; then ok "tls port :$TB_ORIGIN_TLS_PORT answers HTTPS"; else bad "tls port HTTPS" "body='$body'"; fi
sni=$(grep "event=tls .*src=$TB_ISP2_NAT " "$TB_ORIGIN_LOG" | tail -n 1)
if [[ "$sni" == *" sni=$TB_ORIGIN_TLS_NAME "* ]]; then ok "origin logs the SNI $TB_ORIGIN_TLS_NAME"; else bad "SNI in the origin log" "'$sni'"; fi
# shellcheck disable=SC2016 # expanded by the inner bash
echo_lines=$(gw timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && read -r -t 2 a <&3 && printf "gwtb-echo\n" >&3 && read -r -t 2 b <&3 && echo "$a $b"' \
  "$TB_ORIGIN" "$TB_ORIGIN_ECHO_PORT" 2>/dev/null)
if [ "$echo_lines" = "$TB_ISP1_NAT gwtb-echo" ]; then ok "echo port :$TB_ORIGIN_ECHO_PORT names the source, then echoes"; else bad "echo port" "got '$echo_lines'"; fi
n1=$(grep -c "event=accept .*src=$TB_ISP1_NAT " "$TB_ORIGIN_LOG"); n2=$(grep -c "event=accept .*src=$TB_ISP2_NAT " "$TB_ORIGIN_LOG")
if [ "$n1" -ge 1 ] && [ "$n2" -ge 1 ]; then ok "origin log counts sources: ISP1=$n1 ISP2=$n2"; else bad "origin log" "ISP1=$n1 ISP2=$n2"; fi
got=$(ip netns exec "$TB_NS_LAN" curl -sS --max-time 2 "http://$TB_ORIGIN/whoami" 2>/dev/null); rc=$?
if [ "$(gw sysctl -n net.ipv4.ip_forward)" = 1 ]; then
  if [ "$rc" = 0 ] && [ "$got" = "$TB_ISP1_NAT" ]; then
    ok "LAN client reaches the origin without a proxy (gateway forwards, NAT via ISP1)"
  else
    bad "LAN forwarding" "curl rc=$rc body='$got', want '$TB_ISP1_NAT'"
  fi
else
  if [ "$rc" != 0 ]; then ok "LAN client cannot bypass the proxy (gateway does not forward)"; else bad "LAN bypass" "got '$got'"; fi
fi

section "blackhole isp1"
fault isp1 blackhole
expect_timeout "WAN1 to origin" "$TB_GW_WAN1"
expect_whoami "WAN2 still works" "$TB_GW_WAN2" "$TB_ISP2_NAT"
expect_ping "modem 1 still answers (live modem, dead ISP)" "$TB_NS_GW" "$TB_GW_WAN1" "$TB_ISP1_CPE" yes
expect_ping "ISP1's internet side is silent" "$TB_NS_GW" "$TB_GW_WAN1" "$TB_ISP1_NAT" no
expect_ping "probe target via WAN1 is lost" "$TB_NS_GW" "$TB_GW_WAN1" "$TB_PROBE_TARGET" no
fault isp1 heal
expect_whoami "heal: WAN1 works again" "$TB_GW_WAN1" "$TB_ISP1_NAT"

section "blackhole isp2"
fault isp2 blackhole
expect_timeout "WAN2 to origin" "$TB_GW_WAN2"
expect_whoami "WAN1 still works" "$TB_GW_WAN1" "$TB_ISP1_NAT"
fault isp2 heal
expect_whoami "heal: WAN2 works again" "$TB_GW_WAN2" "$TB_ISP2_NAT"

section "loss 30 on isp1 (each direction)"
fault isp1 loss 30
r1=$(received "$TB_NS_GW" "$TB_GW_WAN1" "$TB_PROBE_TARGET" 50); r1=${r1:-0}
r2=$(received "$TB_NS_GW" "$TB_GW_WAN2" "$TB_PROBE_TARGET" 50); r2=${r2:-0}
if [ "$r1" -gt 0 ] && [ "$r1" -lt 50 ]; then ok "WAN1: $r1/50 replies (some loss, expected ~25)"; else bad "WAN1 loss" "$r1/50 replies"; fi
if [ "$r2" -eq 50 ]; then ok "WAN2: $r2/50 replies (no loss)"; else bad "WAN2 no loss" "$r2/50 replies"; fi
fault isp1 heal
r1=$(received "$TB_NS_GW" "$TB_GW_WAN1" "$TB_PROBE_TARGET" 50); r1=${r1:-0}
if [ "$r1" -eq 50 ]; then ok "heal: WAN1 $r1/50 replies"; else bad "heal after loss" "$r1/50 replies"; fi

section "linkdown isp1"
fault isp1 linkdown
# (grep on captured text: `cmd | grep -q` under pipefail fails when grep exits early and cmd gets SIGPIPE)
link=$(gw ip link show dev "$TB_GW_IF_WAN1")
if [[ "$link" == *NO-CARRIER* ]]; then ok "gateway's $TB_GW_IF_WAN1 has no carrier"; else bad "no carrier on $TB_GW_IF_WAN1"; fi
routes=$(gw ip route show table "$TB_GW_TABLE1")
if [[ "$routes" =~ (^|$'\n')default[^$'\n']*linkdown ]]; then
  ok "table $TB_GW_TABLE1 default route stays (marked linkdown)"
else
  bad "table $TB_GW_TABLE1 default route" "${routes//$'\n'/; }"
fi
expect_fail "WAN1 to origin" "$TB_GW_WAN1"
expect_ping "modem 1 unreachable" "$TB_NS_GW" "$TB_GW_WAN1" "$TB_ISP1_CPE" no
expect_whoami "WAN2 still works" "$TB_GW_WAN2" "$TB_ISP2_NAT"
fault isp1 heal
for _ in 1 2 3 4 5 6 7 8 9 10; do # carrier and ARP: up to ~2 s
  [ "$(whoami "$TB_GW_WAN1")" = "$TB_ISP1_NAT" ] && break
  sleep 0.2
done
expect_whoami "heal: WAN1 works again" "$TB_GW_WAN1" "$TB_ISP1_NAT"
expect_whoami "heal: WAN2 works" "$TB_GW_WAN2" "$TB_ISP2_NAT"

echo "== summary: $passed passed, $failed failed"
if [ "$failed" -eq 0 ]; then echo "PASS"; exit 0; fi
echo "FAIL"; exit 1
