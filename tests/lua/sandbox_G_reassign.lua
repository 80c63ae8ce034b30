-- rebinding _G changes nothing: the API is still there
_G = {}
print(succeed(1).result, type(Deferred))
_ENV = {}
print("never printed")
