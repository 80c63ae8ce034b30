function Queue(size, backlog)
  local q = {pending = {}, waiting = 0}
  local getters = {}                      -- Deferreds of getters that found the queue empty

  function q:put(v)
    if #getters > 0 then
      local d = table.remove(getters, 1)  -- first come, first served
      self.waiting = #getters
      d:callback(v)                       -- its callbacks run right here, inside put
    elseif size == nil or #self.pending < size then
      table.insert(self.pending, v)
    else
      error(QueueOverflow())              -- raised to the producer: there is no Deferred to fail
    end
  end

  function q:get()
    if #self.pending > 0 then
      return succeed(table.remove(self.pending, 1))
    end
    if backlog ~= nil and #getters >= backlog then
      error(QueueUnderflow())
    end
    local d
    d = Deferred(function()               -- a cancelled getter leaves the line
      for i, g in ipairs(getters) do
        if g == d then table.remove(getters, i); break end
      end
      q.waiting = #getters
    end)
    table.insert(getters, d)
    self.waiting = #getters
    return d
  end

  return q
end
