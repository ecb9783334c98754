-- f: the file with b's response headers set as constants by
-- "Header always set" (no origin check); same request as b
wrk.method = "GET"
wrk.path = "/f/file.txt"
wrk.headers["Origin"] = "https://app.example.com"
