-- args: --memory 16
-- memory grown inside coroutines
local keep = {}
while true do
  local co = coroutine.create(function() coroutine.yield(("y"):rep(10000)) end)
  local _, s = coroutine.resume(co)
  keep[#keep + 1] = s .. #keep
end
