-- args: --memory 8
-- garbage is not a leak: churning far more than the limit is fine
local kept = {}
for i = 1, 20000 do
  local s = ("x"):rep(1000) .. i
  if i % 1000 == 0 then kept[#kept + 1] = s end
end
local n = 0
for i = 1, 5000 do n = n + #tostring(succeed(i)) end
print("ok", #kept, n > 0)
