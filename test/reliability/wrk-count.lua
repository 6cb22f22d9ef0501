-- wrk script for test/reliability/service-under-fault.e2e.ts: sends GET / with every
-- 8th request GET /readyz, counts the responses by path and status, and prints them
-- with wrk's socket error counters as one JSON line: wrk-count {...}.
--
-- A response is attributed to its path by its body (wrk does not say which request
-- a response answers): / answers a JSON object, /readyz "ok" or "shutting down".
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  requests = 0
  counts = {}
end

function request()
  requests = requests + 1
  if requests % 8 == 0 then
    return wrk.format("GET", "/readyz")
  end
  return wrk.format("GET", "/")
end

function response(status, headers, body)
  local path = "other"
  if body:sub(1, 1) == "{" then
    path = "/"
  elseif body == "ok\n" or body == "shutting down\n" then
    path = "/readyz"
  end
  local key = path .. " " .. status
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do
      total[key] = (total[key] or 0) + n
    end
  end
  local responses = {}
  for key, n in pairs(total) do
    table.insert(responses, string.format('"%s":%d', key, n))
  end
  local e = summary.errors
  io.write(string.format(
    'wrk-count {"responses":{%s},"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    table.concat(responses, ","), e.connect, e.read, e.write, e.status, e.timeout))
end
