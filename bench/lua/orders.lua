-- Place orders of 1-3 lines on every shift in turn. One line in thirty asks for the
-- day's special, of which each truck has three left: orders race for the last units and
-- the losers are refused with 409. The harness then checks that none was sold twice.
-- The same script drives the ceiling's orders (its targets carry an empty Authorization).
local common = require("common")
local data, i

function init(args)
  data = common.data()
  i = id
  math.randomseed(1000 + id)
end

local function pick(list)
  return list[math.random(#list)]
end

function request()
  i = i % #data.shifts + 1
  local shift = data.shifts[i]
  local lines = {}
  for n = 1, math.random(3) do
    local item = math.random() < 0.033 and pick(data.scarce) or pick(data.items)
    local notes = math.random() < 0.2 and ',"notes":"no onions"' or ""
    lines[n] = string.format('{"item_id":"%s","quantity":%d%s}', item, math.random(2), notes)
  end
  local body = '{"lines":[' .. table.concat(lines, ",") .. '],"customer_name":"Bench"}'
  local headers = { Authorization = shift.auth, ["Content-Type"] = "application/json" }
  return wrk.format("POST", shift.path, headers, body)
end
