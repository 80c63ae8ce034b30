function later(clock, delay, fn, ...)
  local args = table.pack(...)          -- keeps nils and the count
  local call
  -- Cancelling the Deferred removes the timer; cancel() then errbacks CancelledError.
  local d = Deferred(function() call:cancel() end)
  -- fn runs as a callback: its value, its error or its Deferred feed the chain.
  d:addCallback(function()
    if fn then return fn(table.unpack(args, 1, args.n)) end
  end)
  call = clock:callLater(delay, function() d:callback(nil) end)
  return d
end
