function fetchAll(getPage)
  local done, users = Deferred(), {}

  -- Reading a page is its own step, so its errors reach the errback below.
  local function readPage(page)
    for _, u in ipairs(page.users) do users[#users + 1] = u end
    return page.next or false
  end

  local function fetch(cursor)
    getPage(cursor)
      :addCallback(readPage)
      :addCallbacks(function(nextCursor)
        if nextCursor then fetch(nextCursor) else done:callback(users) end
      end, function(f)
        done:errback(f)            -- a failed request OR a malformed page
      end)
  end

  fetch("start")
  return done
end
