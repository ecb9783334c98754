-- e: b with 10,000 origins configured
wrk.method = "GET"
wrk.path = "/e/file.txt"
wrk.headers["Origin"] = "https://app.example.com"
