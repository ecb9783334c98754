#!/bin/sh
# Serve conf/example.conf and the demo from a private httpd, in the
# foreground, with the module from .libs/:
#   http://127.0.0.1:PORT/          conf/example.conf, and the demo page
#                                   http://127.0.0.1:PORT/demo/
#   http://localhost:API_PORT/      the demo's API (conf/demo.conf), another
#                                   origin; API_PORT defaults to PORT+1
# The system's Apache, its configuration and its ports are not touched.
# Ctrl-C stops it.
#
#   sh build/run.sh [PORT [API_PORT]]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
port=${1:-8080}
api_port=${2:-$((port + 1))}
. "$top/build/httpd.sh"
state=$(mktemp -d /tmp/mod_cors-run.XXXXXX)
trap 'rm -rf "$state"' EXIT INT TERM

www=$top/www
if [ "$(id -u)" = 0 ]; then
    chmod 755 "$state"
    # a tree under /root is not readable by www-data: serve a copy
    if ! runuser -u www-data -- test -r "$www/index.html" 2>/dev/null; then
        cp -R "$top/www" "$state/www"
        chmod -R a+rX "$state/www"
        www=$state/www
    fi
fi

cat > "$state/httpd.conf" <<CONF
ServerRoot "$state"
Define MOD_CORS_WWW "$www"
LoadModule mpm_event_module $HTTPD_MODULES/mod_mpm_event.so
LoadModule authz_core_module $HTTPD_MODULES/mod_authz_core.so
LoadModule authz_host_module $HTTPD_MODULES/mod_authz_host.so
LoadModule mime_module $HTTPD_MODULES/mod_mime.so
LoadModule dir_module $HTTPD_MODULES/mod_dir.so
LoadModule headers_module $HTTPD_MODULES/mod_headers.so
LoadModule cors_module "$top/.libs/mod_cors.so"
$(httpd_user_conf)
Listen 127.0.0.1:$port
Listen 127.0.0.1:$api_port
ServerName 127.0.0.1
PidFile "$state/httpd.pid"
DefaultRuntimeDir "$state"
Mutex file:$state
ErrorLog /dev/stderr
LogFormat "%h \"%r\" %>s origin=\"%{Origin}i\" acao=\"%{Access-Control-Allow-Origin}o\" port=%{local}p cors=%{CORS}n" cors
CustomLog /dev/stdout cors
TypesConfig /etc/mime.types
DocumentRoot "\${MOD_CORS_WWW}"
<Directory "\${MOD_CORS_WWW}">
    Require all granted
</Directory>
Include "$top/conf/example.conf"

# The demo's API: another origin (host localhost, another port).
<VirtualHost 127.0.0.1:$api_port>
    ServerName localhost
    Include "$top/conf/demo.conf"
</VirtualHost>
CONF

"$HTTPD" -t -f "$state/httpd.conf"
echo "mod_cors: serving http://127.0.0.1:$port/ with conf/example.conf" \
     "(Ctrl-C stops)"
echo "mod_cors: demo page http://127.0.0.1:$port/demo/ calling the API" \
     "http://localhost:$api_port/ (conf/demo.conf)"
"$HTTPD" -f "$state/httpd.conf" -DFOREGROUND &
pid=$!
# Ctrl-C (the terminal signals the whole group) or TERM: stop httpd and
# end cleanly, so that make reports no error
trap 'kill -TERM $pid 2>/dev/null; wait $pid; rm -rf "$state"; exit 0' \
    INT TERM
wait $pid
