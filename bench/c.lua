-- c: a preflight answered by mod_cors (204, no handler)
wrk.method = "OPTIONS"
wrk.path = "/b/file.txt"
wrk.headers["Origin"] = "https://app.example.com"
wrk.headers["Access-Control-Request-Method"] = "PUT"
wrk.headers["Access-Control-Request-Headers"] = "content-type, x-requested-with"
