function newClient(dial, send, delays)
  local client = {state = "disconnected", waiting = {}, refusals = 0}

  local function wait(q)
    local d = Deferred()
    client.waiting[#client.waiting + 1] = {q = q, d = d}
    return d
  end

  local function takeWaiting()
    local waiting = client.waiting
    client.waiting = {}               -- new arrivals go to a fresh list
    return waiting
  end

  local connect
  connect = function()
    client.state = "connecting"
    dial():addCallbacks(function(conn)
      client.conn, client.refusals, client.state = conn, 0, "connected"
      for _, w in ipairs(takeWaiting()) do
        send(conn, w.q):chainDeferred(w.d)       -- in arrival order
      end
    end, function(f)
      client.refusals = client.refusals + 1
      local delay = delays[client.refusals]
      if delay then
        reactor:callLater(delay, connect)
        return
      end
      client.state, client.reason = "failed", f
      for _, w in ipairs(takeWaiting()) do w.d:errback(f) end
    end)
  end

  -- what request(q) means in each state
  local modes = {
    disconnected = function(q) local d = wait(q); connect(); return d end,
    connecting = function(q) return wait(q) end,
    connected = function(q) return send(client.conn, q) end,
    failed = function(q) return fail(client.reason) end,
  }

  function client:request(q) return modes[self.state](q) end

  function client:lost()
    self.conn, self.state = nil, "disconnected"
  end

  return client
end
