function fetch(url)
  local id
  -- The canceller runs only if the fetch has not answered yet.
  local d = Deferred(function() net:abort(id) end)
  id = net:send(url, function(ok, value)
    if ok then d:callback(value) else d:errback(value) end
  end)
  return d
end
