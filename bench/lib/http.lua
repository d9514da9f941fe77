-- wrk script for the HTTP workloads of bench/run.sh and bench/cache.sh (one wrk thread: the counter is unique per run).
--   BENCH_PREFIX  "" for origin-form (direct), "http://127.0.0.1:PORT" for absolute-form (via a proxy)
--   BENCH_HOST    the Host header: the origin's host:port
--   BENCH_CLOSE   "1": send Connection: close, so every request opens a new connection
--   BENCH_PATH    unset: every request gets its own query string (/small?n=COUNTER), so no proxy can
--                 coalesce or serve it from a cache; set: every request asks for this path (cache hits)
local prefix = os.getenv("BENCH_PREFIX") or ""
local host = os.getenv("BENCH_HOST")
local close = os.getenv("BENCH_CLOSE") == "1"
local path = os.getenv("BENCH_PATH")
local counter = 0
local fixed = nil

init = function(args)
  if host then wrk.headers["Host"] = host end
  if close then wrk.headers["Connection"] = "close" end
  if path and path ~= "" then fixed = wrk.format("GET", prefix .. path) end
end

request = function()
  if fixed then return fixed end
  counter = counter + 1
  return wrk.format("GET", prefix .. "/small?n=" .. counter)
end

done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  -- One machine-readable line: requests/s, p50 and p99 latency in ms, errors (socket + non-2xx/3xx).
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d status_errors=%d\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end
