# Origin patterns (docs/mod_cors.html#origins), proved through real
# requests to /req/pat/: exact origins, case-insensitive scheme and host
# with ACAO repeating the request's bytes, default ports dropped in the
# configuration, "*." labels, ":*" ports, "null", and CORSAllowOriginMatch
# regexes anchored at both ends and case-insensitive, tried beside the
# patterns.  Each Origin goes through an actual request and a preflight.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);

use lib 't/lib';
use CorsTest qw(once vary_count ac_names preflight private_httpd
                stop_httpd);
use LWP::UserAgent ();

my $url = '/req/pat/file.txt';

# [ Origin, allowed?, why ]
my @cases = (
    # exact, case-insensitive scheme and host
    [ 'https://app.exact.test',          1, 'exact origin' ],
    [ 'HTTPS://App.Exact.TEST',          1, 'scheme and host in other case, bytes echoed' ],
    [ 'https://APP.EXACT.TEST',          1, 'host in upper case' ],
    [ 'https://mixed.exact.org',         1, 'pattern written in mixed case' ],
    [ 'HTTPS://MIXED.exact.Org',         1, 'mixed-case pattern, mixed-case origin' ],
    [ 'http://app.exact.test',           0, 'exact: other scheme' ],
    [ 'https://app.exact.test:8443',     0, 'exact: other port' ],
    [ 'https://sub.app.exact.test',      0, 'exact: a subdomain' ],
    [ 'https://xapp.exact.test',         0, 'exact: a prefix on the host' ],
    [ 'https://app.exact.test.evil.net', 0, 'exact: a suffix on the host' ],
    [ 'https://app.exact.tes',           0, 'exact: a shorter host' ],

    # default ports in the configuration
    [ 'https://a.example',               1, 'https://a.example:443 in config' ],
    [ 'http://plain.example',            1, 'http://plain.example:80 in config' ],
    [ 'http://a.example',                0, 'https pattern, http origin' ],
    [ 'https://plain.example',           0, 'http pattern, https origin' ],
    [ 'https://a.example:8443',          0, 'default-port pattern, other port' ],
    # the first row of the table in docs/mod_cors.html#origins: a default
    # port in the Origin is never sent by a browser, so it is malformed
    [ 'HTTPS://A.example',               1, 'origins table: upper case allowed' ],
    [ 'https://a.example:443',           0, 'origins table: a default port in the Origin' ],
    [ 'http://plain.example:80',         0, 'origins table: :80 in an http Origin' ],

    # an explicit port
    [ 'http://svc.example:8080',         1, 'explicit port' ],
    [ 'http://svc.example',              0, 'explicit port: no port' ],
    [ 'http://svc.example:8081',         0, 'explicit port: other port' ],
    [ 'https://svc.example:8080',        0, 'explicit port: other scheme' ],

    # IPv6
    [ 'https://[::1]:8443',              1, 'IPv6 with port' ],
    [ 'https://[::1]',                   0, 'IPv6: no port' ],
    [ 'https://[::2]:8443',              0, 'IPv6: other address' ],

    # *. one or more labels
    [ 'https://a.example.com',           1, '*. one label' ],
    [ 'https://a.b.example.com',         1, '*. two labels' ],
    [ 'https://x-1.y_2.example.com',     1, '*. labels with - and _' ],
    [ 'HTTPS://A.B.EXAMPLE.COM',         1, '*. in upper case' ],
    [ 'https://example.com',             0, '*. not the bare domain' ],
    [ 'https://evilexample.com',         0, '*. not evilexample.com' ],
    [ 'https://example.com.evil.net',    0, '*. not example.com.evil.net' ],
    [ 'https://a.example.com.evil.net',  0, '*. not a.example.com.evil.net' ],
    [ 'http://a.example.com',            0, '*. not another scheme' ],
    [ 'https://a.example.com:8443',      0, '*. not another port' ],
    [ 'https://a.example.co',            0, '*. not a shorter suffix' ],

    # *. with :*
    [ 'https://a.wild.test',             1, '*.:* without port' ],
    [ 'https://a.wild.test:9443',        1, '*.:* with a port' ],
    [ 'https://a.b.wild.test:1',         1, '*.:* two labels, port 1' ],
    [ 'https://wild.test:9443',          0, '*.:* not the bare domain' ],
    [ 'https://wild.test',               0, '*.:* not the bare domain, no port' ],
    [ 'http://a.wild.test:9443',         0, '*.:* not another scheme' ],

    # :* any port and none
    [ 'http://localhost',                1, ':* no port' ],
    [ 'http://localhost:3000',           1, ':* port 3000' ],
    [ 'http://localhost:65535',          1, ':* port 65535' ],
    [ 'http://LOCALHOST:8080',           1, ':* host in upper case' ],
    [ 'https://localhost:3000',          0, ':* not another scheme' ],
    [ 'http://localhost.evil.test:3000', 0, ':* not a longer host' ],
    [ 'http://a.localhost:3000',         0, ':* not a subdomain' ],
    [ 'http://127.0.0.1:3000',           0, ':* not another host' ],

    # null
    [ 'null',                            1, 'null' ],
    [ 'NULL',                            0, 'null: not NULL' ],
    [ 'Null',                            0, 'null: not Null' ],
    [ 'nullx',                           0, 'null: not nullx' ],
    [ 'https://null',                    0, 'null: not a host named null' ],

    # regexes: whole value, case-insensitive
    [ 'https://good.example',            1, 'regex https://good\.example' ],
    [ 'HTTPS://GOOD.EXAMPLE',            1, 'regex is case-insensitive' ],
    [ 'https://Good.Example',            1, 'regex is case-insensitive, mixed' ],
    [ 'https://good.example.evil.net',   0, 'regex anchored at the end' ],
    [ 'https://xgood.example',           0, 'regex anchored at the start' ],
    [ 'https://good.example:8443',       0, 'regex anchored at the end (port)' ],
    [ 'http://good.example',             0, 'regex: other scheme' ],
    [ 'https://abc.regex.test',          1, 'regex ^...$ written by the author' ],
    [ 'https://ABC.Regex.TEST',          1, 'regex [a-z] case-insensitive' ],
    [ 'https://a1.regex.test',           0, 'regex ^...$ no match' ],
    [ 'https://abc.regex.test.evil.net', 0, 'regex ^...$ anchored' ],
    [ 'https://alt1.test',               1, 'regex alternation, first' ],
    [ 'https://alt2.test',               1, 'regex alternation, second' ],
    [ 'https://alt1.test.evil.net',      0, 'regex alternation anchored as a whole (end)' ],
    [ 'https://x.alt2.test',             0, 'regex alternation anchored as a whole (start)' ],
);

