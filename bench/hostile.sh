#!/usr/bin/env bash
# Memory under hostile origins and clients: Squid 5 vs the gateway. See bench/README.md.
#
#   bench/hostile.sh [--rounds N] [--duration S] [--targets squid,gateway]
#                    [--scenarios endless,interim,idle,vary] [--clients N] [--idle-clients N]
#                    [--vary-requests N] [--vary-seconds S] [--key-bytes B] [--quiet-wait S]
#                    [--jar FILE] [--baseline-jar FILE] [--out FILE]
#
# --baseline-jar FILE adds the target `baseline`: the gateway target run from an older build, measured
# in the same rounds (after gateway in the default target list).
#
# Every run starts a fresh proxy with an empty cache, so its VmHWM is that scenario's peak. Everything
# it starts (the origin, Squid, the gateway, clients, samplers) runs under its own PID and is stopped by
# that PID. It never touches the system's squid service or config. Not part of CI or the unit tests.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"

ROUNDS=3
DURATION=15
TARGETS="squid,gateway"
SCENARIOS="endless,interim,idle,vary"
CLIENTS=50                              # endless and interim: clients that stop reading
IDLE_CLIENTS=2000
IDLE_SOURCES=10                         # source addresses 127.0.1.1 ...: 200 connections each
VARY_REQUESTS=10000
VARY_SECONDS=60                         # the Vary run ends at VARY_REQUESTS or after this
KEY_BYTES=8192
QUIET_WAIT=10                           # seconds a run may wait for other work on the machine to calm
QUIET_LIMIT=15                          # ... down to this share of all CPUs, in %
JAR="$ROOT/gateway-app/target/gateway.jar"
BASELINE_JAR=""                         # --baseline-jar: an older build, the target `baseline`
TARGETS_GIVEN=0
OUT="$ROOT/docs/BENCHMARKS.md"
PROBE_TIMEOUT=10                        # a normal request slower than this: the proxy does not answer
SETTLE=2                                # seconds before the idle and the end readings
PAUSE=2                                 # seconds between runs
LOAD_CPU="${LOAD_CPU:-0}"               # the origin and the clients
PROXY_CPU="${PROXY_CPU:-1}"             # the proxy under test
# As README.md runs it: a bounded heap, and direct memory for the default 256 MiB memory cache.
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC -XX:MaxDirectMemorySize=342m}"

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --targets) TARGETS="$2"; TARGETS_GIVEN=1; shift 2 ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --idle-clients) IDLE_CLIENTS="$2"; shift 2 ;;
    --vary-requests) VARY_REQUESTS="$2"; shift 2 ;;
    --vary-seconds) VARY_SECONDS="$2"; shift 2 ;;
    --key-bytes) KEY_BYTES="$2"; shift 2 ;;
    --quiet-wait) QUIET_WAIT="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --baseline-jar) BASELINE_JAR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

for n in "$ROUNDS" "$DURATION" "$CLIENTS" "$IDLE_CLIENTS" "$VARY_REQUESTS" "$VARY_SECONDS" "$KEY_BYTES" \
    "$QUIET_WAIT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "not a number: $n" >&2; exit 2; }
done
[ "$IDLE_CLIENTS" -le $(( IDLE_SOURCES * 250 )) ] \
  || { echo "--idle-clients at most $(( IDLE_SOURCES * 250 )) (250 per source address)" >&2; exit 2; }
with_baseline
IFS=',' read -r -a TARGET_LIST <<< "$TARGETS"
for t in "${TARGET_LIST[@]}"; do
  case "$t" in squid|gateway|baseline) ;; *) echo "unknown target: $t" >&2; exit 2 ;; esac
done
IFS=',' read -r -a SCENARIO_LIST <<< "$SCENARIOS"
for s in "${SCENARIO_LIST[@]}"; do
  case "$s" in endless|interim|idle|vary) ;; *) echo "unknown scenario: $s" >&2; exit 2 ;; esac
