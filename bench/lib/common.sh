# Shell functions shared by bench/run.sh, bench/cache.sh and bench/hostile.sh. Sourced, not run; the
# caller sets HERE (the bench folder) and `set -euo pipefail` first.
#
# Processes a script starts go into PIDS and are stopped by that PID, in reverse order, on exit; the
# run's files live in TMP until then. Arrays, not functions, pin: `"${PIN_LOAD[@]}" cmd &` forks and
# execs, so $! is the command's own PID.

need() {  # need COMMAND PACKAGE
  command -v "$1" >/dev/null || { echo "missing: $1 (apt-get install $2)" >&2; exit 1; }
}

# PIN_LOAD / PIN_PROXY: the load generator's core and the proxy's, from LOAD_CPU and PROXY_CPU.
setup_pinning() {
  if [ "$(nproc)" -lt 2 ]; then
    echo "warning: fewer than 2 CPUs: no pinning" >&2
    PIN_LOAD=()
    PIN_PROXY=()
  else
    PIN_LOAD=(taskset -c "$LOAD_CPU")
    PIN_PROXY=(taskset -c "$PROXY_CPU")
  fi
}

# Makes TMP, RESULTS and PIDS, raises the open-file limit and installs the exit trap. On success the
# results and meta files are kept as bench/out/<SAVE_AS>results-<stamp>.tsv and ...meta-<stamp>.txt.
begin_run() {  # begin_run SAVE_AS
  SAVE_AS="$1"
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  TMP="$(mktemp -d "${TMPDIR:-/tmp}/gateway-bench.XXXXXX")"
  chmod 755 "$TMP"
  RESULTS="$TMP/results.tsv"
  PIDS=()
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local i pid stamp
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
    cp "$RESULTS" "$HERE/out/${SAVE_AS}results-$stamp.tsv" 2>/dev/null || true
    cp "$TMP/meta.txt" "$HERE/out/${SAVE_AS}meta-$stamp.txt" 2>/dev/null || true
    rm -rf "$TMP"
  fi
  exit "$rc"
}

start_watchdog() {  # start_watchdog SECONDS: ends the run if it takes longer
  local budget="$1"
  ( trap 'kill "$sp" 2>/dev/null; exit 0' TERM
    sleep "$budget" & sp=$!; wait "$sp"
    echo "watchdog: over $budget s, stopping" >&2; kill -TERM $$ ) &
  PIDS+=("$!")
}

free_ports() {  # free_ports N: N free loopback ports
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

wait_port() {  # wait_port PORT PID NAME SECONDS
  local deadline=$(( SECONDS + $4 ))
  while ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || { echo "$3 exited during startup" >&2; return 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "$3 did not listen on $1 within $4 s" >&2; return 1; }
    sleep 0.2
  done
}

# The origin: nginx with one worker on the load core, no access log. LOCATIONS is the server block's
# body. Sets NGINX_PID.
start_nginx() {  # start_nginx PORT LOCATIONS
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
    listen 127.0.0.1:$1 backlog=4096;
$2
  }
}
EOF
  "${PIN_LOAD[@]}" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  wait_port "$1" "$NGINX_PID" nginx 10
}

# Squid: its own instance in the foreground on the proxy core, one worker, access log to the temp
# dir; CACHING holds its cache directives (a cache_dir is made with `squid -z` first). CLIENTS, if
# given, are the source networks allowed in place of Squid's `localhost`. Sets SQUID_PID.
start_squid() {  # start_squid PORT CACHING [CLIENTS]
  local clients="http_access allow localhost"
  [ -n "${3:-}" ] && clients="acl bench_clients src $3
http_access allow bench_clients"
  mkdir -p "$TMP/squid"
  chmod 1777 "$TMP/squid"     # Squid run as root drops to its cache_effective_user
  cat > "$TMP/squid/squid.conf" <<EOF
http_port 127.0.0.1:$1
workers 1
$clients
http_access deny all
$2
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
  if grep -q '^cache_dir' "$TMP/squid/squid.conf"; then
    timeout -k 5 60 squid -N -z -f "$TMP/squid/squid.conf" >"$TMP/squid/z.log" 2>&1 \
      || { cat "$TMP/squid/z.log" >&2; exit 1; }
  fi
  "${PIN_PROXY[@]}" squid -N -f "$TMP/squid/squid.conf" >"$TMP/squid/stdout.log" 2>&1 &
  SQUID_PID=$!
  PIDS+=("$SQUID_PID")
  wait_port "$1" "$SQUID_PID" squid 30
}

# Stops one process started by the script (TERM, KILL after SECONDS) and takes it off PIDS, so that
# the exit trap never signals a PID the system may have given to someone else since.
stop_process() {  # stop_process PID SECONDS
  local pid="$1" i kept=()
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq $(( $2 * 10 ))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for i in "${PIDS[@]}"; do [ "$i" = "$pid" ] || kept+=("$i"); done
  PIDS=("${kept[@]}")
}

