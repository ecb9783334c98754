-- a: the small static file, no CORS (no Origin, no policy)
wrk.method = "GET"
wrk.path = "/a/file.txt"
