AllFailed = ErrorType("AllFailed")

function Executor()
  local ex = {fns = {}}

  function ex:register(fn)
    self.fns[#self.fns + 1] = fn
  end

  function ex:execute(...)
    if #self.fns == 0 then
      -- DeferredList({}, {fireOnOneCallback = true}) would never fire
      return fail(AllFailed("nothing to try", {}))
    end
    local ds = {}
    for i, fn in ipairs(self.fns) do ds[i] = maybeDeferred(fn, ...) end
    local dl = DeferredList(ds, {fireOnOneCallback = true, consumeErrors = true})
    return dl:addCallback(function(r)
      if math.type(r[2]) == "integer" then       -- {value, index}: a winner
        for j, d in ipairs(ds) do
          if j ~= r[2] then d:cancel() end        -- a no-op for those already done
        end
        return r[1]
      end
      local failures = {}                         -- {{false, f}, ...}: everyone failed
      for i, pair in ipairs(r) do failures[i] = pair[2] end
      error(AllFailed(#failures .. " ways failed", failures))
    end)
  end

  return ex
end
