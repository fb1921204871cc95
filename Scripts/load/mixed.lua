-- wrk script for Scripts/load-test.sh: a fixed cycle of the API's requests (text, filtered, like and
-- photo searches, embeds, zero-shot classification, products, bad JSON, an unknown id, health), and a
-- count of every status. A 5xx is a failure unless it is 503 with Retry-After (the compute queue is
-- full: the documented overload answer). The counts go to the file named by LOAD_REPORT.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

function init(args)
  local photo = read_file(args[1])
  local json = { ["Content-Type"] = "application/json" }
  local jpeg = { ["Content-Type"] = "image/jpeg" }
  requests = {
    wrk.format("GET", "/api/search?text=red%20sneakers&topK=5"),
    wrk.format("GET", "/api/search?text=navy%20dress&filter=price%3C300&topK=10"),
    wrk.format("GET", "/api/search?like=p001&topK=5"),
    wrk.format("POST", "/api/search/image?topK=5", jpeg, photo),
    wrk.format("POST", "/api/embed", json, '{"texts":["a red dress","striped long-sleeve t-shirt"]}'),
    wrk.format("POST", "/api/classify/image?labels=dress,sneakers,bag&topK=3", jpeg, photo),
    wrk.format("POST", "/api/search", json, '{"text":"green bag","topK":3,"filter":"brand!=x"}'),
    wrk.format("GET", "/api/product?id=p002"),
    wrk.format("POST", "/api/search", json, '{"text": "unterminated'),
    wrk.format("GET", "/api/search?like=no-such-product"),
    wrk.format("POST", "/api/embed/image", jpeg, "not an image at all"),
    wrk.format("GET", "/health"),
  }
  index = 0
  statuses = {}
  bad = 0
end

function request()
  index = index % #requests + 1
  return requests[index]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 500 and not (status == 503 and headers["Retry-After"]) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total = {}
  local failures = 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
    failures = failures + thread:get("bad")
  end
  local out = assert(io.open(os.getenv("LOAD_REPORT"), "w"))
  local errors = summary.errors
  out:write(string.format("requests %d\n", summary.requests))
  out:write(string.format("seconds %.3f\n", summary.duration / 1e6))
  out:write(string.format("p50_ms %.2f\n", latency:percentile(50) / 1000))
  out:write(string.format("p99_ms %.2f\n", latency:percentile(99) / 1000))
  out:write(string.format("max_ms %.2f\n", latency.max / 1000))
  out:write(string.format("bad_5xx %d\n", failures))
  out:write(string.format("socket_errors %d\n", errors.connect + errors.read + errors.write))
  out:write(string.format("timeouts %d\n", errors.timeout))
  local keys = {}
  for status in pairs(total) do table.insert(keys, status) end
  table.sort(keys)
  for _, status in ipairs(keys) do
    out:write(string.format("status_%d %d\n", status, total[status]))
  end
  out:close()
end
