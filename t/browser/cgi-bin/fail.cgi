#!/bin/sh
# A server error with a body the page should be able to read.
cat >/dev/null
printf 'Status: 500 Internal Server Error\nContent-Type: text/plain\n\nboom'
