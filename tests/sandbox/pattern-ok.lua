-- expect-status: 0
-- expect: abc	2
-- expect: k	v
-- Ordinary patterns still work.
print(("a b c"):gsub("%s+", ""))
print(("k=v"):match("(%w+)=(%w+)"))
for w in ("x y"):gmatch("%a") do print(w) end
print(string.find("a.b", ".", 1, true))
