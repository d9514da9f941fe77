#!/usr/bin/env bash
# Cache benchmark: hits from Squid 5's memory cache vs hits from the gateway's, with origin-direct as
# the ceiling. See bench/README.md.
#
#   bench/cache.sh [--rounds N] [--duration S] [--targets direct,squid,gateway] [--warmup S]
#                  [--connections C] [--big-bytes B] [--gateway-disk] [--quiet-wait S] [--jar FILE]
#                  [--baseline-jar FILE] [--out FILE]
#
# --baseline-jar FILE adds the target `baseline`: the gateway target run from an older build, measured
# in the same rounds (after gateway in the default target list).
#
# Everything it starts (nginx, Squid, the gateway, samplers) runs under its own PID and is stopped by
# that PID on exit. It never touches the system's squid or nginx service or config.
# Not part of CI or the unit tests.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"

ROUNDS=3
DURATION=10
TARGETS="direct,squid,gateway"
WARMUP=10
CONNS=64
BIG_BYTES=$((2 << 30))                  # bytes of the 64 MiB object read per run (32 responses)
GATEWAY_DISK=0
QUIET_WAIT=20                           # seconds a run may wait for other work on the machine to calm
QUIET_LIMIT=15                          # ... down to this share of all CPUs, in %
JAR="$ROOT/gateway-app/target/gateway.jar"
BASELINE_JAR=""                         # --baseline-jar: an older build, the target `baseline`
TARGETS_GIVEN=0
OUT="$ROOT/docs/BENCHMARKS.md"
PAUSE=2                                 # seconds between runs (lets TIME_WAIT and the CPU settle)
LOAD_CPU="${LOAD_CPU:-0}"               # wrk, the large-object client and the origin
PROXY_CPU="${PROXY_CPU:-1}"             # the proxy under test
# The direct-memory limit must leave room for cache.memory (1 GiB): bodies live in direct buffers.
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC -XX:MaxDirectMemorySize=1536m}"

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --targets) TARGETS="$2"; TARGETS_GIVEN=1; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections) CONNS="$2"; shift 2 ;;
    --big-bytes) BIG_BYTES="$2"; shift 2 ;;
    --gateway-disk) GATEWAY_DISK=1; shift ;;
    --quiet-wait) QUIET_WAIT="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --baseline-jar) BASELINE_JAR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

for n in "$ROUNDS" "$DURATION" "$WARMUP" "$CONNS" "$BIG_BYTES" "$QUIET_WAIT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "not a number: $n" >&2; exit 2; }
done
with_baseline
IFS=',' read -r -a TARGET_LIST <<< "$TARGETS"
for t in "${TARGET_LIST[@]}"; do
  case "$t" in direct|squid|gateway|baseline) ;; *) echo "unknown target: $t" >&2; exit 2 ;; esac
done
has_target() { [[ ",$TARGETS," == *",$1,"* ]]; }

need wrk wrk
need nginx nginx-light
need taskset util-linux
need python3 python3
has_target squid && need squid squid
if has_target gateway || has_target baseline; then need java openjdk-17-jre-headless; fi
if has_target gateway; then
  [ -f "$JAR" ] || { echo "no gateway jar at $JAR: build it (mvn -q -DskipTests package)" >&2; exit 1; }
fi

setup_pinning
begin_run "cache-"

