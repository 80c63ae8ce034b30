function lift(fn)
  return function(...)
    local args = table.pack(...)
    local ds = {}
    for i = 1, args.n do
      local x = args[i]
      ds[i] = maybeDeferred(function() return x end)   -- a Deferred stays as it is
    end
    -- waits for every argument; consumeErrors leaves no failure behind in them
    return DeferredList(ds, {consumeErrors = true}):addCallback(function(results)
      local values = {}
      for i = 1, args.n do
        local ok, value = results[i][1], results[i][2]
        if not ok then return value end                -- the leftmost failure, as is
        values[i] = value
      end
      return fn(table.unpack(values, 1, args.n))
    end)
  end
end
