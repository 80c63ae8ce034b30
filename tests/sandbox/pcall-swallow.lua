-- expect-status: 1
-- expect: pcall-swallow.lua:6:
-- expect: instruction budget exhausted
-- pcall around the loop, and a loop around the pcall.
while true do
    pcall(function() while true do end end)
end
