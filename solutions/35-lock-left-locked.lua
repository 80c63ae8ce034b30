lock = DeferredLock()

-- run() releases the lock when the write's Deferred fires, whichever track it ends on,
-- and hands the caller the write's result or failure unchanged.
function saveRecord(store, record)
  return lock:run(function()
    return store:write(record)
  end)
end
