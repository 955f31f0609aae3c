-- wrk script: the demo institution logs in over and over (each a full argon2id verification).
wrk.method = "POST"
wrk.body = "institutionsnummer=G10234&kodeord=solsikke-demo-2026"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Sec-Fetch-Site"] = "same-origin"

done = function(summary, latency, requests)
  io.write(string.format("logins: %d, errors: status %d, timeouts %d\n",
    summary.requests, summary.errors.status, summary.errors.timeout))
end
