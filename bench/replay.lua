-- Replays one signed request for wrk: wrk -s bench/replay.lua URL -- REQUEST_FILE
-- The file holds "METHOD PATH", then "Name: value" header lines, a blank line, and the body.
-- The target must accept a repeated nonce (dypls-sandbox --no-nonce-check).
local prepared

function init(args)
  local file = assert(io.open(args[1], "rb"), "cannot read the request file " .. tostring(args[1]))
  local text = file:read("*a")
  file:close()
  local head, body = text:match("^(.-)\n\n(.*)$")
  head = head or text
  local lines = {}
  for line in head:gmatch("[^\n]+") do lines[#lines + 1] = line end
  local method, path = lines[1]:match("^(%S+) (%S+)$")
  assert(method, "the first line must be METHOD PATH")
  local headers = {}
  for i = 2, #lines do
    local name, value = lines[i]:match("^([^:]+): (.*)$")
    headers[name] = value
  end
  -- wrk.format sends Content-Length only with a body: a bodiless POST keeps "" so that it says
  -- "Content-Length: 0" (without a length the server would wait for a body); a GET sends none.
  if method == "GET" and body == "" then body = nil end
  -- The path of the URL given to wrk is a prefix (e.g. /api for the relay).
  local prefix = wrk.path == "/" and "" or wrk.path:gsub("/$", "")
  prepared = wrk.format(method, prefix .. path, headers, body)
end

function request()
  return prepared
end
