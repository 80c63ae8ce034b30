-- What the program prints, line by line.
answer = [[
firing ready
setup step 1 with conn
query a
a got A
query b
b got B
setup step 2 with conn
query z
z got Z
ready fired
query c
c got C
d failed: no route
e failed: no route
ready2 still holds no route
]]
