# Actual-request headers on every kind of response under the /int/ policy
# (t/conf/integration.conf.in): 200, 304 (If-None-Match and
# If-Modified-Since), 403, 404, 500 from a failing CGI and from a CGI's
# own "Status: 500", 301/302 redirects (mod_dir, Redirect in a
# <Location>, server-context Redirect), and ErrorDocument pages, which
# carry the policy of the URL that was requested, not their own (or the
# lack of one).
#
# docs/mod_cors.html#requests: allowed origin -> ACAO = Origin, ACAC true,
# ACEH, Vary: Origin; not allowed -> no Access-Control-*, Vary: Origin;
# no Origin -> Vary: Origin only; "for every status ... and ErrorDocument
# responses".
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);

use lib 't/lib';
use CorsTest qw(vary_count ac_names int_actual_allowed ac_on_304);

my @allowed = ('https://app.example', 'https://a.b.example.org');
my $denied  = 'https://evil.example';

# The 304 cases need validators from a first response.
my $first = GET '/int/static.txt';
my $etag  = $first->header('ETag');
my $lm    = $first->header('Last-Modified');

my @cases = (
    { name => '200 static file', path => '/int/static.txt', status => 200,
      body => qr/int static file/ },
    { name => '304 If-None-Match', path => '/int/static.txt', status => 304,
      headers => ['If-None-Match' => $etag // '"none"'] },
    { name => '304 If-Modified-Since', path => '/int/static.txt',
      status => 304, headers => ['If-Modified-Since' => $lm // 'x'] },
    { name => '403 Require all denied', path => '/int/forbidden/secret.txt',
      status => 403 },
    { name => '404', path => '/int/no-such-file.txt', status => 404 },
    { name => '500 CGI exits without headers', path => '/int/cgi/int-fail',
      status => 500 },
    { name => '500 CGI Status: 500', path => '/int/cgi/int-status500',
      status => 500, body => qr/int-status500 body/ },
    { name => '302 Redirect in <Location>', path => '/int/moved',
      status => 302, location => qr{/int/static\.txt$} },
    { name => '302 server-context Redirect', path => '/int/srvmoved',
      status => 302, location => qr{/int/static\.txt$} },
    { name => '301 mod_dir trailing slash', path => '/int/dir',
      status => 301, location => qr{/int/dir/$} },
    # The error pages live in /int/errors/, whose policy allows only
    # https://errors.example: that origin must get nothing here.
    { name => 'ErrorDocument 404', path => '/int/ed/missing.txt',
      status => 404, body => qr/int error page 404/,
      denied => 'https://errors.example' },
    { name => 'ErrorDocument 403', path => '/int/ed/denied/x.txt',
      status => 403, body => qr/int error page 403/,
      denied => 'https://errors.example' },
    # ... and under no policy at all (CORSAllowOrigin none).
    { name => 'ErrorDocument 404, page without a policy',
      path => '/int/ed2/missing.txt', status => 404,
      body => qr/int error page without policy 404/ },
);

ok(defined $etag, 'static file has an ETag');
ok(defined $lm, 'static file has a Last-Modified');

sub request {
    my ($c, $origin) = @_;
    return GET $c->{path}, redirect_ok => 0, @{ $c->{headers} || [] },
               defined $origin ? (Origin => $origin) : ();
}

sub check_extra {
    my ($c, $res, $label) = @_;
    if ($c->{body}) {
        like($res->content, $c->{body}, "$label: body");
    }
    elsif ($c->{location}) {
        like($res->header('Location') // '', $c->{location},
             "$label: Location");
    }
}

for my $c (@cases) {
    for my $origin (@allowed) {
        my $label = "$c->{name}, allowed $origin";
        my $res = request($c, $origin);
        is($res->code, $c->{status}, "$label: status");
        if ($c->{status} == 304 && !ac_on_304()) {
            is_deeply(ac_names($res), [], "$label: no Access-Control-* "
                                          . 'header (httpd before 2.4.48)');
            is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
        }
        else {
            int_actual_allowed($res, $origin, $label);
        }
        check_extra($c, $res, $label);
    }
    for my $origin ($c->{denied} // $denied, undef) {
        my $label = $c->{name} . (defined $origin ? ", denied $origin"
                                                  : ', no Origin');
        my $res = request($c, $origin);
        is($res->code, $c->{status}, "$label: status");
        is_deeply(ac_names($res), [], "$label: no Access-Control-* header");
        is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
        check_extra($c, $res, $label);
    }
}

# /int/nopolicy/ has no policy; its ErrorDocument is in /int/errors/,
# which allows https://errors.example.  The requested URL decides: the
# module does nothing at all there.
{
    my $label = 'ErrorDocument of a URL without a policy';
    my $res = GET '/int/nopolicy/missing.txt',
                  Origin => 'https://errors.example';
    is($res->code, 404, "$label: status");
    like($res->content, qr/int error page 404/, "$label: the error page");
    is_deeply(ac_names($res), [], "$label: no Access-Control-* header");
    is(vary_count($res, 'Origin'), 0, "$label: no Origin in Vary");
    $res = GET '/int/nopolicy/missing.txt', Origin => 'https://app.example';
    is_deeply(ac_names($res), [],
              "$label: /int/'s origin gets nothing either");
}

# The error page's own policy, requested directly: proves that the
# ErrorDocument cases above would show it if it were applied.
{
    my $label = 'the error page itself';
    my $res = GET '/int/errors/404.html', Origin => 'https://errors.example';
    is($res->code, 200, "$label: status");
    is_deeply([$res->header('Access-Control-Allow-Origin')],
              ['https://errors.example'], "$label: ACAO");
    is_deeply([map { lc } $res->header('Access-Control-Expose-Headers')],
              ['x-error'], "$label: ACEH X-Error");
    ok(!defined $res->header('Access-Control-Allow-Credentials'),
       "$label: no ACAC (credentials Off there)");
    $res = GET '/int/errors/404.html', Origin => 'https://app.example';
    ok(!defined $res->header('Access-Control-Allow-Origin'),
       "$label: /int/'s origin is not allowed there");
}

done_testing();
