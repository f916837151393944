-- Shared by the scenarios: thread numbering, status counts, and a JSON summary.
-- Requiring it installs wrk's setup, response and done callbacks; a scenario defines
-- its own init and request.
-- Parameters come from the environment (wrk passes arguments to init() only):
--   BENCH_DATA     a Lua file returning this scenario's targets
--   BENCH_WRK_OUT  where done() writes its JSON summary
local M = {}
local threads = {}

function M.setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

-- Thread-local: read back by done() through thread:get().
statuses = {}

function M.response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function M.data()
  return dofile(os.getenv("BENCH_DATA"))
end

-- The targets that fall to this thread: every nth, so threads never share one.
function M.share(all)
  local n = tonumber(os.getenv("BENCH_THREADS")) or 1
  local mine = {}
  for k = id + 1, #all, n do
    table.insert(mine, all[k])
  end
  return mine
end

local function encode(value)
  if type(value) == "table" then
    local parts = {}
    for k, v in pairs(value) do
      table.insert(parts, string.format("%q:%s", tostring(k), encode(v)))
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif type(value) == "number" then
    return string.format("%.17g", value)
  else
    return string.format("%q", tostring(value))
  end
end

function M.done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      counts[tostring(status)] = (counts[tostring(status)] or 0) + n
    end
  end
  local result = {
    duration_us = summary.duration,
    requests = summary.requests,
    bytes = summary.bytes,
    errors = summary.errors,
    statuses = counts,
    latency_us = {
      mean = latency.mean, max = latency.max, stdev = latency.stdev,
      p50 = latency:percentile(50), p90 = latency:percentile(90),
      p99 = latency:percentile(99),
    },
  }
  local out = assert(io.open(os.getenv("BENCH_WRK_OUT"), "w"))
  out:write(encode(result))
  out:close()
end

setup, response, done = M.setup, M.response, M.done

return M