done
has_target() { [[ ",$TARGETS," == *",$1,"* ]]; }

need taskset util-linux
need python3 python3
has_target squid && need squid squid
if has_target gateway; then
  [ -f "$JAR" ] || { echo "no gateway jar at $JAR: build it (mvn -q -DskipTests package)" >&2; exit 1; }
fi
if has_target gateway || has_target baseline; then
  need java openjdk-17-jre-headless
  command -v jcmd >/dev/null || echo "warning: no jcmd (openjdk-17-jdk-headless): no live-heap figures" >&2
fi

setup_pinning
begin_run "hostile-"

# Bounded in time: a watchdog ends the run if it takes far longer than planned (per run: start-up,
# probes, settling, jcmd and the stop, each bounded below).
longest=$(( DURATION > VARY_SECONDS ? DURATION : VARY_SECONDS ))
per_run=$(( longest + QUIET_WAIT + 2 * PROBE_TIMEOUT + 2 * SETTLE + PAUSE + 240 ))
BUDGET=$(( ROUNDS * ${#TARGET_LIST[@]} * ${#SCENARIO_LIST[@]} * per_run + 120 ))
start_watchdog "$BUDGET"

read -r ORIGIN_PORT <<< "$(free_ports 1)"
ORIGIN="127.0.0.1:$ORIGIN_PORT"
HOSTILE=(python3 "$HERE/lib/hostile.py")

# ---- the origin: endless bodies, endless interim responses, no answer at all, Vary, and /ok -----------
"${PIN_LOAD[@]}" "${HOSTILE[@]}" origin --port "$ORIGIN_PORT" --conn-seconds $(( DURATION + 120 )) \
  2>"$TMP/origin.err" &
ORIGIN_PID=$!
PIDS+=("$ORIGIN_PID")
wait_port "$ORIGIN_PORT" "$ORIGIN_PID" origin 10

# ---- the proxies: a fresh one, with an empty cache, for every run -------------------------------------
start_target() {  # start_target TARGET: sets PROXY_PID and PROXY_PORT
  local admin
  read -r PROXY_PORT admin <<< "$(free_ports 2)"
  case "$1" in
    squid)
      rm -rf "$TMP/squid"
      # Clients come from 127.0.1.x too (the idle scenario): Squid's `localhost` is 127.0.0.1 only.
      start_squid "$PROXY_PORT" "cache_mem 256 MB
maximum_object_size 4 MB
cache_dir ufs $TMP/squid/cache 1024 16 16" "127.0.0.0/8"
      PROXY_PID="$SQUID_PID" ;;
    gateway|baseline)                   # baseline: the same from an older jar, in its own temp dir
      rm -rf "${TMP:?}/$1"
      mkdir -p "$TMP/$1"
      cat > "$TMP/$1/gateway.conf" <<EOF
# Generated by bench/hostile.sh: loopback only, no uplinks configured, the default 256 MiB memory
# cache and a disk cache in the temp dir.
listen = "127.0.0.1:$PROXY_PORT"
admin.listen = "127.0.0.1:$admin"
clients.allow = ["127.0.0.0/8"]
uplinks = []
cache.memory = 256MiB
cache.disk.path = "$TMP/$1/cache"
cache.disk.size = 1GiB
health.targets = ["tcp://$ORIGIN"]
log.access = "$TMP/$1/access.log"
shutdown.drain = 2s
EOF
      start_gateway "$PROXY_PORT" "$TMP/$1/gateway.conf" "$1"
      if [ "$1" = baseline ]; then PROXY_PID="$BASE_PID"; else PROXY_PID="$GW_PID"; fi ;;
  esac
}

probe() {  # probe: "STATUS MS" of one normal request through the proxy, or "failed -"
  local line
  line="$("${PIN_LOAD[@]}" timeout -k 5 $(( PROBE_TIMEOUT + 5 )) "${HOSTILE[@]}" probe \
    --proxy "127.0.0.1:$PROXY_PORT" --url "http://$ORIGIN/ok?probe=$RANDOM" --timeout "$PROBE_TIMEOUT" \
    2>>"$TMP/probe.err" || true)"
  if [ -n "$(field status "$line")" ]; then echo "$(field status "$line") $(field ms "$line")"
  else echo "failed -"; fi
}

