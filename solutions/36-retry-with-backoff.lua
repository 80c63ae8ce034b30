HTTPError = ErrorType("HTTPError")

function retryCall(fn, backoff, tester)
  local done, first = Deferred(), nil
  local attempt

  local function failed(f)
    first = first or f                      -- keep the first failure for "out of delays"
    local ok, verdict = pcall(tester, f)
    if not ok then
      done:errback(verdict)                 -- the tester raised: stop with that
    elseif verdict ~= nil then
      done:errback(verdict)                 -- the tester returned a failure: stop with it
    else
      attempt()                             -- nil: try again
    end
  end

  attempt = function()
    local delay = backoff()
    if delay == nil then
      done:errback(first)
      return
    end
    deferLater(reactor, delay, fn):addCallbacks(function(v) done:callback(v) end, failed)
  end

  attempt()
  return done
end

function gatewayTester()
  local forgave404 = false                  -- memory per tester
  return function(f)
    f:trap(HTTPError)                       -- anything else is raised again: stop
    local status = f.value.message
    if status == "504" then return nil end
    if status == "404" and not forgave404 then
      forgave404 = true
      return nil
    end
    return f
  end
end
