function onSuccess(fn)
  return function(d, ...)
    local extra = table.pack(...)
    return maybeDeferred(function() return d end):addCallback(function(v)
      return fn(v, table.unpack(extra, 1, extra.n))   -- the next step gets fn's result
    end)
  end
end
