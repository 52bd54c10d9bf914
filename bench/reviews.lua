-- wrk script for bench/run.sh: POSTs the AdmissionReview bodies listed in $BODIES/index.txt, in rotation, to the
-- path given as the first script argument (/validate or /bench/echo), over wrk's keep-alive connections.
--
-- Pacing: with PACE_MS set (a fractional number of milliseconds), every connection waits that long before each
-- request (wrk's delay(); the wait is not counted in the latency). Fractions are honoured on average by
-- waiting floor(PACE_MS) or floor(PACE_MS)+1 at random. N connections then send about N / (PACE_MS + latency)
-- requests per second: a closed-loop approximation of a fixed rate (wrk2 is not in Debian).
--
-- done() prints one machine-readable RESULT line.

local dir = os.getenv("BODIES") or "bodies"
local pace = tonumber(os.getenv("PACE_MS") or "0")
local bodies = {}
local path = "/validate"
local i = 0

local function load_bodies()
  for name in io.lines(dir .. "/index.txt") do
    local f = assert(io.open(dir .. "/" .. name, "rb"))
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
end

function init(args)
  if args[1] then path = args[1] end
  load_bodies()
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  i = math.random(#bodies)
end

function request()
  i = i % #bodies + 1
  -- As the API server's Go client does: it asks for gzip and inflates the answer itself.
  return wrk.format("POST", path, { ["Content-Type"] = "application/json", ["Accept-Encoding"] = "gzip" }, bodies[i])
end

if pace > 0 then
  function delay()
    return math.floor(pace + math.random())
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
