# The Origin syntax check (docs/mod_cors.html#requests: one serialized origin of
# at most 300 bytes) comes before every pattern and regex.  /req/regexall/
# allows the regex ".*" beside patterns, so only that check stands between
# a malformed Origin and ACAO: none of the values below is reflected, none
# causes a 5xx, and the server still answers after each.  Well-formed
# origins (up to 300 bytes) are allowed there, proving ".*" is in force.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);

use lib 't/lib';
use CorsTest qw(once vary_count ac_names preflight raw);

my $url = '/req/regexall/file.txt';

# An origin of exactly $len bytes under .example.com (labels <= 63).
sub long_origin {
    my $len = shift;
    my $prefix = 'https://';
    my $suffix = '.example.com';
    my $room = $len - length($prefix) - length($suffix);
    my @labels;
    while ($room > 64) {
        push @labels, 'a' x 63;
        $room -= 64;
    }
    push @labels, 'b' x $room;
    my $o = $prefix . join('.', @labels) . $suffix;
    die "long_origin($len) is " . length($o) . " bytes" if length($o) != $len;
    return $o;
}

sub server_answers {
    my $n = shift;
    my $res = GET $url;
    is($res->code, 200, "$n: the server still answers");
}

# --- Well-formed origins are allowed (".*") ---------------------------------
for my $origin ('https://app.example.com', 'https://anything.test',
                'https://a_b.example.com', 'http://127.0.0.1:8080',
                'https://[::1]:8443', 'https://[2001:db8::1]',
                'http://x.test:443', 'https://x.test:80', 'https://x.test:1',
                'https://x.test:65535', 'chrome-extension://abcdefghijklmnop',
                'web+app.v-1://x.test', 'https://xn--bcher-kva.example',
                'null', long_origin(300)) {
    my $n = length($origin) > 60 ? length($origin) . '-byte origin' : $origin;
    my $res = GET $url, Origin => $origin;
    is(once($res, 'Access-Control-Allow-Origin'), $origin,
       "well-formed $n: allowed, ACAO once");
    $res = preflight($url, $origin, 'PUT');
    is($res->code, 204, "well-formed $n: preflight 204");
}

# --- Malformed values, sent with LWP ------------------------------------------
my @malformed = (
    [ 'https://app.example.com, https://app.example.com', 'a list' ],
    [ 'https://app.example.com,https://b.example.com', 'a list without space' ],
    [ 'null, null',                       'a list of null' ],
    [ 'https://app .example.com',         'a space in the host' ],
    [ 'https:// app.example.com',         'a space after //' ],
    [ 'https://app.example.com :8443',    'a space before the port' ],
    [ 'https://app.example.com https://b.example.com', 'two origins' ],
    [ 'https://app.example.com/path',     'a path' ],
    [ 'https://app.example.com/',         'a trailing slash' ],
    [ 'https://user@app.example.com',     'userinfo' ],
    [ 'https://user:pw@app.example.com',  'userinfo with password' ],
    [ 'https://app.example.com?x=1',      'a query' ],
    [ 'https://app.example.com?',         'an empty query' ],
    [ 'https://app.example.com#f',        'a fragment' ],
    [ long_origin(301),                   'a 301-byte origin' ],
    [ long_origin(1000),                  'a 1000-byte origin' ],
    [ 'https://app%60.example.com',       '%60' ],
    [ 'https://app`.example.com',         'a backtick' ],
    [ 'https://{app}.example.com',        'braces' ],
    [ 'https://app.example.com\\',        'a backslash' ],
    [ '"https://app.example.com"',        'quotes' ],
    [ 'https://app.example.com;x',        'a semicolon' ],
    [ 'https://app.example.com:443',      'explicit :443 on https' ],
    [ 'http://localhost:80',              'explicit :80 on http' ],
    [ 'https://app.example.com:0',        'port 0' ],
    [ 'https://app.example.com:08443',    'a leading-zero port' ],
    [ 'http://localhost:0080',            'a leading-zero port (2)' ],
    [ 'http://localhost:65536',           'port 65536' ],
    [ 'http://localhost:99999999999',     'a huge port' ],
    [ 'https://app.example.com:',         'an empty port' ],
    [ 'http://localhost:8a',              'a non-digit port' ],
    [ 'http://localhost:+80',             'a signed port' ],
    [ 'https://app.example.com:8443:1',   'two ports' ],
    [ 'https://app.example.com.',         'a trailing dot' ],
    [ 'https://.example.com',             'a leading dot' ],
    [ 'https://a..example.com',           'an empty label' ],
    [ 'https://' . ('c' x 64) . '.example.com', 'a 64-byte label' ],
    [ 'https://*.example.com',            'a literal *.' ],
    [ 'https://',                         'no host' ],
    [ 'app.example.com',                  'no scheme' ],
    [ '//app.example.com',                'an empty scheme' ],
    [ 'https:app.example.com',            'no //' ],
    [ '1http://app.example.com',          'a scheme starting with a digit' ],
    [ 'ht_tp://app.example.com',          'an _ in the scheme' ],
    [ 'https://[::1',                     'an unclosed IPv6 bracket' ],
    [ 'https://[::g]',                    'a bad IPv6 address' ],
    [ 'https://::1',                      'IPv6 without brackets' ],
    [ 'NULL',                             'NULL' ],
    [ 'Null',                             'Null' ],
    [ '*',                                'a lone *' ],
);

