-- an exception raised at the top level
local function check(x)
  if x < 0 then error(ValueError("negative: " .. x)) end
end
check(-1)
