-- POST /predict with one real Math Stack Exchange question (CC BY-SA 4.0) per request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"texts":[{"text":"Is it true that $0.999999999\\ldots=1$?\n\nI'm told by smart people that $$0.999999999\\ldots=1$$ and I believe them, but is there a proof that explains why this is?"}]}]]

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
