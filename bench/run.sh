#!/usr/bin/env bash
# Load benchmark: origin-direct vs Squid 5 vs the gateway. See bench/README.md.
#
#   bench/run.sh [--rounds N] [--duration S] [--targets direct,squid,gateway] [--warmup S]
#                [--connections C] [--tunnel-bytes B] [--jar FILE] [--out FILE]
#
# Everything it starts (nginx, Squid, the gateway, the tunnel source, samplers) runs under its own PID
# and is stopped by that PID on exit. It never touches the system's squid or nginx service or config.
# Not part of CI or the unit tests.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

ROUNDS=3
DURATION=10
TARGETS="direct,squid,gateway"
WARMUP=10
CONNS=64
TUNNEL_BYTES=$((1 << 30))
JAR="$ROOT/gateway-app/target/gateway.jar"
OUT="$ROOT/docs/BENCHMARKS.md"
PAUSE=2                                 # seconds between runs (lets TIME_WAIT and the CPU settle)
LOAD_CPU="${LOAD_CPU:-0}"               # wrk, the tunnel client, the origin and the tunnel source
PROXY_CPU="${PROXY_CPU:-1}"             # the proxy under test
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-}"

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --targets) TARGETS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections) CONNS="$2"; shift 2 ;;
    --tunnel-bytes) TUNNEL_BYTES="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

for n in "$ROUNDS" "$DURATION" "$WARMUP" "$CONNS" "$TUNNEL_BYTES"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "not a number: $n" >&2; exit 2; }
done
IFS=',' read -r -a TARGET_LIST <<< "$TARGETS"
for t in "${TARGET_LIST[@]}"; do
  case "$t" in direct|squid|gateway) ;; *) echo "unknown target: $t" >&2; exit 2 ;; esac
done
has_target() { [[ ",$TARGETS," == *",$1,"* ]]; }

need() { command -v "$1" >/dev/null || { echo "missing: $1 (apt-get install $2)" >&2; exit 1; }; }
need wrk wrk
need nginx nginx-light
need taskset util-linux
need python3 python3
has_target squid && need squid squid
if has_target gateway; then
  need java openjdk-17-jre-headless
  [ -f "$JAR" ] || { echo "no gateway jar at $JAR: build it (mvn -q -DskipTests package)" >&2; exit 1; }
fi

# Arrays, not functions: `"${PIN[@]}" cmd &` forks and execs, so $! is the command's own PID.
if [ "$(nproc)" -lt 2 ]; then
  echo "warning: fewer than 2 CPUs: no pinning" >&2
  PIN_LOAD=()
  PIN_PROXY=()
else
  PIN_LOAD=(taskset -c "$LOAD_CPU")
  PIN_PROXY=(taskset -c "$PROXY_CPU")
fi

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

TMP="$(mktemp -d "${TMPDIR:-/tmp}/gateway-bench.XXXXXX")"
chmod 755 "$TMP"
RESULTS="$TMP/results.tsv"
PIDS=()        # started processes, stopped in reverse order on exit

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local i pid
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid="${PIDS[$i]}"
    kill -TERM "$pid" 2>/dev/null || true
  done
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid="${PIDS[$i]}"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    echo "failed (exit $rc); logs kept in $TMP" >&2
  else
    mkdir -p "$HERE/out"
    stamp="$(date +%Y%m%d-%H%M%S)"
    cp "$RESULTS" "$HERE/out/results-$stamp.tsv" 2>/dev/null || true
    cp "$TMP/meta.txt" "$HERE/out/meta-$stamp.txt" 2>/dev/null || true
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Bounded in time: a watchdog ends the run if it takes far longer than planned.
per_round=$(( ${#TARGET_LIST[@]} * (2 * (DURATION + PAUSE + 20) + 140) ))
BUDGET=$(( ROUNDS * per_round + 2 * WARMUP + 300 ))
( trap 'kill "$sp" 2>/dev/null; exit 0' TERM
  sleep "$BUDGET" & sp=$!; wait "$sp"
  echo "watchdog: over $BUDGET s, stopping" >&2; kill -TERM $$ ) &
PIDS+=("$!")

free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}
read -r ORIGIN_PORT SOURCE_PORT SQUID_PORT GW_PORT GW_ADMIN_PORT <<< "$(free_ports 5)"

wait_port() {  # wait_port PORT PID NAME SECONDS
  local deadline=$(( SECONDS + $4 ))
  while ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || { echo "$3 exited during startup" >&2; return 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "$3 did not listen on $1 within $4 s" >&2; return 1; }
    sleep 0.2
  done
}

# ---- origin: nginx, one worker, fixed 100-byte uncacheable body -------------------------------------
BODY="$(printf '%0100d' 0 | tr 0 x)"
mkdir -p "$TMP/nginx"
cat > "$TMP/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 65536;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 16384; multi_accept on; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$ORIGIN_PORT backlog=4096;
    location / {
      default_type text/plain;
      add_header Cache-Control "no-store" always;
      return 200 "$BODY";
    }
  }
}
EOF
"${PIN_LOAD[@]}" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
wait_port "$ORIGIN_PORT" "$NGINX_PID" nginx 10

