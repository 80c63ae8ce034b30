-- expect-status: 0
-- expect: after cancel: false
-- A callback returning its own Deferred, then cancel(): cancel follows the
-- "waiting on" links and must not go round forever. Twisted recurses until
-- RecursionError; the engine raises RuntimeError("maximum recursion depth
-- exceeded: cancel() went round a cycle ..."), and the run goes on.
d = Deferred()
d:addCallback(function() return d end)
d:callback(1)
local ok, err = pcall(function() d:cancel() end)
print("after cancel: " .. tostring(ok), tostring(err):match("cycle") and "cycle" or tostring(err))
