-- expect-status: 0
-- expect: done
-- DeferredLists nested 40 deep, each holding the previous one twice: the
-- result's repr doubles per level, so reprs must stop when the text is full.
local d = succeed(1)
for i = 1, 40 do d = DeferredList({d, d}) end
print("done")
