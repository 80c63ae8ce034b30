-- no os library: no processes, no environment, no clock
print(os)
os.execute("echo escaped")
