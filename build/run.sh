#!/bin/sh
# Serve conf/example.conf from a private httpd on 127.0.0.1:PORT, in the
# foreground, with the module from .libs/.  The system's Apache, its
# configuration and its ports are not touched.  Ctrl-C stops it.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
port=${1:-8080}
APXS=${APXS:-$(command -v apxs || command -v apxs2)}
httpd=$("$APXS" -q SBINDIR)/$("$APXS" -q PROGNAME)
modules=$("$APXS" -q LIBEXECDIR)
state=$(mktemp -d /tmp/mod_cors-run.XXXXXX)
trap 'rm -rf "$state"' EXIT INT TERM

user=
if [ "$(id -u)" = 0 ]; then
    # children must not stay root
    user="User www-data
Group www-data"
    chmod 755 "$state"
fi

cat > "$state/httpd.conf" <<CONF
ServerRoot "$state"
Define MOD_CORS_WWW "$top/www"
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule mime_module $modules/mod_mime.so
LoadModule dir_module $modules/mod_dir.so
LoadModule headers_module $modules/mod_headers.so
LoadModule cors_module "$top/.libs/mod_cors.so"
$user
Listen 127.0.0.1:$port
ServerName 127.0.0.1
PidFile "$state/httpd.pid"
DefaultRuntimeDir "$state"
Mutex file:$state
ErrorLog /dev/stderr
LogFormat "%h \"%r\" %>s origin=\"%{Origin}i\" acao=\"%{Access-Control-Allow-Origin}o\"" cors
CustomLog /dev/stdout cors
TypesConfig /etc/mime.types
DocumentRoot "\${MOD_CORS_WWW}"
<Directory "\${MOD_CORS_WWW}">
    Require all granted
</Directory>
Include "$top/conf/example.conf"
CONF

"$httpd" -t -f "$state/httpd.conf"
echo "mod_cors: serving http://127.0.0.1:$port/ with conf/example.conf" \
     "(Ctrl-C stops)"
"$httpd" -f "$state/httpd.conf" -DFOREGROUND &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid; rm -rf "$state"' INT TERM
wait $pid
