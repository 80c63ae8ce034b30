function withTimeout(d, seconds, clock)
  local timedOut = false
  local call = clock:callLater(seconds, function()
    timedOut = true
    d:cancel()              -- the canceller runs; it may even answer with a fallback
  end)
  -- Only a cancellation caused by the timer becomes a TimeoutError.
  d:addErrback(function(f)
    if timedOut then
      f:trap(CancelledError)                      -- other errors pass through unchanged
      error(TimeoutError(seconds, "Deferred"))
    end
    return f
  end)
  -- Whatever happened, the timer is no longer needed.
  d:addBoth(function(r)
    if call:active() then call:cancel() end
    return r
  end)
  return d
end
