-- expect-status: 1
-- expect-max-bytes: 4194304
-- expect: output-huge-line.lua:6:
-- expect: output limit exceeded
-- One print of 8 MiB.
print(string.rep("z", 8 << 20))
