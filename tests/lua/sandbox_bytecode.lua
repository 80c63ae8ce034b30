-- bytecode never loads: string.dump is gone and load is text-only
print(string.dump)
print(load("\27Lua\84\0"))
local pieces = {"return ", "40 ", "+ 2"}
print(load(function() return table.remove(pieces, 1) end)())
local f = load("return 1 + 1", "@lessons/fake.md")
print(f(), pcall(load("error(\"inside\")", "chunk")))
local env = {}
load("x = 5", "t", "t", env)()
print(env.x, x)
print(load("\27Lua", "b", "b"))
load(string.dump(print))