live_heap() {  # live_heap PID: heap in use after a full GC (jcmd GC.run, then GC.heap_info), KiB
  command -v jcmd >/dev/null || { echo "-"; return; }
  "${PIN_LOAD[@]}" timeout -k 5 30 jcmd "$1" GC.run >/dev/null 2>&1 || { echo "-"; return; }
  "${PIN_LOAD[@]}" timeout -k 5 30 jcmd "$1" GC.heap_info 2>/dev/null | awk '
    /Metaspace|class space/ { next }
    /total [0-9]+K, used [0-9]+K/ { match($0, /used [0-9]+K/); used += substr($0, RSTART + 5, RLENGTH - 6); n++ }
    END { if (n) print used; else print "-" }' || echo "-"
}

wait_ready() {  # wait_ready PID: until the hold client says READY (at most 60 s) or exits
  local deadline=$(( SECONDS + 60 ))
  until grep -q '^READY' "$TMP/client.out" 2>/dev/null; do
    kill -0 "$1" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ] || { echo "client not ready" >&2; return 0; }
    sleep 0.2
  done
}

# The hostile clients of each scenario; the hold scenarios keep their connections until stopped.
client_cmd() {  # client_cmd SCENARIO: sets CLIENT (the command)
  local proxy="127.0.0.1:$PROXY_PORT" max=$(( DURATION + PROBE_TIMEOUT + 90 ))
  case "$1" in
    endless) CLIENT=(hold --proxy "$proxy" --url "http://$ORIGIN/endless" --clients "$CLIENTS" --read head
                     --max-seconds "$max") ;;
    interim) CLIENT=(hold --proxy "$proxy" --url "http://$ORIGIN/interim" --clients "$CLIENTS" --read none
                     --max-seconds "$max") ;;
    idle) CLIENT=(idle --proxy "$proxy" --origin "$ORIGIN" --clients "$IDLE_CLIENTS" --sources "$IDLE_SOURCES"
                  --max-seconds "$max") ;;
    vary) CLIENT=(vary --proxy "$proxy" --origin "$ORIGIN" --requests "$VARY_REQUESTS" --key-bytes "$KEY_BYTES"
                  --max-seconds "$VARY_SECONDS") ;;
  esac
}

printf 'round\tscenario\ttarget\tpeak_kib\tmax_kib\tend_kib\tbase_kib\theap_kib\tbase_ms\tduring_status\tduring_ms\tafter_status\tafter_ms\talive\tload1\tbusy_pct\tclient\n' \
  > "$RESULTS"

