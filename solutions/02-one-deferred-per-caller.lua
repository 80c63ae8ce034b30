local request = nil

function getSettings()
  if request == nil then
    request = fetchSettings()    -- still fetched only once
  end
  local mine = Deferred()        -- this caller's own chain
  request:addCallback(function(settings)
    mine:callback(settings)
    return settings              -- pass-through: the cache keeps the table
  end)
  return mine
end
