function firstOf(ds)
  local won = false
  local failures, failed = {}, 0
  -- Cancelling the race cancels every input; their failures (or values) settle it.
  local result = Deferred(function()
    for _, d in ipairs(ds) do d:cancel() end
  end)
  for i, d in ipairs(ds) do
    d:addCallbacks(
      function(v)
        if not won then
          won = true
          for j, other in ipairs(ds) do
            if j ~= i then other:cancel() end      -- stop the losers first...
          end
          result:callback({i, v})                  -- ...then announce the winner
        end
        -- returning nothing: the race takes charge of the input's result
      end,
      function(f)
        failures[i] = f                            -- by index: input order, not arrival order
        failed = failed + 1
        if failed == #ds then
          result:errback(FailureGroup(failures))
        end
      end)
  end
  return result
end