# Bounded in time: a watchdog ends the run if it takes far longer than planned.
per_round=$(( ${#TARGET_LIST[@]} * (3 * (DURATION + PAUSE + QUIET_WAIT + 25) + 150) ))
GW_TARGETS=0                            # the gateway targets (gateway, baseline) get the full warm-up
for t in "${TARGET_LIST[@]}"; do if is_gateway "$t"; then GW_TARGETS=$(( GW_TARGETS + 1 )); fi; done
BUDGET=$(( ROUNDS * per_round + 8 * WARMUP * (GW_TARGETS > 0 ? GW_TARGETS : 1) + 500 ))
start_watchdog "$BUDGET"

read -r ORIGIN_PORT SQUID_PORT GW_PORT GW_ADMIN_PORT BASE_PORT BASE_ADMIN_PORT <<< "$(free_ports 6)"

# ---- origin: nginx, one worker, three static files, cacheable for an hour ------------------------------
# The objects: workload name, path, size. Files of random bytes, so nothing along the way can shrink them.
OBJECTS=("hit1k /1k 1024" "hit32k /32k 32768" "hit64m /64m 67108864")
mkdir -p "$TMP/www"
for o in "${OBJECTS[@]}"; do
  read -r _ path size <<< "$o"
  head -c "$size" /dev/urandom > "$TMP/www$path"
done
chmod -R a+rX "$TMP/www"
start_nginx "$ORIGIN_PORT" "    root $TMP/www;
    sendfile on;
    tcp_nopush on;
    open_file_cache max=16;
    open_file_cache_valid 1h;
    location / {
      default_type application/octet-stream;
      add_header Cache-Control \"max-age=3600\" always;
    }"

# ---- Squid: own instance, one worker, a 1 GiB memory cache that takes the 64 MiB object, no disk ------
if has_target squid; then
  start_squid "$SQUID_PORT" "cache_mem 1024 MB
maximum_object_size_in_memory 128 MB
maximum_object_size 128 MB
memory_cache_mode always"
fi

# ---- the gateway: a 1 GiB memory tier (largest object: 1 GiB / 8 = 128 MiB), disk tier if asked ------
# The baseline: the same from an older jar, with its own ports and temp dir.
gateway_conf() {  # gateway_conf TARGET PORT ADMIN_PORT: writes $TMP/TARGET/gateway.conf
  local disk_conf=""
  mkdir -p "$TMP/$1"
  [ "$GATEWAY_DISK" = 1 ] && disk_conf="cache.disk.path = \"$TMP/$1/cache\"
cache.disk.size = 2GiB"
  cat > "$TMP/$1/gateway.conf" <<EOF
# Generated by bench/cache.sh: loopback only, no uplinks configured, a 1 GiB memory cache.
listen = "127.0.0.1:$2"
admin.listen = "127.0.0.1:$3"
clients.allow = ["127.0.0.0/8"]
uplinks = []
cache.memory = 1GiB
$disk_conf
health.targets = ["tcp://127.0.0.1:$ORIGIN_PORT"]
log.access = "$TMP/$1/access.log"
EOF
}
if has_target gateway; then
  gateway_conf gateway "$GW_PORT" "$GW_ADMIN_PORT"
  start_gateway "$GW_PORT" "$TMP/gateway/gateway.conf"
fi
if has_target baseline; then
  gateway_conf baseline "$BASE_PORT" "$BASE_ADMIN_PORT"
  start_gateway "$BASE_PORT" "$TMP/baseline/gateway.conf" baseline
fi

# ---- measuring ----------------------------------------------------------------------------------------
proxy_port() { case "$1" in squid) echo "$SQUID_PORT" ;; gateway) echo "$GW_PORT" ;; baseline) echo "$BASE_PORT" ;; esac; }
proxy_pid() {
  case "$1" in squid) echo "${SQUID_PID:-}" ;; gateway) echo "${GW_PID:-}" ;; baseline) echo "${BASE_PID:-}" ;; esac
}
access_log() { case "$1" in squid|gateway|baseline) echo "$TMP/$1/access.log" ;; esac; }
object_path() { for o in "${OBJECTS[@]}"; do read -r w p _ <<< "$o"; [ "$w" = "$1" ] && echo "$p"; done; }

run_wrk() {  # run_wrk TARGET PATH DURATION -> RESULT line on stdout
  local target="$1" path="$2" dur="$3" port prefix
  if [ "$target" = direct ]; then port="$ORIGIN_PORT"; prefix=""
  else port="$(proxy_port "$target")"; prefix="http://127.0.0.1:$ORIGIN_PORT"; fi
  BENCH_PREFIX="$prefix" BENCH_HOST="127.0.0.1:$ORIGIN_PORT" BENCH_PATH="$path" wrk_line "$port" "$dur"
}

run_fetch() {  # run_fetch TARGET PATH BYTES -> RESULT line on stdout
  local target="$1" args=()
  [ "$target" = direct ] || args=(--proxy "127.0.0.1:$(proxy_port "$target")")
  "${PIN_LOAD[@]}" timeout -k 5 150 python3 "$HERE/lib/fetch.py" --url "http://127.0.0.1:$ORIGIN_PORT$2" \
    --bytes "$3" --timeout 120 "${args[@]}" 2>"$TMP/fetch.err" \
    || { cat "$TMP/fetch.err" >&2; echo "RESULT failed=1"; }
}

log_lines() {  # lines in a proxy's access log so far
  local f
  f="$(access_log "$1")"
  [ -n "$f" ] && [ -f "$f" ] && wc -l < "$f" || echo 0
}
log_hits() {  # log_hits TARGET FROM: "LINES MEMHITS" of the access log after line FROM
  local f
  f="$(access_log "$1")"
  if [ -z "$f" ] || [ ! -f "$f" ]; then echo "- -"; return; fi
  awk -v from="$2" 'NR > from { n++; if ($4 ~ /^TCP_MEM_HIT\//) m++ } END { print n + 0, m + 0 }' "$f"
}

printf 'round\tworkload\ttarget\tvalue\tp99_ms\terrors\trss_kib\tcpu_pct\tload1\trequests\tlogged\tmem_hits\tbusy_pct\n' \
  > "$RESULTS"
record() {  # record ROUND WORKLOAD TARGET RESULTLINE RSS CPU% LOAD1 LOGGED MEMHITS BUSY%
  local r="$1" w="$2" t="$3" line="$4" rss="$5" cpu="$6" load1="$7" value p99 errors requests
  requests="$(field requests "$line")"
  if [ -n "$(field failed "$line")" ]; then value="-"; p99="-"; errors="failed"; requests="-"
  elif [ "$w" = hit64m ]; then
    value="$(field mib_s "$line")"; p99="-"; errors="$(field status_errors "$line")"
  else
    value="$(field rps "$line")"; p99="$(field p99_ms "$line")"
    errors=$(( $(field errors "$line") + $(field status_errors "$line") ))
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$w" "$t" "$value" "$p99" \
    "$errors" "$rss" "$cpu" "$load1" "$requests" "$8" "$9" "${10}" >> "$RESULTS"
  printf '  round %s %-7s %-8s %s proxy_cpu=%s%% load1=%s busy=%s%% logged=%s mem_hits=%s\n' "$r" "$w" "$t" \
    "$line" "$cpu" "$load1" "${10}" "$8" "$9" >&2
}

