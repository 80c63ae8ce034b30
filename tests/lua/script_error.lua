-- an error at the top level names the file and line
local d = Deferred()
d:callback(1)
d:callback(2)
