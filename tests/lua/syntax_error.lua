-- a syntax error is reported with its line
local x = = 1
