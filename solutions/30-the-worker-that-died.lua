function startWorker(q, processJob, done, errors)
  local function loop()
    q:get()
      :addCallback(processJob)
      :addCallbacks(
        function(result) table.insert(done, result) end,
        function(f) table.insert(errors, f) end)   -- handled: back on the callback track
      :addCallback(loop)                           -- so the next job is always asked for
  end
  loop()
end
