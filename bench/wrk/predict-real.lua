-- POST /predict with one real Math Stack Exchange question (CC BY-SA 4.0) per request, whole posts at their real
-- lengths, taken in turn from $POSTS_FILE: one request body per line (bench/wrk/real-posts.sh writes it from the data).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {}
local file = assert(io.open(assert(os.getenv("POSTS_FILE"), "POSTS_FILE is not set"), "r"))
for line in file:lines() do
  bodies[#bodies + 1] = line
end
file:close()
assert(#bodies > 0, "POSTS_FILE holds no request")
local next_body = 0

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
