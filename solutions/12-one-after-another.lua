function runInSequence(steps, initial)
  -- A chain is a sequencer: a callback that returns a Deferred makes the
  -- chain wait for it, and a failure skips every remaining callback.
  local d = succeed(initial)
  for _, step in ipairs(steps) do
    d:addCallback(step)
  end
  return d
end
