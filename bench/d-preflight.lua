-- d, preflight: the same policy as mod_headers + mod_setenvif + mod_rewrite
wrk.method = "OPTIONS"
wrk.path = "/d/file.txt"
wrk.headers["Origin"] = "https://app.example.com"
wrk.headers["Access-Control-Request-Method"] = "PUT"
wrk.headers["Access-Control-Request-Headers"] = "content-type, x-requested-with"
