-- DeferredDict: lookups are Deferreds; setting a key fires its waiters.
local dd = DeferredDict()
print(#dd)
local w1 = dd["avatar"]
local w2 = dd.avatar
local w3 = dd[7]
print(w1.called, w2.called, w3.called, w1 == w2)
w1:addCallback(function(v) print("w1 got", v) return v end)
w2:addCallback(function(v)
    -- the value is stored before the waiters fire
    print("w2 got", v, "and a new lookup is already fired:", dd.avatar.called)
    return v
end)
dd["avatar"] = "png-of-terry"
print(#dd, w1.result, w2.result)
local known = dd["avatar"]
print("known key:", known.called, known.result)

-- integer keys: 7 and 7.0 are the same key
dd[7.0] = "seven"
print(w3.result, dd[7].result)

-- set again: a new value for later lookups; nil is a value too
dd.avatar = "new"
print(dd.avatar.result)
local z = dd.zero
dd.zero = nil
print("nil value:", z.called, z.result, #dd)

-- a waiter may be cancelled: it stops waiting
local c = dd.never
c:addErrback(function(f) print("cancelled waiter:", f) end)
c:cancel()
dd.never = 1
print(c.result)

-- keys must be strings or integers
print(pcall(function() return dd[{}] end))
print(pcall(function() return dd[1.5] end))
print(pcall(function() dd[true] = 1 end))
print(tostring(dd):match("^<DeferredDict") ~= nil)
