-- args: --budget 1000000
-- an endless loop ends with the instruction budget
while true do end
