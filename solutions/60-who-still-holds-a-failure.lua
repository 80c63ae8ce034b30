-- What the program prints, line by line.
answer = [[
a's errback saw a broke
b's errback saw b broke
list 1 saw ok = false
g failed with FirstError at index 2
a holds nil
b holds Failure(ValueError: b broke)
inner holds nil
outer holds Failure(ValueError: inner broke)
x holds Failure(ValueError: x broke)
y holds nil
list1 holds nil
list2 holds a list of 1
g holds nil
]]
