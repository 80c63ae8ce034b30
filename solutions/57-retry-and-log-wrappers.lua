function withRetry(fn, tries)
  return function(...)
    local args = table.pack(...)
    local function try(left)
      return maybeDeferred(fn, table.unpack(args, 1, args.n)):addErrback(function(f)
        if left > 1 then return try(left - 1) end   -- the chain waits for the next try
        return f                                    -- out of tries: the last failure
      end)
    end
    return try(tries)
  end
end

function logged(name, fn, log)
  return function(...)
    return maybeDeferred(fn, ...):addCallbacks(function(v)
      log(name .. " -> " .. tostring(v))
      return v                                      -- pass the result on unchanged
    end, function(f)
      log(name .. " failed: " .. f:getErrorMessage())
      return f                                      -- the caller still gets the failure
    end)
  end
end
