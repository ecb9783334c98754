-- g: the floor's actual request: constant headers for one exact Origin
wrk.method = "GET"
wrk.path = "/g/file.txt"
wrk.headers["Origin"] = "https://app.example.com"
