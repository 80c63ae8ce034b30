function DispatchQueue(fn, width)
  local q = {width = width, waiting = {}, running = 0, seq = 0}

  local function launch()
    while q.running < q.width and #q.waiting > 0 do
      local job = table.remove(q.waiting, 1)
      q.running = q.running + 1
      maybeDeferred(fn, job.arg):addCallbacks(function(v)
        q.running = q.running - 1
        job.d:callback(v)
        launch()
      end, function(f)
        q.running = q.running - 1          -- a failure frees its slot too
        job.d:errback(f)
        launch()
      end)
    end
  end

  function q:put(arg, priority)
    self.seq = self.seq + 1
    local job = {arg = arg, priority = priority or 0, seq = self.seq}
    job.d = Deferred(function()
      -- withdraw a job that has not started; cancel() then fails it with CancelledError
      for i, j in ipairs(self.waiting) do
        if j == job then table.remove(self.waiting, i); return end
      end
    end)
    table.insert(self.waiting, job)
    table.sort(self.waiting, function(a, b)
      if a.priority ~= b.priority then return a.priority < b.priority end
      return a.seq < b.seq
    end)
    launch()
    return job.d
  end

  function q:setWidth(n)
    self.width = n
    launch()                                -- widening: use the new room now
  end

  function q:underway() return self.running end
  function q:pending() return #self.waiting end

  return q
end
