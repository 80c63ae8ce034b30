-- args: --semantics proposed
-- `deferlab run --semantics proposed` starts the run in the proposed semantics
local d1, d2 = Deferred(), Deferred()
d1:chainDeferred(d2)
d1:callback("v")
print(d1.result, d2.result)
print(pcall(d2.callback, d2, "again"))
