-- d, actual: the same policy as mod_headers + mod_setenvif
wrk.method = "GET"
wrk.path = "/d/file.txt"
wrk.headers["Origin"] = "https://app.example.com"
