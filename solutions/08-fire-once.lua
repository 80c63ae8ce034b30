cache = {}

function getUser(id)
  if type(id) ~= "number" then
    return fail(ValueError("bad id: " .. tostring(id)))   -- born failed
  end
  if cache[id] then
    return succeed(cache[id])                             -- born fired
  end
  -- The fetch's own Deferred is the answer; a callback stores the user on the way.
  return fetchUser(id):addCallback(function(user)
    cache[id] = user
    return user
  end)
end
