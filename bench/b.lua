-- b: actual request from an allowed origin, answered through mod_cors
wrk.method = "GET"
wrk.path = "/b/file.txt"
wrk.headers["Origin"] = "https://app.example.com"
