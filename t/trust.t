# Trust (docs/mod_cors.html#trust): credentials (ACAC), private network
# access (ACAPN) and cross-origin protection's trusted-origin step go only
# to trusted origins -- exact and "*." patterns not under a public suffix,
# or a regex's match whose registrable domain is in the regex's domain
# set -- in one section and through inheritance alike (.htaccess under
# AllowOverride FileInfo and under AllowOverrideList).  An allowed origin
# that is not trusted can still read, and nothing more; a warning names
# the regex, the registrable domain and the domain set, once per child
# and section.  Configuration: t/conf/trust.conf.in.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_write_file);
use File::Spec::Functions qw(catfile);

use lib 't/lib';
use CorsTest qw(once preflight request log_mark log_since);

my $docroot = Apache::Test::vars('documentroot');

# [ the origin lines of a policy, origins it trusts, origins it allows
#   without trust, 1 if the lines may stand beside credentials in one
#   section ]
my @policies = (
    # the red team's regexes: a lookalike gets past each
    [ 'CORSAllowOriginMatch "^https://.*myapp\.(com|net)$"',
      [ 'https://app.myapp.com', 'https://myapp.net' ],
      [ 'https://evilmyapp.com', 'https://evilmyapp.net' ], 1 ],
    [ 'CORSAllowOriginMatch "^https://.*example[.]com$"',
      [ 'https://a.example.com' ], [ 'https://evilexample.com' ], 1 ],
    [ 'CORSAllowOriginMatch "^https://.*example(\.com)$"',
      [ 'https://a.example.com' ], [ 'https://evilexample.com' ], 1 ],
    [ 'CORSAllowOriginMatch "^https://.*example\x2ecom$"',
      [ 'https://a.example.com' ], [ 'https://evilexample.com' ], 1 ],
    # the manual's table
    [ 'CORSAllowOriginMatch "^https://([a-z0-9-]+\.)*example\.com$"',
      [ 'https://a.b.example.com', 'https://example.com' ], [], 1 ],
    [ 'CORSAllowOriginMatch "^https://app\.example\.co\.uk(:\d+)?$"',
      [ 'https://app.example.co.uk:8443' ], [], 1 ],
    [ 'CORSAllowOriginMatch "^https://[a-z]+\.github\.io$"',
      [], [ 'https://evil.github.io' ], 0 ],
    [ 'CORSAllowOriginMatch "^https://.*$"', [], [ 'https://evil.example' ],
      0 ],
    [ 'CORSAllowOriginMatch "https?://[^/]+"', [], [ 'http://evil.example' ],
      0 ],
    # a host-only regex matches http:// too; its domain is still named
    [ 'CORSAllowOriginMatch ".+\.example\.com"',
      [ 'http://evil.example.com', 'https://a.example.com' ], [], 1 ],
    # patterns: "*", "null" and a public suffix's wildcard are never
    # trusted; a pattern beside them keeps its trust
    [ 'CORSAllowOrigin *', [], [ 'https://any.example' ], 0 ],
    [ 'CORSAllowOrigin null https://app.example.org',
      [ 'https://app.example.org' ], [ 'null' ], 0 ],
    [ 'CORSAllowOrigin https://*.github.io https://*.example.org',
      [ 'https://a.example.org' ], [ 'https://evil.github.io' ], 0 ],
);

# What an allowed origin gets under a policy with credentials, private
# network access and protection: ACAO always; ACAC, ACAPN and passing
# protection only when trusted.
sub check {
    my ($where, $url, $origin, $trusted) = @_;
    my $t = $trusted ? 'trusted' : 'not trusted';
    my $acao = $origin eq 'null' || $trusted ? $origin : undef;
    my $res = GET($url, Origin => $origin);
    my $got = once($res, 'Access-Control-Allow-Origin') // '';
    ok($got eq $origin || $got eq '*',
       "$where: $origin is allowed to read") or diag($res->as_string);
    is(once($res, 'Access-Control-Allow-Credentials'),
       $trusted ? 'true' : undef,
       "$where: $origin, $t: " . ($trusted ? 'ACAC true' : 'no ACAC'));

    $res = preflight($url, $origin, 'PUT',
                     'Access-Control-Request-Private-Network' => 'true');
    is($res->code, 204, "$where: $origin: its preflight is answered 204");
    is(once($res, 'Access-Control-Allow-Private-Network'),
       $trusted ? 'true' : undef,
       "$where: $origin, $t: " . ($trusted ? 'ACAPN true' : 'no ACAPN'));
    is(once($res, 'Access-Control-Allow-Credentials'),
       $trusted ? 'true' : undef,
       "$where: $origin, $t: the preflight's ACAC");

    $res = request('POST', $url, Origin => $origin,
                   'Sec-Fetch-Site' => 'cross-site',
                   'Content-Type' => 'application/x-www-form-urlencoded');
    if ($trusted) {
        isnt($res->code, 403, "$where: $origin, trusted: its cross-site "
                              . 'POST passes protection');
    }
    else {
        is($res->code, 403, "$where: $origin, not trusted: its cross-site "
                            . 'POST is refused by protection');
    }
}

my $all = "CORSAllowCredentials On\nCORSAllowPrivateNetwork On\n"
          . "CORSCrossOriginProtection On\nCORSAllowMethods PUT\n";
for my $p (@policies) {
    my ($lines, $trusted, $untrusted, $one) = @$p;

    # one section: the .htaccess holds everything
    my $file = catfile($docroot, qw(trust one .htaccess));
    t_write_file($file, "$lines\n$all");
    if ($one) {
        check("one section ($lines)", '/trust/one/index.html', $_, 1)
            for @$trusted;
        check("one section ($lines)", '/trust/one/index.html', $_, 0)
            for @$untrusted;
    }
    else {
        is(GET('/trust/one/index.html', Origin => 'https://a.example')->code,
           500, "one section: $lines beside credentials is refused (500)");
    }

    # inheritance: only the origins in the .htaccess
    for my $dir ('inh', 'list') {
        t_write_file(catfile($docroot, 'trust', $dir, '.htaccess'),
                     "$lines\n");
        my $where = ($dir eq 'inh' ? 'AllowOverride FileInfo'
                                   : 'AllowOverrideList') . " ($lines)";
        check($where, "/trust/$dir/index.html", $_, 1) for @$trusted;
        check($where, "/trust/$dir/index.html", $_, 0) for @$untrusted;
    }
}
unlink map { catfile($docroot, 'trust', $_, '.htaccess') } qw(one inh list);

# The server configuration: the same rule, and the warning, once per
# child and section, naming the regex, the registrable domain and the
# domain set.
{
    my $mark = log_mark();
    check('<Location>', '/trust/loc/index.html', 'https://evilmyapp.com', 0);
    check('<Location>', '/trust/loc/index.html', 'https://www.myapp.com', 1);
    my @lines = grep { /CORS003/ && /evilmyapp\.com/ }
                split /\n/, log_since($mark, qr/CORS003.*evilmyapp/);
    ok(@lines >= 1 && @lines <= 2, '<Location>: the untrusted origin is '
       . 'logged once per child (' . scalar(@lines) . ')');
    # httpd's log writes the regex's backslash twice
    my $want = 'CORSAllowOriginMatch "^https://.*myapp\\\\.(com|net)$" '
               . 'allowed an origin whose registrable domain evilmyapp.com '
               . 'is not in its domain set (myapp.com,myapp.net)';
    ok(index($lines[0] // '', $want) >= 0,
       '... naming the regex, the domain and the domain set');
}

done_testing();
