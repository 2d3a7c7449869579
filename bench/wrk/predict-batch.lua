-- POST /predict with a batch of 32 posts per request (four real questions repeated).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local posts = {
  [[Is it true that $0.999999999\\ldots=1$? I'm told by smart people that $$0.999999999\\ldots=1$$ and I believe them, but is there a proof that explains why this is?]],
  [[How many ways can 5 people sit around a round table? Two seatings are the same when one is a rotation of the other. Is the answer $\\frac{5!}{5} = 4!$?]],
  [[Find all primes $p$ such that $p^2 + 2$ is also prime.]],
  [[Prove that in any triangle $ABC$, $\\sin A + \\sin B + \\sin C \\le \\frac{3\\sqrt{3}}{2}$.]],
}
local items = {}
for i = 1, 32 do
  items[i] = '{"text":"' .. posts[(i - 1) % #posts + 1] .. '"}'
end
wrk.body = '{"texts":[' .. table.concat(items, ",") .. ']}'

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
