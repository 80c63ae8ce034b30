function avatarUrl(userId)
  -- The fetch's own Deferred: cancelling it runs the fetch's canceller,
  -- and a failure flows to the caller with no extra code.
  return fetch("/users/" .. userId):addCallback(function(user)
    return user.avatar
  end)
end
