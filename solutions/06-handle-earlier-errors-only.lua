function showPage(d, render)
  -- One pair: eb only ever sees failures that happened before this step,
  -- and an error raised by render goes on to the next pair (the caller's).
  d:addCallbacks(render, function(f)
    f:trap(KeyError)       -- other lookup failures pass through
    return "404 page"
  end)
  return d
end
