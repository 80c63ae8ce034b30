Cache = {}
Cache.__index = Cache
function Cache:get(key) return self.data[key] end

function Cache.create(connect, host)
  return connect(host):addCallback(function(conn)
    local cache = setmetatable({conn = conn, data = {}}, Cache)
    -- returning the load's Deferred makes create's chain wait for it;
    -- a failed load now fails create's Deferred too
    return conn:load():addCallback(function(rows)
      cache.data = rows
      return cache
    end)
  end)
  -- no errback: a failure to connect or load reaches the caller unchanged
end
