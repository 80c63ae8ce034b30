-- expect-status: 1
-- expect: package.lua:5:
-- expect: attempt to index a nil value (global 'package')
-- package.loaded would hand out io and os again.
local io2 = package.loaded.io
