#!/bin/sh
# Answers any method with its name, so a script can tell it got through.
cat >/dev/null
printf 'Content-Type: text/plain\n\n%s' "$REQUEST_METHOD"
