-- expect-status: 1
-- expect: mem-coroutine-bomb.lua:5:
-- Each coroutine starts the next: C stack depth grows per resume.
local function bomb() coroutine.wrap(bomb)() end
bomb()