# ---- tunnel source: zeros until the client closes ---------------------------------------------------
"${PIN_LOAD[@]}" python3 "$HERE/lib/tunnel.py" source --port "$SOURCE_PORT" &
SOURCE_PID=$!
PIDS+=("$SOURCE_PID")
wait_port "$SOURCE_PORT" "$SOURCE_PID" "tunnel source" 10

# ---- Squid: own instance, own config, foreground, one worker, no caching ----------------------------
if has_target squid; then
  mkdir -p "$TMP/squid"
  chmod 1777 "$TMP/squid"     # Squid run as root drops to its cache_effective_user
  cat > "$TMP/squid/squid.conf" <<EOF
http_port 127.0.0.1:$SQUID_PORT
workers 1
http_access allow localhost
http_access deny all
cache deny all
cache_mem 0 MB
access_log stdio:$TMP/squid/access.log squid
cache_log $TMP/squid/cache.log
cache_store_log none
pid_filename $TMP/squid/squid.pid
coredump_dir $TMP/squid
netdb_filename none
pinger_enable off
shutdown_lifetime 1 seconds
max_filedescriptors 65536
logfile_rotate 0
EOF
  squid -k parse -f "$TMP/squid/squid.conf" >"$TMP/squid/parse.log" 2>&1 \
    || { cat "$TMP/squid/parse.log" >&2; exit 1; }
  "${PIN_PROXY[@]}" squid -N -f "$TMP/squid/squid.conf" >"$TMP/squid/stdout.log" 2>&1 &
  SQUID_PID=$!
  PIDS+=("$SQUID_PID")
  wait_port "$SQUID_PORT" "$SQUID_PID" squid 30
fi

# ---- the gateway ------------------------------------------------------------------------------------
if has_target gateway; then
  mkdir -p "$TMP/gateway"
  cat > "$TMP/gateway/gateway.conf" <<EOF
# Generated by bench/run.sh: loopback only, no cache (like the Squid instance), no uplinks configured.
listen = "127.0.0.1:$GW_PORT"
admin.listen = "127.0.0.1:$GW_ADMIN_PORT"
clients.allow = ["127.0.0.0/8"]
uplinks = []
cache.memory = 0
connect.ports = [443, $SOURCE_PORT]
health.targets = ["tcp://127.0.0.1:$ORIGIN_PORT"]
log.access = "$TMP/gateway/access.log"
EOF
  # shellcheck disable=SC2086
  "${PIN_PROXY[@]}" java $GATEWAY_JAVA_OPTS -jar "$JAR" run --config "$TMP/gateway/gateway.conf" \
    >"$TMP/gateway/stdout.log" 2>&1 &
  GW_PID=$!
  PIDS+=("$GW_PID")
  wait_port "$GW_PORT" "$GW_PID" gateway 60 || { tail -n 30 "$TMP/gateway/stdout.log" >&2; exit 1; }
