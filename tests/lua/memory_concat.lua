-- args: --memory 16
-- a string that doubles until the cap
local s = "x"
while true do s = s .. s end
