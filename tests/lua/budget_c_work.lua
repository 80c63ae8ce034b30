-- args: --budget 1000000
-- work done inside C library functions is charged or refused up front
print(pcall(string.find, ("a"):rep(40), ("a-"):rep(12) .. "b"))
print(("x"):rep(3), ("ab"):find("b", 1, true))
print(pcall(string.rep, "", 1e14))
print("never printed")
