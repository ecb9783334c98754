# Subrequests and internal redirects under the /int/ policy
# (t/conf/integration.conf.in) do not duplicate headers: mod_dir's
# DirectoryIndex (a subrequest, then ap_internal_fast_redirect), a
# per-directory mod_rewrite internal redirect (/int/rw/from.html ->
# to.html), a CGI script's local Location (an internal redirect that
# keeps the script's own Access-Control-* headers), and preflights to
# those URLs.
#
# SPEC.md "Actual request" (ACAO = the Origin, ACAC true, ACEH,
# Vary: Origin; "Origin appears in it once") and "Preflight" (status
# 204, ACAO, ACAM, ACAH, ACAC, Vary: Origin, Access-Control-Request-
# Method, Access-Control-Request-Headers): one value each, never two.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET HEAD OPTIONS);

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

plan tests => @urls * (2 * 8 + 2 * 4 + 3) + @urls * 2 * 11;

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

sub split_list {
    return map { s/^\s+|\s+$//gr } map { split /,/ } @_;
}

for my $u (@urls) {
    my ($path, $body, $what) = @$u;
    for my $origin ($app, $sub) {
        my $label = "$what ($path), allowed $origin";
        my $res = GET $path, Origin => $origin;
        is($res->code, 200, "$label: 200");
        like($res->content, $body, "$label: the target's content");
        is_deeply([$res->header('Access-Control-Allow-Origin')], [$origin],
                  "$label: exactly one ACAO, one value");
        is_deeply([$res->header('Access-Control-Allow-Credentials')],
                  ['true'], "$label: exactly one ACAC");
        is_deeply([map { lc } $res->header('Access-Control-Expose-Headers')],
                  ['x-total'], "$label: exactly one ACEH, one value");
        is_deeply(ac_names($res),
                  ['access-control-allow-credentials',
                   'access-control-allow-origin',
                   'access-control-expose-headers'],
                  "$label: no other Access-Control-* header");
        is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
        my @vary = $res->header('Vary');
        is(scalar(@vary), 1, "$label: one Vary header");
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
        my $res = OPTIONS $path, Origin => $origin,
                          'Access-Control-Request-Method' => 'PUT',
                          'Access-Control-Request-Headers' => 'content-type';
        is($res->code, 204, "$label: 204");
        is_deeply([$res->header('Access-Control-Allow-Origin')], [$origin],
                  "$label: exactly one ACAO, one value");
        is_deeply([$res->header('Access-Control-Allow-Credentials')],
                  ['true'], "$label: exactly one ACAC");
        my @acam = $res->header('Access-Control-Allow-Methods');
        is(scalar(@acam), 1, "$label: exactly one ACAM");
        my @methods = split_list(@acam);
        is(scalar(grep { $_ eq 'PUT' } @methods), 1,
           "$label: PUT once in ACAM");
        my @acah = $res->header('Access-Control-Allow-Headers');
        is(scalar(@acah), 1, "$label: exactly one ACAH");
        is(scalar(grep { lc eq 'content-type' } split_list(@acah)), 1,
           "$label: Content-Type once in ACAH");
        is_deeply(ac_names($res),
                  ['access-control-allow-credentials',
                   'access-control-allow-headers',
                   'access-control-allow-methods',
                   'access-control-allow-origin'],
                  "$label: the preflight's headers only");
        is_deeply([sort map { lc } split_list($res->header('Vary'))],
                  ['access-control-request-headers',
                   'access-control-request-method', 'origin'],
                  "$label: Vary lists each token once");
        is($res->content, '', "$label: no body");
        unlike($res->header('Content-Type') // '', qr/html/,
               "$label: not the target's Content-Type");
    }
}
