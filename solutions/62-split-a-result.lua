function split(d, n)
  local copies = {}
  for i = 1, n do copies[i] = Deferred() end
  d:addCallbacks(function(v)
    for _, c in ipairs(copies) do c:callback(v) end
    -- returns nil: d keeps nothing
  end, function(f)
    for _, c in ipairs(copies) do c:errback(f) end
    -- returns nil: the failure now belongs to the copies, d is not reported
  end)
  return copies
end