fi

# ---- measuring ----------------------------------------------------------------------------------------
proxy_port() { case "$1" in squid) echo "$SQUID_PORT" ;; gateway) echo "$GW_PORT" ;; esac; }
proxy_pid() { case "$1" in squid) echo "${SQUID_PID:-}" ;; gateway) echo "${GW_PID:-}" ;; esac; }

SAMPLER_PID=""
start_sampler() {  # start_sampler PID FILE: VmRSS in KiB every 0.2 s
  local pid="$1" file="$2"
  : > "$file"
  [ -n "$pid" ] || return 0
  ( while [ -r "/proc/$pid/status" ]; do
      awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" >> "$file" 2>/dev/null || true
      sleep 0.2
    done ) &
  SAMPLER_PID=$!
  PIDS+=("$SAMPLER_PID")
}
stop_sampler() {  # prints the largest sample (KiB), or "-"
  if [ -n "$SAMPLER_PID" ]; then
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
  fi
  sort -n "$1" | tail -n 1 | grep . || echo "-"
}
CLK_TCK="$(getconf CLK_TCK)"
cpu_ticks() {  # user + system CPU ticks of a process, all its threads
  [ -n "$1" ] && awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
hwm() {  # peak RSS over the process's life, KiB
  [ -n "$1" ] && awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo "-"
}

run_wrk() {  # run_wrk TARGET CLOSE(0|1) DURATION -> RESULT line on stdout
  local target="$1" close="$2" dur="$3" port prefix
  if [ "$target" = direct ]; then port="$ORIGIN_PORT"; prefix=""
  else port="$(proxy_port "$target")"; prefix="http://127.0.0.1:$ORIGIN_PORT"; fi
  BENCH_PREFIX="$prefix" BENCH_HOST="127.0.0.1:$ORIGIN_PORT" BENCH_CLOSE="$close" \
    "${PIN_LOAD[@]}" timeout -k 5 $(( dur + 30 )) wrk -t1 -c"$CONNS" -d"${dur}s" --timeout 2s --latency \
    -s "$HERE/lib/http.lua" "http://127.0.0.1:$port/" > "$TMP/wrk.out" 2>&1 || true
  grep '^RESULT' "$TMP/wrk.out" || { echo "wrk failed:" >&2; cat "$TMP/wrk.out" >&2; echo "RESULT failed=1"; }
}

run_tunnel() {  # run_tunnel TARGET -> RESULT line on stdout
  local target="$1" args=()
  [ "$target" = direct ] || args=(--proxy "127.0.0.1:$(proxy_port "$target")")
  "${PIN_LOAD[@]}" timeout -k 5 150 python3 "$HERE/lib/tunnel.py" client --target "127.0.0.1:$SOURCE_PORT" \
    --bytes "$TUNNEL_BYTES" --timeout 120 "${args[@]}" 2>"$TMP/tunnel.err" \
    || { cat "$TMP/tunnel.err" >&2; echo "RESULT failed=1"; }
}

field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<< " $2"; }

printf 'round\tworkload\ttarget\tvalue\tp99_ms\terrors\trss_kib\tcpu_pct\tload1\n' > "$RESULTS"
record() {  # record ROUND WORKLOAD TARGET RESULTLINE RSS CPU% LOAD1
  local r="$1" w="$2" t="$3" line="$4" rss="$5" cpu="$6" load1="$7" value p99 errors
  if [ -n "$(field failed "$line")" ]; then value="-"; p99="-"; errors="failed"
  elif [ "$w" = tunnel ]; then value="$(field mib_s "$line")"; p99="-"; errors=0
  else
    value="$(field rps "$line")"; p99="$(field p99_ms "$line")"
    errors=$(( $(field errors "$line") + $(field status_errors "$line") ))
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$w" "$t" "$value" "$p99" "$errors" "$rss" \
    "$cpu" "$load1" >> "$RESULTS"
  printf '  round %s %-10s %-8s %s proxy_cpu=%s%% load1=%s\n' "$r" "$w" "$t" "$line" "$cpu" "$load1" >&2
}

