function isDeferred(x) return type(x) == "userdata" and x.addCallback ~= nil end
function isFailure(x) return type(x) == "userdata" and x.trap ~= nil end

function callAsDeferred(fn, ...)
  local ok, r = pcall(fn, ...)      -- `...` keeps nils in the middle
  if not ok then
    return fail(r)                  -- a raise never escapes: it becomes a failed Deferred
  elseif isDeferred(r) then
    return r                        -- the very same Deferred, not a wrapper
  elseif isFailure(r) then
    return fail(r)                  -- a returned Failure means "this failed"
  else
    return succeed(r)
  end
end
