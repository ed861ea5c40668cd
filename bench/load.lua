-- wrk script for bench/load.py: picks a path per request and counts every status.
--
-- Arguments (after `--`): a mode, then its values.
--   paths <etag or -> <path>...   a random path of the list per request, with If-None-Match
--                                 when an ETag is given (the 304 endpoint)
--   miss <path>                   <path>&date_from=<random second between 2000 and 2030>:
--                                 a filtered list no cache has seen
-- done() prints one JSON line: requests, duration, socket errors, latency, statuses.

local threads = {}
local mode, etag, paths = nil, nil, {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
  mode = args[1]
  if mode == "paths" then
    if args[2] ~= "-" then etag = args[2] end
    for i = 3, #args do table.insert(paths, args[i]) end
  else
    paths = { args[2] }
  end
  statuses = {}
end

function request()
  local path
  if mode == "miss" then
    local seconds = math.random(0, 946080000)  -- 30 years
    local t = os.date("!%Y-%m-%dT%H:%M:%S", 946684800 + seconds)
    path = paths[1] .. "&date_from=" .. t
  else
    path = paths[math.random(#paths)]
  end
  local headers = { ["Accept-Encoding"] = "gzip" }
  if etag then headers["If-None-Match"] = etag end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"non_2xx_3xx": %d, "latency_us": {"mean": %.1f, "p50": %d, "p90": %d, '
      .. '"p99": %d, "max": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.timeout, e.status,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, table.concat(parts, ", ")))
end
