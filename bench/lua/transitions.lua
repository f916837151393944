-- Move tickets NEW -> IN_PREP -> READY -> COMPLETED, one step per request.
-- Each thread owns its share of the tickets and takes them in turn, one pass per
-- step, so a ticket's next move is sent long after its last one was answered: the
-- moves do not conflict, and a 409 here means a real problem (or a pool too small
-- for the run, which the harness reports).
local common = require("common")
local steps = { { "in_prep", 1 }, { "ready", 2 }, { "completed", 3 } }
local mine, i, pass, checked

function init(args)
  mine = common.share(common.data())
  i, pass = 0, 1
  -- wrk calls request() once on its first thread to inspect it, and never sends that
  -- one: answer it without moving on, or the first ticket would skip a step.
  checked = id ~= 0
end

local function move(ticket, step)
  local body = string.format('{"to":"%s","version":%d}', step[1], step[2])
  local headers = { Authorization = ticket.auth, ["Content-Type"] = "application/json" }
  return wrk.format("POST", ticket.path, headers, body)
end

function request()
  if not checked then
    checked = true
    return move(mine[1], steps[1])
  end
  i = i + 1
  if i > #mine then
    i, pass = 1, pass + 1
  end
  return move(mine[i], steps[pass] or steps[#steps])
end