measure() {  # measure ROUND WORKLOAD TARGET
  local r="$1" w="$2" t="$3" line rss pid load1 c0 c1 t0 t1 cpu
  pid="$(proxy_pid "$t")"
  load1="$(cut -d' ' -f1 /proc/loadavg)"
  start_sampler "$pid" "$TMP/rss.samples"
  c0="$(cpu_ticks "$pid")"; t0="$(date +%s.%N)"
  case "$w" in
    keepalive) line="$(run_wrk "$t" 0 "$DURATION")" ;;
    newconn) line="$(run_wrk "$t" 1 "$DURATION")" ;;
    tunnel) line="$(run_tunnel "$t")" ;;
  esac
  c1="$(cpu_ticks "$pid")"; t1="$(date +%s.%N)"
  rss="$(stop_sampler "$TMP/rss.samples")"
  cpu="$(awk -v c="$((c1 - c0))" -v hz="$CLK_TCK" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", c / hz / (b - a) * 100 }')"
  if [ "$t" = direct ]; then rss="-"; cpu="-"; fi
  record "$r" "$w" "$t" "$line" "$rss" "$cpu" "$load1"
  sleep "$PAUSE"
}

echo "origin 127.0.0.1:$ORIGIN_PORT, tunnel source :$SOURCE_PORT, squid :$SQUID_PORT, gateway :$GW_PORT" >&2

# Warm-up, not measured: the JVM needs it (JIT, pools); Squid and the origin get the same for fairness.
for t in "${TARGET_LIST[@]}"; do
  [ "$t" = direct ] && continue
  w=$WARMUP; [ "$t" = gateway ] || w=$(( (WARMUP + 2) / 3 ))
  [ "$w" -gt 0 ] || continue
  echo "warm-up: $t ${w}s" >&2
  run_wrk "$t" 0 "$w" >/dev/null
  run_wrk "$t" 1 $(( (w + 1) / 2 )) >/dev/null
  run_tunnel "$t" >/dev/null
  sleep "$PAUSE"
done

# Interleaved rounds: every round runs each workload on every target in turn.
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  for w in keepalive newconn tunnel; do
    for t in "${TARGET_LIST[@]}"; do
      measure "$r" "$w" "$t"
    done
  done
done

# Peak RSS over the whole life of each proxy (warm-up included).
for t in squid gateway; do
  has_target "$t" || continue
  printf 'peak\thwm\t%s\t-\t-\t-\t%s\t-\t-\n' "$t" "$(hwm "$(proxy_pid "$t")")" >> "$RESULTS"
done

# Machine and method facts for the report.
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc=$(nproc)"
  echo "cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel=$(uname -sr)"
  echo "java=$( (java -version 2>&1 || echo '-') | head -n 1)"
  echo "squid=$( (squid -v 2>/dev/null || echo '-') | head -n 1)"
  echo "wrk=$(wrk -v 2>&1 | head -n 1 | sed 's/ Copyright.*//')"
  echo "nginx=$(nginx -v 2>&1 | head -n 1)"
  echo "python=$(python3 --version 2>&1)"
  echo "rounds=$ROUNDS"
  echo "duration=$DURATION"
  echo "warmup=$WARMUP"
  echo "connections=$CONNS"
  echo "tunnel_bytes=$TUNNEL_BYTES"
  echo "targets=$TARGETS"
  echo "load_cpu=$LOAD_CPU"
  echo "proxy_cpu=$PROXY_CPU"
  echo "java_opts=${GATEWAY_JAVA_OPTS:-(none)}"
} > "$TMP/meta.txt"

mkdir -p "$(dirname "$OUT")"
python3 "$HERE/lib/report.py" "$RESULTS" "$TMP/meta.txt" "$OUT"
echo "wrote $OUT" >&2
