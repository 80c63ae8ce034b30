-- expect-status: 1
-- expect: instruction budget exhausted
-- The message handler itself loops.
print(xpcall(function() error("x") end, function(m) while true do end end))
while true do xpcall(function() while true do end end, function(m) return m end) end
