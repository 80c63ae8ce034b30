-- Exceptions, exception types, Failures.
local e = ValueError("bad")
print(e, e.message, e.type, e.type == ValueError, #e.args, e.args[1])
print(ValueError(), #ValueError().args, ValueError().message == "")
local multi = KeyError(10, "Deferred")
print(multi, multi.args[1], multi.args[2])
print(RuntimeError(2.5), RuntimeError(true).message)

-- every built-in type exists and derives from Exception
for _, T in ipairs{Exception, ValueError, KeyError, TypeError, RuntimeError,
                   ZeroDivisionError, AssertionError, CancelledError, AlreadyCalledError,
                   TimeoutError, FirstError, FailureGroup, QueueOverflow, QueueUnderflow,
                   AlreadyCancelled, AlreadyCalled} do
  print(T.name, T.base and T.base.name, isinstance(T("m"), Exception), tostring(T))
end

-- ErrorType and isinstance
local HttpError = ErrorType("HttpError")
local NotFound = ErrorType("NotFound", HttpError)
local nf = NotFound("no page")
print(nf, nf.type.name, nf.type.base == HttpError)
print(isinstance(nf, NotFound), isinstance(nf, HttpError), isinstance(nf, Exception),
      isinstance(nf, ValueError), isinstance(nf, {ValueError, HttpError}), isinstance(42, Exception))
nf.code = 404
print(nf.code, nf.missing)
local ok, err = pcall(function() nf.message = "x" end)
print(ok, (err:gsub("^.-:%d+: ", "")))

-- Failure(err): value, type, where, trap, check, getErrorMessage, raise
local f = Failure(e)
print(f, f.value == e, f.type == ValueError, f.where)
print(f:check(KeyError), f:check(KeyError, ValueError) == ValueError, f:check(Exception))
print(f:trap(ValueError) == ValueError, f:getErrorMessage())
ok, err = pcall(f.trap, f, KeyError)
print(ok, err == f, err.value == e)
ok, err = pcall(f.raise, f)
print(ok, err == f)
print(Failure("text"), Failure("text").type == Exception)
ok, err = pcall(Failure)
print(ok, err)

-- errors inside callbacks: text, runtime errors, exceptions, Failures, other values
local function errback_shows(fire)
  local d = Deferred()
  d:addCallback(fire)
  d:addErrback(function(fl) print(fl, fl.type.name, fl.where) end)
  d:callback(0)
end
errback_shows(function() error("plain message") end)
errback_shows(function() error("level two", 2) end)
errback_shows(function() local x = nil; return x.field end)
errback_shows(function() error(ZeroDivisionError("div")) end)
errback_shows(function() error({code = 1}) end)
errback_shows(function() error(7) end)

-- trap re-raises the very same Failure down the errback track
local original = Failure(ValueError("same"))
local seen
local d = Deferred()
d:addErrback(function(fl) return fl:trap(KeyError) end)
d:addErrback(function(fl) seen = fl end)
d:errback(original)
print(seen == original, seen.value == original.value)
-- error(f) keeps the Failure; error(exc) keeps the exception
local d2 = Deferred()
d2:addCallback(function() error(original) end)
d2:addErrback(function(fl) print(fl == original) end)
d2:callback(1)
local d3 = Deferred()
d3:addCallback(function() error(e) end)
d3:addErrback(function(fl) print(fl.value == e, fl == original) return fl:trap(ValueError) end)
d3:callback(1)
print(d3.result == ValueError)

-- a table in error() travels in args[1]
local payload = {why = "because"}
local d4 = Deferred()
d4:addCallback(function() error(payload) end)
d4:addErrback(function(fl) print(fl.value.args[1] == payload, fl.value.args[1].why) end)
d4:callback(1)
