-- wrk script for scripts/serve-wrk.sh: POSTs one-face predict requests, each from a pool of 256 random (z, y)
-- bodies, and prints one JSON line at the end. Arguments (after wrk's --): Z_DIM Y_DIM.
local bodies, next_body = {}, 0

local function gaussian()
  return math.sqrt(-2 * math.log(1 - math.random())) * math.cos(2 * math.pi * math.random())
end

function init(args)
  local z_dim, y_dim = tonumber(args[1]), tonumber(args[2])
  math.randomseed(1)
  for i = 1, 256 do
    local z, y = {}, {}
    for k = 1, z_dim do z[k] = string.format("%.6f", gaussian()) end
    for k = 1, y_dim do y[k] = math.random(0, 1) end
    bodies[i] = '{"instances":[{"z":[' .. table.concat(z, ",") .. '],"y":[' .. table.concat(y, ",") .. ']}]}'
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"requests":%d,"seconds":%.2f,"req_s":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,'
      .. '"non_2xx":%d,"socket_errors":%d}\n', summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      summary.errors.status, errors))
end
