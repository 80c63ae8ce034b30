-- DeferredParallelCommandExecutor: the seed blog's avatar lookup (cache, filesystem and
-- network race; the first success wins, the others are cancelled).
local function at() return string.format("@%g", reactor:seconds()) end

local cache, known = DeferredDict(), {}

local function fromCache(user)
    print("cache(" .. user .. ")" .. at())
    if not known[user] then error(KeyError(user)) end
    return cache[user]
end

local function fromFilesystem(user)
    print("filesystem(" .. user .. ")" .. at())
    return deferLater(reactor, 0.5, function() error(RuntimeError("no such file")) end)
end

local function fromNetwork(user)
    print("network(" .. user .. ")" .. at())
    local d = deferLater(reactor, 2, function() return "png-of-" .. user end)
    d:addCallback(function(png)
        print("fill(" .. png .. ")" .. at())
        known[user] = true
        cache[user] = png
        return png
    end)
    d:addErrback(function(f)
        print("network lookup ended:", f)
        return f
    end)
    return d
end

local x = DeferredParallelCommandExecutor()
x:registerFunction(fromCache)
x:registerFunction(fromFilesystem)
x:registerFunction(fromNetwork)
print("functions", x.functions)

-- first lookup: the cache misses, the file is missing, Gravatar answers
local avatar = x:execute("terry")
avatar:addCallback(function(png) print("avatar" .. at(), png) return png end)
print("running", x.running)
reactor:advance(0.5)
print("after the file failed:", avatar.called)
reactor:advance(1.5)
print(avatar.result, cache.terry.result, x.running)

-- second lookup: the cache answers at once; the others are cancelled
local again = x:execute("terry")
print(again.result, #reactor:getDelayedCalls())
reactor:advance(10) -- and the cancelled network lookup does not fill again

-- everything fails: ParallelCommandException with the failures, in registration order
local y = DeferredParallelCommandExecutor()
y:registerFunction(function(a, b) error(ValueError("first " .. a .. b)) end)
y:registerFunction(function() return deferLater(reactor, 1, function() error("second") end) end)
local all = y:execute("x", "y")
all:addErrback(function(f)
    print(f.type == ParallelCommandException, isinstance(f.value, ParallelCommandException))
    print(#f.value.failures, f.value.failures[1], f.value.failures[2])
    print(f.value.args[1][1] == f.value.failures[1])
    print(f.value.message)
end)
reactor:advance(1)

-- arguments are passed on; a synchronous success wins before the others run far
local z = DeferredParallelCommandExecutor()
z:registerFunction(function(a, b) return a + b end)
z:registerFunction(function() return Deferred(function() print("slow one cancelled") end) end)
print("sum", z:execute(2, 3).result)

-- errors
print(pcall(function() DeferredParallelCommandExecutor():execute(1) end))
print(pcall(function() z:registerFunction("f") end))
print(pcall(function() z:registerFunction() end))
print(pcall(function() z.functions = 0 end))
