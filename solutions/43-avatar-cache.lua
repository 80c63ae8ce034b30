Miss = ErrorType("Miss")

function avatarLookup(sources)
  return function(user)
    local ds, missed = {}, {}
    for i, s in ipairs(sources) do
      ds[i] = s.get(user):addErrback(function(f)
        -- remember who said "not here"; keep the failure a failure
        if f:check(Miss) and s.store then missed[#missed + 1] = s end
        return f
      end)
    end
    local dl = DeferredList(ds, {fireOnOneCallback = true, consumeErrors = true})
    return dl:addCallback(function(r)
      if math.type(r[2]) ~= "integer" then       -- the full list: nobody had it
        error(Miss("no avatar for " .. user))
      end
      local avatar, winner = r[1], r[2]
      for _, s in ipairs(missed) do s.store[user] = avatar end
      for j, d in ipairs(ds) do
        if j ~= winner then d:cancel() end
      end
      return avatar
    end)
  end
end
