-- args: --memory 16
-- one huge string: string.rep is charged to the budget for what it would
-- make (1 instruction per 64 bytes), then the memory cap refuses it
local s = ("x"):rep(1e9)
