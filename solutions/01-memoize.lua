-- Cache the Deferred (the call in flight), hand each caller a fresh Deferred.
function memoize(f)
  local cache = {}
  return function(x)
    if cache[x] == nil then
      cache[x] = f(x)           -- the call itself is cached, answered or not
    end
    local mine = Deferred()
    cache[x]:addCallback(function(v)
      mine:callback(v)          -- feed this caller's own Deferred
      return v                  -- and leave the value in the cache for the next one
    end)
    return mine
  end
end
