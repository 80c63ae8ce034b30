-- What the program prints, line by line.
answer = [[
0.5 api try 1 failed: 504
1.0 api try 2 failed: 404
2.0 api try 3 failed: 502
4.0 api try 4 failed: 503
4.0 api gave up with 504
4.0 cdn try 1 failed: 404
4.5 cdn try 2 failed: 500
5.5 cdn try 3 failed: 404
5.5 cdn gave up with 404
]]
