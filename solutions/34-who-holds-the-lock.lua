-- What the program prints, line by line.
answer = [[
job starts
before the job ends, locked: true
reader 1 has the lock
reader 2 has the lock
writer got report, locked: true
after the job ended, locked: true
tokens: 0, c has a token: false
tokens: 0, c has a token: true
tokens: 2
]]
