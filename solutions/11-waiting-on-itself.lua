function profileOf(id)
  local d = fetchUser(id)
  d:addCallback(function(user)
    local a = fetchAvatar(user)
    a:addCallback(function(image) return {name = user.name, image = image} end)
    return a          -- wait for the avatar request, not for ourselves
  end)
  return d
end
