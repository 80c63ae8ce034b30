function timed(d, log)
  table.insert(log, "start")
  d:addBoth(function(r)
    table.insert(log, "finish")
    return r          -- pass-through: a value stays a value, a Failure stays a Failure
  end)
  return d
end
