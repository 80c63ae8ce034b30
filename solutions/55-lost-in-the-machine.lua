Client = {}
Client.__index = Client

function Client.new(dial, backoff)
  return setmetatable({dial = dial, backoff = backoff, state = "disconnected",
                       waiting = {}, tries = 0}, Client)
end

function Client:wait(q)
  local d = Deferred()
  table.insert(self.waiting, {q = q, d = d})
  return d
end

modes = {
  disconnected = function(c, q) local d = c:wait(q); c:connect(); return d end,
  connecting = function(c, q) return c:wait(q) end,
  connected = function(c, q) return c.conn:ask(q) end,
  failed = function(c, q) return fail(c.failure) end,    -- answer at once, with the reason
}

function Client:request(q) return modes[self.state](self, q) end

function Client:connect()
  self.state = "connecting"
  self.dial():addCallbacks(function(conn)
    self.conn, self.tries, self.state = conn, 0, "connected"
    local waiting = self.waiting
    self.waiting = {}
    for _, w in ipairs(waiting) do conn:ask(w.q):chainDeferred(w.d) end
  end, function(f)
    self.tries = self.tries + 1
    local delay = self.backoff[self.tries]
    if delay then
      reactor:callLater(delay, function() self:connect() end)
      return
    end
    self.state, self.failure = "failed", f
    local waiting = self.waiting
    self.waiting = {}
    for _, w in ipairs(waiting) do w.d:errback(f) end   -- nobody is left waiting
  end)
end
