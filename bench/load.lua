-- wrk script of bench/load.py: mixed traffic, and every answer checked.
--
-- Arguments (after --): the paths to request, in turn (repeat one to weigh it).
-- Each answer must be a 200; and no answer may mix two versions of one item: every stamp
-- "{<slug> v<N>}" that bench/load.py writes into a version's title, summary and body must
-- agree, within the answer, with each other and with the "version" the item is served as.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  paths = args
  turn = id - 1 -- threads start at different places in the list
  errors = 0
  mixed = 0
  checked = 0
  bad_statuses = {}
  first_mixed = ""
  newest = {} -- per stamped slug, the newest version this thread saw
end

function request()
  turn = turn % #paths + 1
  return wrk.format("GET", paths[turn])
end

local function versions_served(body)
  -- slug -> set of versions, from the JSON of each served component or plan
  local served = {}
  for slug, version in body:gmatch('"slug":"([%w%-]+)","kind":"[%w_]+","version":(%d+)') do
    served[slug] = served[slug] or {}
    served[slug][version] = true
  end
  for slug, version in body:gmatch('"type":"plan","slug":"([%w%-]+)","version":(%d+)') do
    served[slug] = served[slug] or {}
    served[slug][version] = true
  end
  return served
end

local function count(set)
  local n = 0
  for _ in pairs(set) do n = n + 1 end
  return n
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    bad_statuses[status] = (bad_statuses[status] or 0) + 1
    return
  end
  checked = checked + 1
  local stamps = {}
  for slug, version in body:gmatch("{([%w%-]+) v(%d+)}") do
    stamps[slug] = stamps[slug] or {}
    stamps[slug][version] = true
  end
  local served = versions_served(body)
  for slug, seen in pairs(stamps) do
    local as = served[slug] or {}
    local ok = count(seen) == 1 and count(as) == 1
    if ok then
      local stamp = next(seen)
      ok = as[stamp] == true
      local n = tonumber(stamp)
      if n > (newest[slug] or 0) then newest[slug] = n end
    end
    if not ok then
      mixed = mixed + 1
      if first_mixed == "" then first_mixed = body:sub(1, 2000) end
    end
  end
end

function done(summary, latency, requests)
  local totals = { errors = 0, mixed = 0, checked = 0 }
  local statuses, newest_all, example = {}, {}, ""
  for _, thread in ipairs(threads) do
    totals.errors = totals.errors + thread:get("errors")
    totals.mixed = totals.mixed + thread:get("mixed")
    totals.checked = totals.checked + thread:get("checked")
    for status, n in pairs(thread:get("bad_statuses")) do
      statuses[tostring(status)] = (statuses[tostring(status)] or 0) + n
    end
    for slug, n in pairs(thread:get("newest")) do
      if n > (newest_all[slug] or 0) then newest_all[slug] = n end
    end
    if example == "" then example = thread:get("first_mixed") end
  end
  local parts = {}
  for status, n in pairs(statuses) do table.insert(parts, string.format('"%s":%d', status, n)) end
  local newest_parts = {}
  for slug, n in pairs(newest_all) do
    table.insert(newest_parts, string.format('"%s":%d', slug, n))
  end
  io.write(string.format(
    'LOADRESULT {"requests":%d,"seconds":%.3f,"bytes":%d,' ..
    '"socket_errors":%d,"non_200":%d,"statuses":{%s},"checked":%d,"mixed":%d,' ..
    '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"newest_seen":{%s}}\n',
    summary.requests, summary.duration / 1e6, summary.bytes,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    totals.errors, table.concat(parts, ","), totals.checked, totals.mixed,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, table.concat(newest_parts, ",")
  ))
  if totals.mixed > 0 then
    io.write("FIRSTMIXED " .. example:gsub("\n", " ") .. "\n")
  end
end
