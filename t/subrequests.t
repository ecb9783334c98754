# Subrequests and internal redirects under the /int/ policy
# (t/conf/integration.conf.in) do not duplicate headers: mod_dir's
# DirectoryIndex (a subrequest, then ap_internal_fast_redirect), a
# per-directory mod_rewrite internal redirect (/int/rw/from.html ->
# to.html), a CGI script's local Location (an internal redirect that
# keeps the script's own Access-Control-* headers), and preflights to
# those URLs.
#
# docs/mod_cors.html#requests (ACAO = the Origin, ACAC true, ACEH,
# Vary: Origin; "Origin appears in it once") and "Preflight" (status
# 204, ACAO, ACAM, ACAH, ACAC, Vary: Origin, Access-Control-Request-
# Method, Access-Control-Request-Headers): one value each, never two.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET HEAD);

use lib 't/lib';
use CorsTest qw(header_count list_of has_token vary_count ac_names preflight
                int_actual_allowed);

my $app  = 'https://app.example';
my $sub  = 'https://w.example.org';
my $evil = 'https://evil.example';

my @urls = (
    ['/int/dir/', qr/int dir index/, 'DirectoryIndex'],
    ['/int/rw/from.html', qr/int rewrite target/, 'mod_rewrite in <Directory>'],
    # the script prints its own ACAO and a local Location: httpd makes an
    # internal redirect to /int/static.txt and keeps the script's headers
    ['/int/cgi/int-headers?redirect', qr/int static file/,
     'CGI local redirect'],
);

for my $u (@urls) {
    my ($path, $body, $what) = @$u;
    for my $origin ($app, $sub) {
        my $label = "$what ($path), allowed $origin";
        my $res = GET $path, Origin => $origin;
        is($res->code, 200, "$label: 200");
        like($res->content, $body, "$label: the target's content");
        int_actual_allowed($res, $origin, $label);
        is(header_count($res, 'Vary'), 1, "$label: one Vary header");
    }
    for my $origin ($evil, undef) {
        my $label = "$what ($path), "
                    . (defined $origin ? "denied $origin" : 'no Origin');
        my $res = GET $path, defined $origin ? (Origin => $origin) : ();
        is($res->code, 200, "$label: 200");
        like($res->content, $body, "$label: the target's content");
        is_deeply(ac_names($res), [], "$label: no Access-Control-* header");
        is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
    }
    {
        my $label = "$what ($path), HEAD, allowed $app";
        my $res = HEAD $path, Origin => $app;
        is($res->code, 200, "$label: 200");
        is_deeply([$res->header('Access-Control-Allow-Origin')], [$app],
                  "$label: exactly one ACAO");
        is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
    }

    # Preflights: answered before mod_dir and mod_rewrite run.
    for my $origin ($app, $sub) {
        my $label = "preflight to $what ($path) from $origin";
        my $res = preflight($path, $origin, 'PUT',
            'Access-Control-Request-Headers' => 'content-type');
        is($res->code, 204, "$label: 204");
        is_deeply([$res->header('Access-Control-Allow-Origin')], [$origin],
                  "$label: exactly one ACAO, one value");
        is_deeply([$res->header('Access-Control-Allow-Credentials')],
                  ['true'], "$label: exactly one ACAC");
        is(header_count($res, 'Access-Control-Allow-Methods'), 1,
           "$label: exactly one ACAM");
        is(has_token($res, 'Access-Control-Allow-Methods', 'PUT'), 1,
           "$label: PUT once in ACAM");
        is(header_count($res, 'Access-Control-Allow-Headers'), 1,
           "$label: exactly one ACAH");
        is(has_token($res, 'Access-Control-Allow-Headers', 'content-type', 1),
           1, "$label: Content-Type once in ACAH");
        is_deeply(ac_names($res),
                  ['access-control-allow-credentials',
                   'access-control-allow-headers',
                   'access-control-allow-methods',
                   'access-control-allow-origin'],
                  "$label: the preflight's headers only");
        is_deeply([sort map { lc } list_of($res, 'Vary')],
                  ['access-control-request-headers',
                   'access-control-request-method', 'origin'],
                  "$label: Vary lists each token once");
        is($res->content, '', "$label: no body");
        unlike($res->header('Content-Type') // '', qr/html/,
               "$label: not the target's Content-Type");
    }
}

done_testing();
