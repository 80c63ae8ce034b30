-- args: --budget 1000000
-- pcall cannot swallow the budget: the next instruction fails again
print(pcall(function() while true do end end))
print("never printed")
