# scripts/httpd.sh: what the scripts that run a private httpd share.
# POSIX sh, to be sourced (set -eu safe), not run:
#
#   . "$top/scripts/httpd.sh"
#
# Sets, from apxs ($APXS, or apxs/apxs2 on PATH):
#   APXS            the apxs it asked
#   HTTPD           the httpd binary (SBINDIR/PROGNAME)
#   HTTPD_MODULES   the directory of the server's modules (LIBEXECDIR)
# and defines:
#   httpd_user_conf          the User/Group lines when root, else nothing
#   free_port [COUNT]        a free TCP port on 127.0.0.1 (the first of
#                            COUNT consecutive free ones)
#   httpd_wait_pid PIDFILE [TENTHS]   wait for the server's pid file
#   httpd_kill PID [TENTHS]  TERM a server and wait until it has gone
#   httpd_stop PIDFILE [TENTHS]       httpd_kill the pid in PIDFILE
# Their temporaries are named _httpd_*.

APXS=${APXS:-$(command -v apxs || command -v apxs2 || echo apxs)}
# shellcheck disable=SC2034 # used by the scripts that source this
HTTPD=$("$APXS" -q SBINDIR)/$("$APXS" -q PROGNAME)
# shellcheck disable=SC2034
HTTPD_MODULES=$("$APXS" -q LIBEXECDIR)

# The User and Group lines of httpd.conf when we are root (the children
# must not stay root); nothing otherwise.
httpd_user_conf() {
    if [ "$(id -u)" = 0 ]; then
        printf 'User www-data\nGroup www-data\n'
    fi
}

# free_port [COUNT]: print a port P such that P .. P+COUNT-1 (COUNT
# defaults to 1) are free on 127.0.0.1; non-zero if none was found.
free_port() {
    perl -MIO::Socket::INET -e '
        my $n = $ARGV[0];
        for (1 .. 200) {
            my $p = 20000 + int(rand(30000));
            my @s = map { IO::Socket::INET->new(LocalAddr => "127.0.0.1",
                          LocalPort => $_, Listen => 1, ReuseAddr => 1) }
                    ($p .. $p + $n - 1);
            if ($n == grep { defined } @s) { print "$p\n"; exit 0 }
        }
        exit 1' "${1:-1}"
}

# httpd_wait_pid PIDFILE [TENTHS]: wait until the server has written
# PIDFILE, at most TENTHS tenths of a second (default 100); non-zero if
# it has not.
httpd_wait_pid() {
    _httpd_i=0
    while [ ! -s "$1" ] && [ "$_httpd_i" -lt "${2:-100}" ]; do
        sleep 0.1
        _httpd_i=$((_httpd_i + 1))
    done
    [ -s "$1" ]
}

# httpd_kill PID [TENTHS]: send PID a TERM and wait until it has gone (-k
# stop and TERM return before the server has), at most TENTHS tenths of
# a second (default 100); non-zero if it is still there.
httpd_kill() {
    kill -TERM "$1" 2>/dev/null || return 0
    _httpd_i=0
    while kill -0 "$1" 2>/dev/null; do
        [ "$_httpd_i" -lt "${2:-100}" ] || return 1
        sleep 0.1
        _httpd_i=$((_httpd_i + 1))
    done
    return 0
}

# httpd_stop PIDFILE [TENTHS]: httpd_kill the server whose pid is in
# PIDFILE; nothing to do (status 0) when there is no pid in it.
httpd_stop() {
    _httpd_pid=$(cat "$1" 2>/dev/null) || return 0
    [ -n "$_httpd_pid" ] || return 0
    httpd_kill "$_httpd_pid" "${2:-}"
}
