-- args: --memory 16
-- pcall cannot swallow the memory limit: the next instruction fails again
print(pcall(function() local s = "x" while true do s = s .. s end end))
print("never printed")
