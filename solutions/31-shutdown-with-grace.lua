Pool = {}
Pool.__index = Pool

function Pool.new()
  return setmetatable({size = 0, waiting = {}, members = {}}, Pool)
end

function Pool:add(d)
  self.size = self.size + 1
  table.insert(self.members, d)           -- remembered, so the deadline can cancel it
  d:addBoth(function(result)
    self:memberFired(d)
    return result                         -- the owner never notices the pool
  end)
  return d
end

function Pool:memberFired(d)
  for i, m in ipairs(self.members) do
    if m == d then table.remove(self.members, i); break end
  end
  self.size = self.size - 1
  if self.size == 0 then
    local waiting = self.waiting
    self.waiting = {}
    for _, w in ipairs(waiting) do w:callback(nil) end
  end
end

function Pool:notifyWhenEmpty(testImmediately)
  if testImmediately == nil then testImmediately = true end
  if testImmediately and self.size == 0 then return succeed(nil) end
  local d = Deferred()
  table.insert(self.waiting, d)
  return d
end

function Pool:shutdown(grace, clock)
  local done = self:notifyWhenEmpty()
  if done.called then return done end     -- nothing in flight
  local deadline = clock:callLater(grace, function()
    -- Cancelling a member removes it from self.members: loop over a copy.
    local left = {}
    for i, m in ipairs(self.members) do left[i] = m end
    for _, m in ipairs(left) do m:cancel() end
  end)
  done:addBoth(function(r)
    if deadline:active() then deadline:cancel() end   -- emptied in time: drop the timer
    return r
  end)
  return done
end
