#!/bin/sh
# The demo API's one script: it takes a PUT and answers, as JSON, the
# method and the size of the body it received.
cat > /dev/null
printf 'Content-Type: application/json\n\n'
printf '{"method": "%s", "received": %d}\n' "$REQUEST_METHOD" \
    "${CONTENT_LENGTH:-0}"