run_workload() {  # run_workload WORKLOAD TARGET DURATION -> RESULT line on stdout
  case "$1" in
    hit64m) run_fetch "$2" "$(object_path "$1")" "$BIG_BYTES" ;;
    *) run_wrk "$2" "$(object_path "$1")" "$3" ;;
  esac
}

measure() {  # measure ROUND WORKLOAD TARGET
  local r="$1" w="$2" t="$3" line rss pid load1 c0 c1 t0 t1 cpu from logged=- hits=- busy=-
  pid="$(proxy_pid "$t")"
  [ "$QUIET_WAIT" -gt 0 ] && busy="$(wait_quiet "$QUIET_WAIT" "$QUIET_LIMIT")"
  load1="$(cut -d' ' -f1 /proc/loadavg)"
  from="$(log_lines "$t")"
  start_sampler "$pid" "$TMP/rss.samples"
  c0="$(cpu_ticks "$pid")"; t0="$(date +%s.%N)"
  line="$(run_workload "$w" "$t" "$DURATION")"
  c1="$(cpu_ticks "$pid")"; t1="$(date +%s.%N)"
  rss="$(stop_sampler "$TMP/rss.samples")"
  cpu="$(cpu_pct "$c0" "$c1" "$t0" "$t1")"
  sleep 1   # the gateway writes its access log from a thread of its own: let it catch up
  if [ "$t" = direct ]; then rss="-"; cpu="-"
  else read -r logged hits <<< "$(log_hits "$t" "$from")"; fi
  record "$r" "$w" "$t" "$line" "$rss" "$cpu" "$load1" "$logged" "$hits" "$busy"
  sleep "$PAUSE"
}

echo "origin 127.0.0.1:$ORIGIN_PORT, squid :$SQUID_PORT, gateway :$GW_PORT$(
  has_target baseline && echo ", baseline :$BASE_PORT")" >&2

# Fill the caches, then check that a second request for each object is a memory hit.
for t in "${TARGET_LIST[@]}"; do
  [ "$t" = direct ] && continue
  for o in "${OBJECTS[@]}"; do
    read -r w path _ <<< "$o"
    run_fetch "$t" "$path" 1 >/dev/null
    sleep 0.5
    from="$(log_lines "$t")"
    run_fetch "$t" "$path" 1 >/dev/null
    sleep 1
    read -r _ hits <<< "$(log_hits "$t" "$from")"
    [ "$hits" = 1 ] || echo "warning: $t did not answer $path from its memory cache:" \
      "$(tail -n 1 "$(access_log "$t")")" >&2
  done
done

# Warm-up, not measured: the JVM needs it (JIT, pools); Squid gets a third of it. Two passes over the
# three workloads, so that the JIT has seen them take turns, as they do in the rounds, before a round.
for pass in 1 2; do
  for t in "${TARGET_LIST[@]}"; do
    [ "$t" = direct ] && continue
    w=$WARMUP; is_gateway "$t" || w=$(( (WARMUP + 2) / 3 ))
    [ "$w" -gt 0 ] || continue
    echo "warm-up $pass/2: $t ${w}s" >&2
    run_wrk "$t" /1k "$w" >/dev/null
    run_wrk "$t" /32k $(( (w + 1) / 2 )) >/dev/null
    run_fetch "$t" /64m $(( 1 << 30 )) >/dev/null
    sleep "$PAUSE"
  done
done

# Interleaved rounds, so that drift on this shared machine hits all targets alike.
run_rounds hit1k hit32k hit64m

# Peak RSS over the whole life of each proxy (warm-up included).
record_peaks 6

# Machine and method facts for the report.
{
  machine_meta
  echo "rounds=$ROUNDS"
  echo "duration=$DURATION"
  echo "warmup=$WARMUP"
  echo "connections=$CONNS"
  echo "big_bytes=$BIG_BYTES"
  echo "gateway_disk=$GATEWAY_DISK"
  echo "quiet_wait=$QUIET_WAIT"
  echo "quiet_limit=$QUIET_LIMIT"
  echo "targets=$TARGETS"
  echo "load_cpu=$LOAD_CPU"
  echo "proxy_cpu=$PROXY_CPU"
  echo "java_opts=${GATEWAY_JAVA_OPTS:-(none)}"
  if has_target baseline; then
    has_target gateway && echo "gateway_jar=$(jar_meta "$JAR")"
    echo "baseline_jar=$(jar_meta "$BASELINE_JAR")"
  fi
} > "$TMP/meta.txt"

mkdir -p "$(dirname "$OUT")"
python3 "$HERE/lib/cache_report.py" "$RESULTS" "$TMP/meta.txt" "$OUT"
echo "wrote $OUT" >&2
