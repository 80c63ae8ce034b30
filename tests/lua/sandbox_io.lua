-- no io library: reading files is out of reach
print(io)
local f = io.open("/etc/passwd")