measure() {  # measure ROUND SCENARIO TARGET
  local r="$1" s="$2" t="$3" busy=- load1 base base_ms during="- -" after end peak max heap=- alive line cpid
  [ "$QUIET_WAIT" -gt 0 ] && busy="$(wait_quiet "$QUIET_WAIT" "$QUIET_LIMIT")"
  load1="$(cut -d' ' -f1 /proc/loadavg)"
  start_target "$t"
  read -r _ base_ms <<< "$(probe)"     # one normal request first: the idle proxy has served one
  sleep "$SETTLE"
  base="$(rss "$PROXY_PID")"
  start_sampler "$PROXY_PID" "$TMP/rss.samples"
  client_cmd "$s"
  if [ "$s" = vary ]; then
    line="$("${PIN_LOAD[@]}" timeout -k 5 $(( VARY_SECONDS + 60 )) "${HOSTILE[@]}" "${CLIENT[@]}" 2>"$TMP/client.err" \
      || true)"
  else
    rm -f "$TMP/client.out"             # wait_ready must not see the last run's READY
    "${PIN_LOAD[@]}" timeout -k 5 $(( DURATION + PROBE_TIMEOUT + 100 )) "${HOSTILE[@]}" "${CLIENT[@]}" \
      >"$TMP/client.out" 2>"$TMP/client.err" &
    cpid=$!
    PIDS+=("$cpid")
    wait_ready "$cpid"                  # every connection open: the held time starts
    sleep "$DURATION"
    during="$(probe)"                   # the hostile clients still hold their connections
    stop_process "$cpid" 20             # they print what they saw and close
    line="$(grep '^RESULT' "$TMP/client.out" || true)"
  fi
  [ -n "$line" ] || { line="RESULT failed=1"; cat "$TMP/client.err" >&2; }
  sleep "$SETTLE"
  after="$(probe)"
  end="$(rss "$PROXY_PID")"
  peak="$(hwm "$PROXY_PID")"
  max="$(stop_sampler "$TMP/rss.samples")"
  if kill -0 "$PROXY_PID" 2>/dev/null; then alive=yes; else alive=no; fi
  is_gateway "$t" && [ "$alive" = yes ] && heap="$(live_heap "$PROXY_PID")"
  stop_process "$PROXY_PID" 15
  line="${line#RESULT }"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$s" "$t" "$peak" \
    "$max" "$end" "$base" "$heap" "${base_ms:--}" ${during} ${after} "$alive" "$load1" "$busy" "$line" \
    >> "$RESULTS"
  printf '  round %s %-7s %-7s peak=%s end=%s idle=%s heap=%s KiB; during=%s after=%s alive=%s load1=%s: %s\n' \
    "$r" "$s" "$t" "$peak" "$end" "$base" "$heap" "${during// /\/}" "${after// /\/}" "$alive" "$load1" \
    "$line" >&2
  sleep "$PAUSE"
}

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "origin $ORIGIN; $ROUNDS rounds of ${SCENARIOS} on ${TARGETS}, ${DURATION}s each" >&2
# Interleaved rounds (common.sh): each round runs every scenario on every target in turn.
run_rounds "${SCENARIO_LIST[@]}"

# Machine and method facts for the report.
{
  machine_meta
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo -)"
  # Changes outside bench/ and docs/ would change what is measured.
  echo "dirty=$(git -C "$ROOT" status --porcelain -- . ':!bench' ':!docs' 2>/dev/null | wc -l)"
  echo "load_start=$LOAD_START"
  echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rounds=$ROUNDS"
  echo "duration=$DURATION"
  echo "targets=$TARGETS"
  echo "scenarios=$SCENARIOS"
  echo "clients=$CLIENTS"
  echo "idle_clients=$IDLE_CLIENTS"
  echo "idle_sources=$IDLE_SOURCES"
  echo "vary_requests=$VARY_REQUESTS"
  echo "vary_seconds=$VARY_SECONDS"
  echo "key_bytes=$KEY_BYTES"
  echo "probe_timeout=$PROBE_TIMEOUT"
  echo "settle=$SETTLE"
  echo "quiet_wait=$QUIET_WAIT"
  echo "quiet_limit=$QUIET_LIMIT"
  echo "load_cpu=$LOAD_CPU"
  echo "proxy_cpu=$PROXY_CPU"
  echo "java_opts=${GATEWAY_JAVA_OPTS:-(none)}"
  if has_target baseline; then
    has_target gateway && echo "gateway_jar=$(jar_meta "$JAR")"
    echo "baseline_jar=$(jar_meta "$BASELINE_JAR")"
  fi
} > "$TMP/meta.txt"

mkdir -p "$(dirname "$OUT")"
python3 "$HERE/lib/hostile_report.py" "$RESULTS" "$TMP/meta.txt" "$OUT"
echo "wrote $OUT" >&2
