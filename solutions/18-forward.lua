function forward(d1, d2)
  return d1:addCallbacks(
    function(v)
      if not d2.called then d2:callback(v) end   -- leave a fired d2 alone
      return v                                   -- the value flows on down d1
    end,
    function(f)
      if not d2.called then d2:errback(f) end
      return f                                   -- the failure stays on d1's error track
    end)
end
