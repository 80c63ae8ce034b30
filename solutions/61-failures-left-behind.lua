function checkAll(urls, fetch)
  local ds = {}
  for i, url in ipairs(urls) do
    ds[i] = fetch(url):addErrback(function(f)
      print("problem with " .. url .. ": " .. f:getErrorMessage())
      return f                       -- the list must still see a failure
    end)
  end
  -- consumeErrors: the list takes each failure over and leaves nil in the input
  return DeferredList(ds, {consumeErrors = true}):addCallback(function(results)
    local summary = {ok = {}, bad = {}}
    for i, r in ipairs(results) do
      local list = r[1] and summary.ok or summary.bad
      list[#list + 1] = urls[i]
    end
    return summary
  end)
end
