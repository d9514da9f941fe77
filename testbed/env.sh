# shellcheck shell=bash
# Source this file: `. testbed/env.sh`. It exports every TB_* value of addresses.properties,
# plus the namespace names (from TB_NS_PREFIX, default "gwtb-") and TB_TMPDIR (origin log, pid files).
# It changes nothing on the machine.

TB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export TB_DIR

set -a
# shellcheck source=addresses.properties
. "$TB_DIR/addresses.properties"
set +a

export TB_NS_PREFIX="${TB_NS_PREFIX:-gwtb-}"
case "$TB_NS_PREFIX" in
  gwtb-*) ;;
  *) echo "env.sh: TB_NS_PREFIX must start with gwtb- (got '$TB_NS_PREFIX')" >&2; return 2 ;;
esac
export TB_NS_LAN="${TB_NS_PREFIX}lan"
export TB_NS_GW="${TB_NS_PREFIX}gw"
export TB_NS_ISP1="${TB_NS_PREFIX}isp1"
export TB_NS_ISP2="${TB_NS_PREFIX}isp2"
export TB_NS_INET="${TB_NS_PREFIX}inet"
export TB_NAMESPACES="$TB_NS_LAN $TB_NS_GW $TB_NS_ISP1 $TB_NS_ISP2 $TB_NS_INET"

# Runtime files (origin log and pid). Override TB_TMPDIR to keep a test's log apart.
export TB_TMPDIR="${TB_TMPDIR:-${TMPDIR:-/tmp}/${TB_NS_PREFIX}testbed}"
export TB_ORIGIN_LOG="$TB_TMPDIR/origin.log"
export TB_ORIGIN_PID="$TB_TMPDIR/origin.pid"

# Helpers for the testbed scripts.
tb_ns_exists() { [ -e "/run/netns/$1" ]; }
tb_in() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
tb_isp_ns() {
  case "$1" in
    isp1|1) echo "$TB_NS_ISP1" ;;
    isp2|2) echo "$TB_NS_ISP2" ;;
    *) return 1 ;;
  esac
}
