ConnectionLost = ErrorType("ConnectionLost")

function safeRequest(client, q, maxSends)
  return client:request(q):addErrback(function(f)
    if f:check(ConnectionLost) and maxSends > 1 then
      -- the caller's Deferred now waits for the next send
      return safeRequest(client, q, maxSends - 1)
    end
    return f            -- anything else, or no sends left: the caller gets this failure
  end)
end
