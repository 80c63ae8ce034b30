-- What the program prints, line by line.
answer = [[
0 start a
0 start b
1 done  b
1 start c
-- width 3
1 start d
-- width 1
3 done  a
3 done  c
3 done  d
3 start e
4 done  e
4 start f
5 done  f
]]
