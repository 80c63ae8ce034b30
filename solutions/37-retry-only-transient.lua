HTTPError = ErrorType("HTTPError")

-- Only these statuses can be cured by waiting a little.
transient = {["500"] = true, ["502"] = true, ["503"] = true, ["504"] = true}

function fetchWithRetry(url, tries)
  return getPage(url):addErrback(function(f)
    if not (f:check(HTTPError) and transient[f.value.message]) then
      return f                     -- not transient: fail at once with the original failure
    end
    if tries <= 1 then return f end
    return deferLater(reactor, 1, fetchWithRetry, url, tries - 1)
  end)
end
