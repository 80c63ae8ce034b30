function whenReady(obj, ready, names)
  local waiting = {}

  for _, name in ipairs(names) do
    local original = obj[name]            -- the class's method, through the metatable
    obj[name] = function(self, ...)       -- a stand-in on the instance
      local args = table.pack(...)
      local d = Deferred()
      d:addCallback(function()
        return original(self, table.unpack(args, 1, args.n))
      end)
      waiting[#waiting + 1] = d
      return d
    end
  end

  ready:addCallbacks(function()
    for _, name in ipairs(names) do obj[name] = nil end   -- the real methods show through
    for _, d in ipairs(waiting) do d:callback(nil) end    -- run the queue, in order
  end, function(f)
    for _, name in ipairs(names) do
      obj[name] = function() return fail(f) end           -- later calls fail at once
    end
    for _, d in ipairs(waiting) do d:errback(f) end       -- and so do the queued ones
  end)
end
