-- expect-status: 1
-- expect: require.lua:5:
-- expect: attempt to call a nil value (global 'require')
-- No module loading from disk.
local lfs = require("lfs")
