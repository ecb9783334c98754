-- i: b with CORSCrossOriginProtection On: the check on a GET
wrk.method = "GET"
wrk.path = "/i/file.txt"
wrk.headers["Origin"] = "https://app.example.com"