for my $c (@malformed) {
    my ($origin, $what) = @$c;
    my $res = GET $url, Origin => $origin;
    ok($res->code < 500, "$what: actual not 5xx");
    is_deeply(ac_names($res), [],
              "$what: actual, not reflected, no Access-Control-*");
    is(vary_count($res, 'Origin'), 1, "$what: actual, Vary: Origin");
    $res = preflight($url, $origin, 'PUT');
    is($res->code, 403, "$what: preflight 403");
    is_deeply(ac_names($res), [], "$what: preflight, no Access-Control-*");
    server_answers($what);
}

# --- Malformed values, sent raw ------------------------------------------------
my @raw = (
    [ [ 'Origin: https://app.example.com', 'Origin: https://app.example.com' ],
      'two Origin lines, the same origin' ],
    [ [ 'Origin: https://app.example.com', 'Origin: null' ],
      'two Origin lines, an origin and null' ],
    [ [ 'Origin: null', 'Origin: null' ], 'two Origin lines of null' ],
    [ [ "Origin: https://app.\texample.com" ], 'a tab in the host' ],
    [ [ "Origin: https://app.example.com\t:8443" ], 'a tab before the port' ],
    [ [ "Origin: https://b\xc3\xbccher.example" ], 'UTF-8 bytes, not punycode' ],
    [ [ 'Origin:' ], 'an empty Origin' ],
);
for my $c (@raw) {
    my ($lines, $what) = @$c;
    my $res = raw('GET', $url, @$lines);
    ok($res->code && $res->code < 500, "raw $what: actual not 5xx");
    is_deeply(ac_names($res), [], "raw $what: actual, not reflected");
    $res = raw('OPTIONS', $url, @$lines, 'Access-Control-Request-Method: PUT');
    ok($res->code && $res->code < 500, "raw $what: preflight not 5xx");
    is_deeply(ac_names($res), [],
              "raw $what: preflight, no Access-Control-*");
    server_answers("raw $what");
}

# Whitespace around a field value is not part of it (RFC 9110 OWS) and
# httpd strips it; whatever the module answers, it never echoes a space.
for my $line ("Origin:   https://app.example.com   ", "Origin: \tnull\t ") {
    (my $what = $line) =~ s/\t/\\t/g;
    my $res = raw('GET', $url, $line);
    ok($res->code && $res->code < 500, "raw '$what': not 5xx");
    my $acao = once($res, 'Access-Control-Allow-Origin');
    ok(!defined $acao || $acao !~ /[ \t]/,
       "raw '$what': ACAO, if any, has no whitespace");
    server_answers("raw '$what'");
}

done_testing();
