# Other modules' Access-Control-* and Vary headers, in the policy's own
# section (<Location /int/hdr/> in t/conf/integration.conf.in):
#   Header set Access-Control-Allow-Origin "*"
#   Header always set Access-Control-Allow-Origin x
#   Header add Access-Control-Allow-Origin y
#   Header set Vary Accept
#   Header always set Access-Control-Allow-Methods FOO
#   Header always set Access-Control-Max-Age 999
#   Header always set X-Int-Hdr on         (shows mod_headers ran)
# /int/hdr/off/ inherits the Header lines but has no policy.
#
# docs/mod_cors.html#requests: "The module is the only source of Access-Control-* response
# headers where it is active: any that a handler, backend, CGI script or
# other module set are removed before the module's own are added; Vary
# is merged, never replaced, and Origin appears in it once."  Where it is
# not active "it does nothing at all".
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS);

use lib 't/lib';
use CorsTest qw(list_of has_token vary_count ac_names preflight
                int_actual_allowed int_preflight_allowed int_denied ac_on_304);

my $app  = 'https://app.example';
my $sub  = 'https://cdn.example.org';
my $evil = 'https://evil.example';

# 200: both "Header set" (onsuccess) and "Header always" apply.
# 404: only "Header always" applies.
for my $c (['/int/hdr/file.txt', 200, 1], ['/int/hdr/missing.txt', 404, 0]) {
    my ($path, $status, $accept) = @$c;
    for my $origin ($app, $sub) {
        my $label = "$status under Header directives, allowed $origin";
        my $res = GET $path, Origin => $origin;
        is($res->code, $status, "$label: status");
        is_deeply([$res->header('X-Int-Hdr')], ['on'],
                  "$label: mod_headers ran");
        # the module's headers: one ACAO, no ACAM FOO, no ACMA 999
        int_actual_allowed($res, $origin, $label);
        is(vary_count($res, 'Accept'), $accept,
           "$label: Vary " . ($accept ? 'keeps Accept' : 'without Accept'
                                        . ' (Header set is onsuccess)'));
    }
    for my $origin ($evil, undef) {
        my $label = "$status under Header directives, "
                    . (defined $origin ? "denied $origin" : 'no Origin');
        my $res = GET $path, defined $origin ? (Origin => $origin) : ();
        is($res->code, $status, "$label: status");
        is_deeply([$res->header('X-Int-Hdr')], ['on'],
                  "$label: mod_headers ran");
        is_deeply(ac_names($res), [],
                  "$label: no Access-Control-* header (not *, x or y)");
        is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
        is(vary_count($res, 'Accept'), $accept, "$label: Vary Accept");
    }
}

# A preflight: the module's headers only.
{
    my $label = 'allowed preflight under Header directives';
    my $res = preflight('/int/hdr/file.txt', $app, 'PUT',
                        'Access-Control-Request-Headers' => 'Content-Type');
    int_preflight_allowed($res, $app, 'PUT', $label);
    is_deeply([$res->header('X-Int-Hdr')], ['on'], "$label: mod_headers ran");
    ok(!has_token($res, 'Access-Control-Allow-Methods', 'FOO'),
       "$label: ACAM is not mod_headers'");
    ok(!defined $res->header('Access-Control-Max-Age'),
       "$label: no ACMA (CORSMaxAge is unset; 999 is mod_headers')");
}
for my $h ([Origin => $evil, 'Access-Control-Request-Method' => 'PUT'],
           [Origin => $app, 'Access-Control-Request-Method' => 'PATCH']) {
    my $label = "denied preflight under Header directives ($h->[1] $h->[3])";
    my $res = OPTIONS '/int/hdr/file.txt', @$h;
    int_denied($res, 403, $label);
    is_deeply([$res->header('X-Int-Hdr')], ['on'], "$label: mod_headers ran");
}

# Control: the same Header lines where the module is not active reach
# the client untouched, so the removals above are the module's doing.
{
    my $label = 'Header directives without a policy';
    my $res = GET '/int/hdr/off/file.txt', Origin => $app;
    is($res->code, 200, "$label: 200");
    my @acao = list_of($res, 'Access-Control-Allow-Origin');
    is_deeply([sort @acao], ['*', 'x', 'y'],
              "$label: mod_headers' ACAO values");
    is_deeply([$res->header('Access-Control-Max-Age')], ['999'],
              "$label: mod_headers' ACMA");
    is(vary_count($res, 'Origin'), 0, "$label: no Origin in Vary");
    is(vary_count($res, 'Accept'), 1, "$label: Vary Accept");
}


# Header's "early" sets response fields before the per-directory
# configuration is read.  A preflight is answered before any handler runs,
# on a 204 that keeps them: the module's own fields replace them there, as
# on an actual response.
Apache::TestRequest::module('int_early');
{
    my $label = 'allowed preflight under early Header fields';
    my $res = preflight('/int/static.txt', $app, 'PUT',
                        'Access-Control-Request-Headers' => 'Content-Type');
    int_preflight_allowed($res, $app, 'PUT', $label);
    ok(!defined $res->header('Access-Control-Max-Age'),
       "$label: no ACMA (999 is mod_headers')");
    int_actual_allowed(GET('/int/static.txt', Origin => $app), $app,
                       'actual under early Header fields');
    int_denied(GET('/int/static.txt', Origin => $evil), 200,
               'denied actual under early Header fields');
    int_denied(preflight('/int/static.txt', $evil, 'PUT'), 403,
               'denied preflight under early Header fields');
    # so does a preflight answered with 200 (CORSPreflightStatus 200)
    my $ok = preflight('/int/p200/x.txt', $app, 'PUT');
    is($ok->code, 200, 'preflight 200 under early Header fields');
    is_deeply([$ok->header('Access-Control-Allow-Origin')], [$app],
              'preflight 200 under early Header fields: ACAO is the Origin, '
              . 'once');
    ok(!defined $ok->header('Access-Control-Max-Age'),
       "preflight 200 under early Header fields: no ACMA (999 is "
       . "mod_headers')");
    # a 304 keeps headers_out too
    my $etag = GET('/int/static.txt')->header('ETag');
    my $nm = GET('/int/static.txt', Origin => $app, 'If-None-Match' => $etag);
    is($nm->code, 304, '304 under early Header fields');
    is_deeply([$nm->header('Access-Control-Allow-Origin')],
              ac_on_304() ? [$app] : [],
              '304 under early Header fields: ACAO is the Origin, once '
              . '(none before httpd 2.4.48)');
    ok(!defined $nm->header('Access-Control-Max-Age'),
       "304 under early Header fields: no ACMA (999 is mod_headers')");
}
Apache::TestRequest::module('default');

done_testing();
