HTTPError = ErrorType("HTTPError")

local transient = {["500"] = true, ["502"] = true, ["503"] = true}

function fetchAll(getPage, maxTries)
  local done, users, seen = Deferred(), {}, {}

  -- Read one page: keep its new users, return the next cursor (or false at the end).
  local function collect(page)
    if type(page) ~= "table" or type(page.users) ~= "table" then
      error(ValueError("page without a users list"))
    end
    for _, u in ipairs(page.users) do
      if not seen[u] then seen[u] = true; users[#users + 1] = u end
    end
    return page.next or false
  end

  local function fetch(cursor, try)
    getPage(cursor)
      :addCallback(collect)                 -- its own step: its errors reach the errback below
      :addCallbacks(function(nextCursor)
        if nextCursor then fetch(nextCursor, 1) else done:callback(users) end
      end, function(f)
        if f:check(HTTPError) and transient[f.value.message] and try < maxTries then
          reactor:callLater(try, fetch, cursor, try + 1)   -- same page, 1 s, 2 s, ...
        else
          done:errback(f)
        end
      end)
  end

  fetch("start", 1)
  return done
end
