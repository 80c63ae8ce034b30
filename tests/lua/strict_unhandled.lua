-- args: --strict
-- an unhandled failure fails the run with --strict
local d4 = Deferred()
d4:errback(ValueError("nobody handles me"))
print("script done")
