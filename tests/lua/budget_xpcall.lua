-- args: --budget 1000000
-- xpcall's handler never runs once the budget is spent (it would run with
-- hooks off); ordinary errors still reach it
print(xpcall(function() error("ordinary") end, function(m) return "handled: " .. m end))
print(xpcall(function() while true do end end, function(m) while true do end end))
print("never printed")
