-- args: --budget 1000000
-- a to-be-closed variable's __close runs with hooks on: it cannot loop forever
do
  local guard <close> = setmetatable({}, {__close = function() while true do end end})
  while true do end
end
