# Every directive works in every context SPEC.md lists (server config,
# virtual host, <Directory>, <Location>, .htaccess under AllowOverride
# FileInfo), and a CORS directive in a .htaccess whose AllowOverride lacks
# FileInfo is refused (500).  Server config is tested in a private httpd so
# that its policy does not reach the rest of the suite.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS);
use Apache::TestUtil qw(t_write_file);
use File::Spec::Functions qw(catfile);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use POSIX ();
use Time::HiRes qw(sleep);

plan tests => 5 * 16 + 5;

my $docroot = Apache::Test::vars('documentroot');
my $t_logs = Apache::Test::vars('t_logs');

# --- helpers ---------------------------------------------------------------

my @running;    # private httpds

# The header's values, all lines joined: a repeated header shows as "a|b".
sub once {
    my ($res, $name) = @_;
    my @v = $res->header($name);
    return join('|', @v);
}

# Is $token one element of the comma-separated header?
sub has_token {
    my ($res, $name, $token, $nocase) = @_;
    my @elts = map { split /\s*,\s*/ } $res->header($name);
    return scalar grep { $nocase ? lc $_ eq lc $token : $_ eq $token } @elts;
}

sub no_ac_headers {
    my ($res) = @_;
    return !grep { /^access-control-/i } $res->headers->header_field_names;
}

sub log_mark { return -s catfile($t_logs, 'error_log') || 0 }

sub log_since {
    my ($mark, $re) = @_;
    my $text = '';
    for (1 .. 20) {
        open my $fh, '<', catfile($t_logs, 'error_log') or die $!;
        seek $fh, $mark, 0;
        local $/;
        $text = <$fh> // '';
        last if $text =~ $re;
        sleep 0.1;
    }
    return $text;
}

# The directive set is the same in every context; only the names differ.
sub check_context {
    my ($ctx, $url, $name, $max_age) = @_;
    my $origin = "https://$name.ctx.example";
    my $re_origin = "https://re-$name.ctx.example";
    my $res;

    $res = GET $url, Origin => $origin;
    is($res->code, 200, "$ctx: GET answers");
    is(once($res, 'Access-Control-Allow-Origin'), $origin,
       "$ctx: CORSAllowOrigin allows $origin");
    is(once($res, 'Access-Control-Allow-Credentials'), 'true',
       "$ctx: CORSAllowCredentials On gives ACAC true");
    ok(has_token($res, 'Access-Control-Expose-Headers', 'X-Ctx-Exp', 1),
       "$ctx: CORSExposeHeaders gives ACEH");
    ok(has_token($res, 'Vary', 'Origin', 1), "$ctx: Vary: Origin");

    $res = GET $url, Origin => $re_origin;
    is(once($res, 'Access-Control-Allow-Origin'), $re_origin,
       "$ctx: CORSAllowOriginMatch allows $re_origin");

    $res = GET $url, Origin => "https://nope-$name.ctx.example";
    ok(no_ac_headers($res), "$ctx: another origin gets no Access-Control-*");

    $res = OPTIONS $url, Origin => $origin,
        'Access-Control-Request-Method' => 'PUT',
        'Access-Control-Request-Headers' => 'x-ctx',
        'Access-Control-Request-Private-Network' => 'true';
    is($res->code, 200, "$ctx: CORSPreflightStatus 200");
    is(once($res, 'Access-Control-Allow-Origin'), $origin,
       "$ctx: preflight ACAO");
    ok(has_token($res, 'Access-Control-Allow-Methods', 'PUT'),
       "$ctx: CORSAllowMethods PUT in ACAM");
    ok(has_token($res, 'Access-Control-Allow-Headers', 'X-Ctx', 1),
       "$ctx: CORSAllowHeaders X-Ctx in ACAH");
    is(once($res, 'Access-Control-Max-Age'), $max_age,
       "$ctx: CORSMaxAge $max_age");
    is(once($res, 'Access-Control-Allow-Credentials'), 'true',
       "$ctx: preflight ACAC true");
    is(once($res, 'Access-Control-Allow-Private-Network'), 'true',
       "$ctx: CORSAllowPrivateNetwork On gives ACAPN true");

    $res = OPTIONS $url, Origin => $origin,
        'Access-Control-Request-Method' => 'DELETE';
    ok($res->code == 403 && no_ac_headers($res),
       "$ctx: a method not listed is denied");

    $res = OPTIONS $url, Origin => $origin,
        'Access-Control-Request-Method' => 'PUT',
        'Access-Control-Request-Headers' => 'X-Other';
    ok($res->code == 403 && no_ac_headers($res),
       "$ctx: a header not listed is denied");
}

my $directives = sub {
    my ($name, $max_age) = @_;
    return <<"EOF";
CORSAllowOrigin https://$name.ctx.example
CORSAllowOriginMatch ^https://re-$name\\.ctx\\.example\$
CORSAllowMethods PUT
CORSAllowHeaders X-Ctx
CORSExposeHeaders X-Ctx-Exp
CORSAllowCredentials On
CORSMaxAge $max_age
CORSAllowPrivateNetwork On
CORSPreflightStatus 200
EOF
};

