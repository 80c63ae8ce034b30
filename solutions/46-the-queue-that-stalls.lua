Queue = {}
Queue.__index = Queue

function Queue.new(fn, width)
  return setmetatable({fn = fn, width = width, waiting = {}, running = 0, paused = false}, Queue)
end

function Queue:put(arg)
  local job = {arg = arg, d = Deferred()}
  table.insert(self.waiting, job)
  self:launch()
  return job.d
end

function Queue:launch()
  while not self.paused and self.running < self.width and #self.waiting > 0 do
    local job = table.remove(self.waiting, 1)
    self.running = self.running + 1
    maybeDeferred(self.fn, job.arg):addCallbacks(function(v)
      self.running = self.running - 1
      job.d:callback(v)
      self:launch()
    end, function(f)
      self.running = self.running - 1     -- a failure frees its slot too
      job.d:errback(f)                    -- and the caller still hears about it
      self:launch()
    end)
  end
end

-- Anything that can make room or end a pause re-checks the line at once.
function Queue:setWidth(n) self.width = n; self:launch() end
function Queue:pause() self.paused = true end
function Queue:resume() self.paused = false; self:launch() end
