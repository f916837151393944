-- GET the kitchen feed of each shift in turn, with that truck's device credential,
-- and with If-None-Match when the target carries the feed's current ETag.
local common = require("common")
local targets, i

function init(args)
  targets = common.data()
  i = id
end

function request()
  i = i % #targets + 1
  local target = targets[i]
  local headers = { Authorization = target.auth }
  if target.etag then
    headers["If-None-Match"] = target.etag
  end
  return wrk.format("GET", target.path, headers)
end
