-- no modules from disk: require, dofile, loadfile and package are gone
print(require, dofile, loadfile, package)
require("os")
