-- __gc finalizers run with hooks off, so the sandbox refuses them
print(pcall(setmetatable, {}, {__gc = function() while true do end end}))
setmetatable({}, {__gc = false})
