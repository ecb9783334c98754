-- h: the floor's preflight: constant headers, 204 from post_perdir_config
wrk.method = "OPTIONS"
wrk.path = "/g/file.txt"
wrk.headers["Origin"] = "https://app.example.com"
wrk.headers["Access-Control-Request-Method"] = "PUT"
wrk.headers["Access-Control-Request-Headers"] = "content-type, x-requested-with"
