# A reverse proxy under the /int/ policy (t/conf/integration.conf.in):
# /int/proxy/ is ProxyPass'ed to the vhost int_backend, which sets its
# own Access-Control-Allow-Origin: *, -Allow-Credentials: false,
# -Allow-Methods: GET, Access-Control-Foo: x and Vary: Accept-Encoding,
# Cookie on every response, and logs every request it sees (method and
# path) to t/logs/int_backend_record.
#
# docs/mod_cors.html#requests: "The module is the only source of Access-Control-* response
# headers where it is active: any that a ... backend ... set are removed
# before the module's own are added; Vary is merged, never replaced, and
# Origin appears in it once."  Preflights are answered "without reaching
# the handler (no CGI, proxy, PHP or file is touched)".
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS PUT POST);
use HTTP::Request ();

use lib 't/lib';
use CorsTest qw(vary_count ac_names preflight file_lines int_actual_allowed
                int_preflight_allowed int_denied int_not_granted
                ac_on_304);

my $app    = 'https://app.example';
my $sub    = 'https://api.example.org';
my $evil   = 'https://evil.example';
my $record = Apache::Test::vars('t_logs') . '/int_backend_record';
my $tag    = "p$$";

# Wait until the backend has logged a line (it logs after it answered).
sub wait_for_line {
    my ($line) = @_;
    for (1 .. 50) {
        return 1 if grep { $_ eq $line } file_lines($record);
        select undef, undef, undef, 0.1;
    }
    return 0;
}

# Control: the backend itself sends its own headers.
{
    my $port = Apache::Test::vars('int_backend_port');
    my $res = GET "http://127.0.0.1:$port/data.txt", Origin => $app;
    is($res->code, 200, 'backend directly: 200');
    is_deeply([$res->header('Access-Control-Allow-Origin')], ['*'],
              'backend directly: its own ACAO *');
    is_deeply([$res->header('Access-Control-Allow-Credentials')], ['false'],
              'backend directly: its own ACAC false');
    is_deeply([$res->header('Access-Control-Allow-Methods')], ['GET'],
              'backend directly: its own ACAM');
    is_deeply([$res->header('Access-Control-Foo')], ['x'],
              'backend directly: Access-Control-Foo');
    is(vary_count($res, 'Cookie'), 1, 'backend directly: Vary Cookie');
    is(vary_count($res, 'Origin'), 0, 'backend directly: no Vary Origin');
}

# Actual requests through the proxy: the module's headers only.
for my $c (['/int/proxy/data.txt', 200], ['/int/proxy/missing.txt', 404]) {
    my ($path, $status) = @$c;
    for my $origin ($app, $sub) {
        my $label = "proxied $status, allowed $origin";
        my $res = GET $path, Origin => $origin;
        is($res->code, $status, "$label: status");
        # the module's headers: no ACAM, no Access-Control-Foo
        int_actual_allowed($res, $origin, $label);
        is(vary_count($res, 'Accept-Encoding'), 1,
           "$label: Vary keeps Accept-Encoding");
        is(vary_count($res, 'Cookie'), 1, "$label: Vary keeps Cookie");
        if ($status == 200) {
            like($res->content, qr/int backend data/, "$label: body");
        }
        else {
            ok(!defined $res->header('Access-Control-Foo'),
               "$label: no Access-Control-Foo");
        }
    }
    int_not_granted($path, $status, "proxied $status", 'Accept-Encoding',
                    'Cookie');
}

# A 304 from the backend, through the proxy.
{
    my $etag = GET('/int/proxy/data.txt')->header('ETag');
    ok(defined $etag, 'proxied file has an ETag');
    for my $origin ($app, $evil, undef) {
        my $label = 'proxied 304, '
                    . (defined $origin ? "Origin $origin" : 'no Origin');
        my $res = GET '/int/proxy/data.txt', 'If-None-Match' => $etag // '"x"',
                      defined $origin ? (Origin => $origin) : ();
        is($res->code, 304, "$label: 304");
        my $granted = defined $origin && $origin eq $app && ac_on_304();
        is_deeply(ac_names($res), $granted
                  ? ['access-control-allow-credentials',
                     'access-control-allow-origin',
                     'access-control-expose-headers'] : [],
                  "$label: the module's Access-Control-* headers only");
        is_deeply([$res->header('Access-Control-Allow-Origin')],
                  $granted ? [$app] : [], "$label: ACAO");
        is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
    }
}

# Preflights never reach the backend.
{
    my $label = 'allowed preflight through the proxy';
    my $res = preflight("/int/proxy/rec/$tag-pre", $app, 'PUT',
                        'Access-Control-Request-Headers' => 'Content-Type');
    # the module's ACAM (PUT), no Access-Control-Foo
    int_preflight_allowed($res, $app, 'PUT', $label);
    is(vary_count($res, 'Cookie'), 0,
       "$label: no backend Vary (the backend was not asked)");
}
for my $h ([Origin => $evil, 'Access-Control-Request-Method' => 'PUT'],
           [Origin => $app, 'Access-Control-Request-Method' => 'PATCH']) {
    my $label = "denied preflight through the proxy ($h->[1] $h->[3])";
    my $res = OPTIONS "/int/proxy/rec/$tag-pre", @$h;
    is($res->code, 403, "$label: 403");
    is_deeply(ac_names($res), [], "$label: no Access-Control-* header");
    is(vary_count($res, 'Cookie'), 0, "$label: no backend Vary");
    ok(!defined $res->header('Access-Control-Foo'),
       "$label: no Access-Control-Foo");
    unlike($res->content, qr/int backend data/, "$label: no backend body");
}

# Actual requests do reach it, OPTIONS included when it is not a
# preflight (no Access-Control-Request-Method, or no Origin).
my @actual = (
    [GET     => "/int/proxy/rec/$tag-act", [Origin => $app]],
    [PUT     => "/int/proxy/rec/$tag-act", [Origin => $app]],
    [DELETE  => "/int/proxy/rec/$tag-act", [Origin => $evil]],
    [OPTIONS => "/int/proxy/rec/$tag-ctl", [Origin => $app]],
    [OPTIONS => "/int/proxy/rec/$tag-ctl2",
                ['Access-Control-Request-Method' => 'PUT']],
);
my $ua = Apache::TestRequest::user_agent();
for my $a (@actual) {
    my ($method, $path, $h) = @$a;
    my $url = Apache::TestRequest::resolve_url($path);
    $ua->request(HTTP::Request->new($method, $url, $h));
}
ok(wait_for_line("OPTIONS /rec/$tag-ctl2"), 'the record is written');
my @lines = file_lines($record);
for my $a (@actual) {
    my ($method, $path) = @$a;
    (my $backend = $path) =~ s{^/int/proxy}{};
    ok(scalar(grep { $_ eq "$method $backend" } @lines),
       "the backend saw $method $backend");
}
is_deeply([grep { /^OPTIONS .*\Q$tag\E-pre$/ } @lines], [],
          'the backend saw no preflight');
is_deeply([grep { /\Q$tag\E-pre$/ } @lines], [],
          'the backend saw nothing for the preflighted URL');

done_testing();
