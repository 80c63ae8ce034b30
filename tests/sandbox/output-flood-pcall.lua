-- expect-status: 1
-- expect-max-bytes: 4194304
-- args: --budget 20000000
-- expect: instruction budget exhausted (20000000 instructions)
-- The output-limit error swallowed by pcall: nothing more is printed, and
-- the budget ends the loop. (A smaller budget: each round is C-heavy, so the
-- default budget would take half a minute, see the report on C work.)
while true do pcall(print, string.rep("y", 4096)) end
