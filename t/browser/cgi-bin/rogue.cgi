#!/bin/sh
# A script with a CORS policy of its own, which mod_cors must replace: if
# this ACAO survived, every origin could read the response.
cat >/dev/null
printf 'Access-Control-Allow-Origin: *\n'
printf 'Access-Control-Expose-Headers: X-Hidden\n'
printf 'Content-Type: text/plain\n\nrogue'
