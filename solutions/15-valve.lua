Valve = {}
Valve.__index = Valve

function Valve.new()
  return setmetatable({open = true, held = {}}, Valve)
end

function Valve:close()
  self.open = false
end

function Valve:hold(d)
  if not self.open then
    d:pause()
    table.insert(self.held, d)   -- remember only what we paused: one unpause per pause
  end
  return d
end

function Valve:openUp()
  self.open = true
  local held = self.held
  self.held = {}                 -- cleared first, so a second openUp unpauses nothing
  for _, d in ipairs(held) do d:unpause() end
end
