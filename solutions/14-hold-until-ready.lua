function holdUntil(d, ready)
  d:pause()                       -- nothing on d's chain runs from now on...
  ready:addBoth(function(r)
    d:unpause()                   -- ...until ready fires, on either track
    return r                      -- ready's owner still gets ready's result
  end)
  return d
end
