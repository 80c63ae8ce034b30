-- args: --memory 16
-- one huge string: refused before it is built (string.rep is charged to
-- the budget for what it would make)
local s = ("x"):rep(1e9)