for my $c (@cases) {
    my ($origin, $allowed, $why) = @$c;

    my $res = GET $url, Origin => $origin;
    is($res->code, 200, "actual $origin ($why): status");
    if ($allowed) {
        is(once($res, 'Access-Control-Allow-Origin'), $origin,
           "actual $origin ($why): ACAO is the Origin, once");
    }
    else {
        is_deeply(ac_names($res), [],
                  "actual $origin ($why): no Access-Control-* header");
    }
    is(vary_count($res, 'Origin'), 1, "actual $origin ($why): Vary: Origin");

    $res = preflight($url, $origin, 'GET');
    if ($allowed) {
        is($res->code, 204, "preflight $origin ($why): 204");
        is(once($res, 'Access-Control-Allow-Origin'), $origin,
           "preflight $origin ($why): ACAO is the Origin, once");
    }
    else {
        is($res->code, 403, "preflight $origin ($why): 403");
        is_deeply(ac_names($res), [],
                  "preflight $origin ($why): no Access-Control-* header");
    }
}

# Patterns and regexes are both tried: one Origin allowed only by a
# pattern, one only by a regex, in the same section.
my $by_pattern = GET $url, Origin => 'https://q.example.com';
my $by_regex = GET $url, Origin => 'https://alt2.test';
is(once($by_pattern, 'Access-Control-Allow-Origin'), 'https://q.example.com',
   'a pattern allows beside regexes');
is(once($by_regex, 'Access-Control-Allow-Origin'), 'https://alt2.test',
   'a regex allows beside patterns');

# The manual's table (docs/mod_cors.html#origins), row by row: each
# pattern in a section of its own, each origin of "Allows" gets ACAO (the
# Origin itself, or "*" for the row of *) and each of "Does not allow"
# none.  A pattern cell's second <code> is another way to write it.
{
    my $top = Apache::Test::vars('top_dir');
    open my $fh, '<', "$top/docs/mod_cors.html" or die $!;
    my $html = do { local $/; <$fh> };
    my ($table) = $html =~ m{<h2><a\ id="origins">.*?<table\ class="data">
                             (.*?)</table>}sx;
    my @rows;
    for my $tr (($table // '') =~ m{<tr><td>(.*?)</tr>}sg) {
        my @cells = split m{</td><td>}, $tr =~ s{</td>$}{}r;
        my @code = map { [ m{<code>(.*?)</code>}g ] } @cells;
        s/^Origin: // for @{ $code[1] };
        # an origin in the prose ("Origin: null"), not a word of it
        my @origins = map { [ grep { m{^(?:null|[a-z]+://)}i } @$_ ] }
                      @code[1, 2];
        push @rows, [ $code[0], @origins ];
    }
    ok(@rows >= 6, 'the table of origin patterns is read (' . @rows
                   . ' rows)');
    my $n = 0;
    my $conf = '';
    for my $r (@rows) {
        for my $pattern (@{ $r->[0] }) {
            $n++;
            $conf .= qq{<Location "/t$n/">\n    CORSAllowOrigin $pattern\n}
                     . "</Location>\n";
            push @$r, [ $n, $pattern ];
        }
    }
    my $srv = private_httpd(1, $conf);
    my $ua = LWP::UserAgent->new;
    for my $r (@rows) {
        my ($patterns, $allows, $denies, @at) = @$r;
        for my $at (@at) {
            my ($i, $pattern) = @$at;
            my $url = "http://127.0.0.1:$srv->{ports}[0]/t$i/index.html";
            # "every origin": two that no other row lists
            my @yes = @$allows ? @$allows
                               : ('https://any.example', 'http://x.test:8');
            for my $origin (@yes) {
                my $want = $pattern eq '*' ? '*' : $origin;
                my $got = $ua->get($url, Origin => $origin)
                             ->header('Access-Control-Allow-Origin');
                is($got, $want, "origins table, $pattern: allows $origin");
            }
            for my $origin (@$denies) {
                my $got = $ua->get($url, Origin => $origin)
                             ->header('Access-Control-Allow-Origin');
                is($got, undef, "origins table, $pattern: not $origin");
            }
        }
    }
    stop_httpd($srv);
}

done_testing();
