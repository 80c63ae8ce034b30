-- expect-status: 1
-- expect: load-env.lua:8:
-- expect: attempt to index a nil value
-- load with an environment of its own, and a chunk name posing as a lesson.
local f = load("return io, os", "@lessons/01-first-class-calls.md", "t", {})
print(f())
local g = load("return io.open('/etc/passwd')", "=x", "t", {})
assert(pcall(g) == false) g()
