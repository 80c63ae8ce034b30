function gatherAll(ds)
  -- Cancelling the gatherer cancels every input (those already fired ignore it).
  local result = Deferred(function()
    for _, d in ipairs(ds) do d:cancel() end
  end)
  local values, succeeded = {}, 0
  if #ds == 0 then
    result:callback(values)
    return result
  end
  for i, d in ipairs(ds) do
    d:addCallbacks(
      function(v)
        values[i] = v                          -- by position, not in firing order
        succeeded = succeeded + 1
        if succeeded == #ds and not result.called then result:callback(values) end
        return v                               -- the input's owner keeps its value
      end,
      function(f)
        if not result.called then result:errback(FirstError(f, i)) end
        return f                               -- no consumeErrors: the input keeps its failure
      end)
  end
  return result
end
