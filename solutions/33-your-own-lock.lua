-- A fair lock from a flag and a first-in, first-out line of Deferreds.
function MyLock()
  local lock = {locked = false, waiting = {}}

  function lock:acquire()
    local d
    d = Deferred(function()
      -- cancelling a waiter: leave the line; cancel() then errbacks CancelledError.
      for i, w in ipairs(self.waiting) do
        if w == d then table.remove(self.waiting, i); return end
      end
    end)
    if self.locked then
      table.insert(self.waiting, d)
    else
      self.locked = true
      d:callback(self)
    end
    return d
  end

  function lock:release()
    if not self.locked then error(AssertionError("Tried to release an unlocked lock")) end
    if #self.waiting > 0 then
      -- hand over: the lock stays locked and the next in line fires right here
      table.remove(self.waiting, 1):callback(self)
    else
      self.locked = false
    end
  end

  function lock:run(fn, ...)
    local args = table.pack(...)
    return self:acquire():addCallback(function()
      return maybeDeferred(fn, table.unpack(args, 1, args.n)):addBoth(function(r)
        self:release()   -- on both tracks
        return r         -- and pass fn's result (or failure) on unchanged
      end)
    end)
  end

  return lock
end
