-- What the program prints, line by line.
answer = [[
0.5 disk answers
c got img from disk
1.0 mirror cancelled
b got default avatar
2.0 gravatar cancelled
a, before the timeout, sees CancelledError
a, after the timeout, sees TimeoutError
timers left: 0
]]
