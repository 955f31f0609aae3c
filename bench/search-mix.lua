-- wrk script: request the paths listed in a file (wrk ... -s search-mix.lua URL -- FILE PREFIX),
-- one after another, each thread starting at its own place. PREFIX goes
-- before each path's query string ("/" for the search page, "/api/v1/dagtilbud"
-- for the API). Non-2xx answers are counted by wrk.
local paths = {}
local counter = 0
local threads = {}

setup = function(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

init = function(args)
  local file, prefix = args[1], args[2] or "/"
  for line in io.lines(file) do
    if line ~= "" then table.insert(paths, prefix .. line) end
  end
  counter = (id or 0) * 97
end

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
