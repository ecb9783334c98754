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
# SPEC.md: "The module is the only source of Access-Control-* response
# headers where it is active: any that a handler, backend, CGI script or
# other module set are removed before the module's own are added; Vary
# is merged, never replaced, and Origin appears in it once."  Where it is
# not active "it does nothing at all".
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS);

my $app  = 'https://app.example';
my $sub  = 'https://cdn.example.org';
my $evil = 'https://evil.example';

plan tests => 2 * (2 * 8 + 2 * 5) + 11 + 2 * 5 + 5;

sub ac_names {
    my ($res) = @_;
    return [sort map { lc } grep { /^access-control-/i }
            $res->headers->header_field_names];
}

sub vary_count {
    my ($res, $token) = @_;
    return scalar grep { lc eq lc $token }
                  map { s/^\s+|\s+$//gr } map { split /,/ }
                  $res->header('Vary');
}

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
        is_deeply([$res->header('Access-Control-Allow-Origin')], [$origin],
                  "$label: exactly one ACAO, the module's");
        is_deeply([$res->header('Access-Control-Allow-Credentials')],
                  ['true'], "$label: ACAC true, once");
        is_deeply(ac_names($res),
                  ['access-control-allow-credentials',
                   'access-control-allow-origin',
                   'access-control-expose-headers'],
                  "$label: no ACAM FOO, no ACMA 999");
        is_deeply([map { lc } $res->header('Access-Control-Expose-Headers')],
                  ['x-total'], "$label: ACEH X-Total");
        is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
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
    my $res = OPTIONS '/int/hdr/file.txt', Origin => $app,
                      'Access-Control-Request-Method' => 'PUT',
                      'Access-Control-Request-Headers' => 'Content-Type';
    is($res->code, 204, "$label: 204");
    is_deeply([$res->header('X-Int-Hdr')], ['on'], "$label: mod_headers ran");
    is_deeply([$res->header('Access-Control-Allow-Origin')], [$app],
              "$label: exactly one ACAO, the module's");
    is_deeply([$res->header('Access-Control-Allow-Credentials')], ['true'],
              "$label: ACAC true, once");
    my @acam = $res->header('Access-Control-Allow-Methods');
    is(scalar(@acam), 1, "$label: exactly one ACAM");
    my @methods = map { s/^\s+|\s+$//gr } map { split /,/ } @acam;
    ok(scalar(grep { $_ eq 'PUT' } @methods), "$label: ACAM lists PUT");
    ok(!grep({ $_ eq 'FOO' } @methods), "$label: ACAM is not mod_headers'");
    ok(!defined $res->header('Access-Control-Max-Age'),
       "$label: no ACMA (CORSMaxAge is unset; 999 is mod_headers')");
    is_deeply(ac_names($res),
              ['access-control-allow-credentials',
               'access-control-allow-headers',
               'access-control-allow-methods',
               'access-control-allow-origin'],
              "$label: the preflight's headers only");
    is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
    is($res->content, '', "$label: no body");
}
for my $h ([Origin => $evil, 'Access-Control-Request-Method' => 'PUT'],
           [Origin => $app, 'Access-Control-Request-Method' => 'PATCH']) {
    my $label = "denied preflight under Header directives ($h->[1] $h->[3])";
    my $res = OPTIONS '/int/hdr/file.txt', @$h;
    is($res->code, 403, "$label: 403");
    is_deeply([$res->header('X-Int-Hdr')], ['on'], "$label: mod_headers ran");
    ok(!defined $res->header('Access-Control-Allow-Origin'),
       "$label: no ACAO (not x)");
    is_deeply(ac_names($res), [], "$label: no Access-Control-* header");
    is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
}

# Control: the same Header lines where the module is not active reach
# the client untouched, so the removals above are the module's doing.
{
    my $label = 'Header directives without a policy';
    my $res = GET '/int/hdr/off/file.txt', Origin => $app;
    is($res->code, 200, "$label: 200");
    is_deeply([sort map { s/^\s+|\s+$//gr } map { split /,/ }
               $res->header('Access-Control-Allow-Origin')],
              ['*', 'x', 'y'], "$label: mod_headers' ACAO values");
    is_deeply([$res->header('Access-Control-Max-Age')], ['999'],
              "$label: mod_headers' ACMA");
    is(vary_count($res, 'Origin'), 0, "$label: no Origin in Vary");
    is(vary_count($res, 'Accept'), 1, "$label: Vary Accept");
}
