getWithRetries = inlineCallbacks(function(fetch, url, tries)
  local delay, last = 1, nil
  for try = 1, tries do
    local ok, result = pcall(yield, fetch(url))
    if ok then return result end
    if result:check(CancelledError) then error(result) end   -- cancelled: stop, don't retry
    last = result
    if try < tries then
      yield(deferLater(reactor, delay))   -- a cancel here raises CancelledError: also stops
      delay = delay * 2
    end
  end
  error(last)                             -- every try failed: fail with the last failure
end)
