renameUser = inlineCallbacks(function(db, id, newName)
  local user = yield(db:get(id))   -- wait for the record itself
  user.name = newName
  yield(db:put(id, user))          -- wait for the save; a failure is raised here
  return user
end)
