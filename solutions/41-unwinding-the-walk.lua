-- What the program prints, line by line.
answer = [[
1 got page start
2 got page p2
3 got page p3
leaving p3
leaving p2
leaving start
walk 1 got ann bob cat dan
-- second walk
4 got page start
walk 2 failed: 503 on request 5; collected ann bob
]]