# A private httpd: the LoadModule lines it needs from base.conf, and
# mod_cors from the build directory.
sub private_httpd {
    my ($body) = @_;
    my $dir = tempdir(CLEANUP => 1);
    my $probe = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                                      LocalPort => 0, ReuseAddr => 1)
        or die "no free port: $!";
    my $port = $probe->sockport;
    close $probe;

    open my $base, '<', catfile(Apache::Test::vars('t_conf'), 'base.conf')
        or die $!;
    my ($root, @load) = ('');
    while (<$base>) {
        $root = $1 if /^\s*ServerRoot\s+"?([^"\s]+)"?/;
        if (/^\s*LoadModule\s+(mpm_event_module|authz_core_module)\s+"?([^"\s]+)"?/) {
            my ($mod, $path) = ($1, $2);
            $path = "$root/$path" unless $path =~ m{^/};
            push @load, qq{LoadModule $mod "$path"};
        }
    }
    my $so = catfile(Apache::Test::vars('serverroot'), '..', '.libs',
                     'mod_cors.so');
    push @load, qq{LoadModule cors_module "$so"};

    mkdir "$dir/htdocs" or die $!;
    open my $ix, '>', "$dir/htdocs/index.html" or die $!;
    print $ix "private\n";
    close $ix;

    my $conf = "$dir/httpd.conf";
    open my $fh, '>', $conf or die $!;
    print $fh join("\n", @load), "\n", <<"EOF", $body;
ServerRoot "$dir"
Listen 127.0.0.1:$port
ServerName 127.0.0.1
PidFile "$dir/httpd.pid"
DefaultRuntimeDir "$dir"
Mutex file:$dir
ErrorLog "$dir/error_log"
LogLevel info cors:debug
DocumentRoot "$dir/htdocs"
<Directory "$dir/htdocs">
    Require all granted
</Directory>
StartServers 1
ServerLimit 1
ThreadsPerChild 5
MinSpareThreads 1
MaxSpareThreads 5
MaxRequestWorkers 5
EOF
    close $fh;

    my $pid = fork // die "fork: $!";
    push @running, $pid if $pid;
    if (!$pid) {
        open STDOUT, '>', "$dir/stdout";
        open STDERR, '>&', \*STDOUT;
        no warnings 'exec';
        exec Apache::Test::vars('httpd'), '-f', $conf, '-DFOREGROUND';
        POSIX::_exit(127);
    }
    for (1 .. 100) {
        last if IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port");
        last if waitpid($pid, POSIX::WNOHANG()) == $pid;
        sleep 0.1;
    }
    return { pid => $pid, port => $port, dir => $dir };
}

sub stop_httpd {
    my ($srv) = @_;
    kill 'TERM', $srv->{pid};
    waitpid $srv->{pid}, 0;
    @running = grep { $_ != $srv->{pid} } @running;
}

# Never leave a private httpd behind, even if a test dies.
END {
    local $?;    # waitpid must not change the exit status
    my @pids = @running;
    stop_httpd({ pid => $_ }) for @pids;
}

# --- server config (a private httpd) ---------------------------------------

{
    my $srv = private_httpd($directives->('srv', 555));
    check_context('server config',
                  "http://127.0.0.1:$srv->{port}/index.html", 'srv', 555);
    stop_httpd($srv);
}

# --- virtual host ----------------------------------------------------------

Apache::TestRequest::module('cfg_vhost');
check_context('virtual host', '/cfg/ctx/vh/index.html', 'vh', 444);
Apache::TestRequest::module('default');

# --- <Directory>, <Location> -----------------------------------------------

check_context('<Directory>', '/cfg/ctx/dir/index.html', 'dir', 111);
check_context('<Location>', '/cfg/ctx/loc/index.html', 'loc', 222);

# --- .htaccess under AllowOverride FileInfo ----------------------------------

t_write_file(catfile($docroot, qw(cfg ctx ht .htaccess)),
             $directives->('ht', 333));
check_context('.htaccess', '/cfg/ctx/ht/index.html', 'ht', 333);

# --- .htaccess under AllowOverride Indexes: refused ----------------------------

{
    my $htaccess = catfile($docroot, qw(cfg ctx noinfo .htaccess));

    # The file is read there: a directive Indexes allows works.
    t_write_file($htaccess, "DirectoryIndex index.html\n");
    my $res = GET '/cfg/ctx/noinfo/', Origin => 'https://noinfo.ctx.example';
    is($res->code, 200, 'AllowOverride Indexes: an Indexes directive is fine');

    t_write_file($htaccess, "CORSAllowOrigin https://noinfo.ctx.example\n");
    my $mark = log_mark();
    $res = GET '/cfg/ctx/noinfo/index.html',
        Origin => 'https://noinfo.ctx.example';
    is($res->code, 500, 'AllowOverride Indexes: CORSAllowOrigin gives 500');
    ok(no_ac_headers($res), '... with no Access-Control-* header');
    like(log_since($mark, qr/CORSAllowOrigin/), qr/CORSAllowOrigin/,
         '... and the error log names the directive');

    $res = OPTIONS '/cfg/ctx/noinfo/index.html',
        Origin => 'https://noinfo.ctx.example',
        'Access-Control-Request-Method' => 'PUT';
    is($res->code, 500, 'AllowOverride Indexes: a preflight gets 500 too');
}
