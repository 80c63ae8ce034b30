-- no debug library: no hooks to clear, no registry to reach
print(debug)
debug.sethook()
