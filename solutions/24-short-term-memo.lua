function memoizeFor(f, ttl, clock)
  local cache = {}   -- x -> {d = the call's Deferred, expires = time, or nil while in flight}
  return function(x)
    local entry = cache[x]
    if entry and entry.expires and clock:seconds() >= entry.expires then
      entry = nil                                  -- stale: forget it
    end
    if entry == nil then
      entry = {d = f(x)}
      cache[x] = entry
      entry.d:addCallbacks(
        function(v) entry.expires = clock:seconds() + ttl; return v end,  -- fresh from now
        function(fl)
          if cache[x] == entry then cache[x] = nil end                    -- never cache a failure
          return fl
        end)
    end
    local mine = Deferred()                        -- each caller's own chain
    entry.d:addCallbacks(function(v) mine:callback(v); return v end,
                         function(fl) mine:errback(fl); return fl end)
    return mine
  end
end
