-- expect-status: 1
-- expect-max-bytes: 4194304
-- expect: output-flood.lua:6:
-- expect: output limit exceeded (1 MiB printed)
-- print in a loop: the output is capped at 1 MiB per run.
while true do print("spam spam spam spam") end