# The gateway on the proxy core with the config CONF (already written), JVM options from
# GATEWAY_JAVA_OPTS. TARGET gateway (the default) runs JAR, logs to $TMP/gateway and sets GW_PID;
# TARGET baseline runs BASELINE_JAR, logs to $TMP/baseline and sets BASE_PID: the same gateway target,
# an older build.
start_gateway() {  # start_gateway PORT CONF [TARGET]
  local target="${3:-gateway}" jar="$JAR" dir pid
  [ "$target" = baseline ] && jar="$BASELINE_JAR"
  dir="$TMP/$target"
  # shellcheck disable=SC2086
  "${PIN_PROXY[@]}" java $GATEWAY_JAVA_OPTS -jar "$jar" run --config "$2" \
    >"$dir/stdout.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  # shellcheck disable=SC2034  # read by the scripts
  if [ "$target" = baseline ]; then BASE_PID=$pid; else GW_PID=$pid; fi
  wait_port "$1" "$pid" "$target" 60 || { tail -n 30 "$dir/stdout.log" >&2; exit 1; }
}

# --baseline-jar FILE: the target `baseline` is the `gateway` target (same config, JVM options,
# pinning, warm-up, samplers; own ports, temp dir and PID) run from BASELINE_JAR, an older build, so
# that one run interleaves the two. Call after the options are read: with the jar and no --targets
# (TARGETS_GIVEN=0) it puts baseline right after gateway in the default list; it refuses the target
# without the jar, and a jar that is not there.
with_baseline() {
  if [ -n "$BASELINE_JAR" ] && [ "$TARGETS_GIVEN" = 0 ]; then
    TARGETS="${TARGETS/gateway/gateway,baseline}"
  fi
  if [[ ",$TARGETS," == *",baseline,"* ]]; then
    [ -n "$BASELINE_JAR" ] || { echo "target baseline needs --baseline-jar FILE" >&2; exit 2; }
    [ -f "$BASELINE_JAR" ] || { echo "no baseline jar at $BASELINE_JAR" >&2; exit 1; }
  elif [ -n "$BASELINE_JAR" ]; then
    echo "warning: --baseline-jar given but baseline is not in --targets: not measured" >&2
  fi
}
is_gateway() { [ "$1" = gateway ] || [ "$1" = baseline ]; }  # the gateway target, either build

jar_meta() {  # jar_meta FILE: the jar's file name and the start of its SHA-256 (no path: it goes in reports)
  echo "$(basename "$1") (sha256 $(sha256sum "$1" | cut -c1-12))"
}

# wrk with lib/http.lua (BENCH_* from the caller's environment), 1 thread, CONNS connections, on the
# load core; prints its RESULT line, or "RESULT failed=1".
wrk_line() {  # wrk_line PORT DURATION
  "${PIN_LOAD[@]}" timeout -k 5 $(( $2 + 30 )) wrk -t1 -c"$CONNS" -d"${2}s" --timeout 2s --latency \
    -s "$HERE/lib/http.lua" "http://127.0.0.1:$1/" > "$TMP/wrk.out" 2>&1 || true
  grep '^RESULT' "$TMP/wrk.out" || { echo "wrk failed:" >&2; cat "$TMP/wrk.out" >&2; echo "RESULT failed=1"; }
}

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
cpu_pct() {  # cpu_pct TICKS0 TICKS1 T0 T1: CPU % over the wall time from T0 to T1 (date +%s.%N)
  awk -v c="$(($2 - $1))" -v hz="$CLK_TCK" -v a="$3" -v b="$4" 'BEGIN { printf "%.0f", c / hz / (b - a) * 100 }'
}
hwm() {  # peak RSS over the process's life, KiB
  [ -n "$1" ] && awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo "-"
}
rss() {  # resident memory now, KiB
  [ -n "$1" ] && awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo "-"
}

busy_pct() {  # the share of all CPUs busy over the next second, in %: others' work, when ours is idle
  local a b
  a="$(head -n 1 /proc/stat)"; sleep 1; b="$(head -n 1 /proc/stat)"
  awk -v a="$a" -v b="$b" 'BEGIN {
    n = split(a, x); split(b, y); total = 0
    for (i = 2; i <= n; i++) total += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6])
    printf "%.0f", (total > 0 ? (total - idle) / total * 100 : 0) }'
}

# Waits, at most MAX seconds, until other work on the machine takes less than LIMIT % of its CPUs (over
# a second, while the benchmark's own processes are idle); prints the last busy share.
wait_quiet() {  # wait_quiet MAX LIMIT
  local deadline=$(( SECONDS + $1 )) busy
  busy="$(busy_pct)"
  while [ "$busy" -ge "$2" ] && [ "$SECONDS" -lt "$deadline" ]; do
    busy="$(busy_pct)"
  done
  echo "$busy"
}

run_rounds() {  # run_rounds WORKLOAD...: each round runs every workload on every target in turn
  local r w t
  for r in $(seq 1 "$ROUNDS"); do
    echo "round $r/$ROUNDS" >&2
    for w in "$@"; do
      for t in "${TARGET_LIST[@]}"; do
        measure "$r" "$w" "$t"
      done
    done
  done
}

record_peaks() {  # record_peaks EMPTY_COLUMNS: each proxy's life-peak RSS as a results row
  local t dashes
  dashes="$(printf '\t-%.0s' $(seq 1 "$1"))"
  for t in squid gateway baseline; do
    has_target "$t" || continue
    printf 'peak\thwm\t%s\t-\t-\t-\t%s%s\n' "$t" "$(hwm "$(proxy_pid "$t")")" "$dashes" >> "$RESULTS"
  done
}

field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<< " $2"; }

machine_meta() {  # the machine's and tools' facts, KEY=VALUE lines for the report
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
}
