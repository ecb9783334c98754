# Preflights (docs/mod_cors.html#requests): what an allowed one
# answers (status, empty body, ACAO, ACAM, ACAH, ACMA, ACAC, ACAPN, Vary),
# that a denied one is a bare 403, method rules (GET/HEAD/POST, case,
# CONNECT/TRACE/TRACK), Access-Control-Request-Headers parsing, "*" with
# and without credentials, CORSPreflightStatus 200, and that an OPTIONS
# without Access-Control-Request-Method is not a preflight.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS);

use lib 't/lib';
use CorsTest qw(once list_of vary_count ac_names preflight raw);

my $APP = 'https://app.example.com';

# Fetch: ACAM allows a method it lists (byte for byte), or any method
# when it lists "*" and the request has no credentials.
sub acam_allows {
    my ($res, $credentials, $method) = @_;
    my %m = map { $_ => 1 } list_of($res, 'Access-Control-Allow-Methods');
    return $m{$method} || (!$credentials && $m{'*'}) ? 1 : 0;
}

# Fetch: ACAH allows a header name it lists (case-insensitive), or any
# name but Authorization when it lists "*" and the request has no
# credentials.
sub acah_allows {
    my ($res, $credentials, @names) = @_;
    my %h = map { lc($_) => 1 } list_of($res, 'Access-Control-Allow-Headers');
    for my $n (@names) {
        next if $h{lc $n};
        next if !$credentials && $h{'*'} && lc($n) ne 'authorization';
        return 0;
    }
    return 1;
}

# An allowed preflight.  %e: name, status (204), acao ($APP), cred (0/1),
# method, headers (arrayref of requested names, or undef: no ACAH),
# max_age (undef: no ACMA), pna (0/1).
sub allowed {
    my ($res, %e) = @_;
    my $n = $e{name};
    my $status = $e{status} // 204;
    my $method = $e{method};

    is($res->code, $status, "$n: status $status");
    is($res->content, '', "$n: empty body");
    my $cl = $res->header('Content-Length');
    ok(!defined $cl || $cl eq '0', "$n: Content-Length 0 or absent");
    is(once($res, 'Access-Control-Allow-Origin'), $e{acao} // $APP,
       "$n: ACAO, once");
    my %vary = map { lc($_) => 1 } list_of($res, 'Vary');
    ok($vary{origin} && $vary{'access-control-request-method'}
       && $vary{'access-control-request-headers'},
       "$n: Vary has Origin, Access-Control-Request-Method and "
       . "Access-Control-Request-Headers");
    is(once($res, 'Access-Control-Allow-Credentials'),
       $e{cred} ? 'true' : undef,
       $e{cred} ? "$n: ACAC true, once" : "$n: no ACAC");
    is(once($res, 'Access-Control-Max-Age'), $e{max_age},
       defined $e{max_age} ? "$n: ACMA $e{max_age}" : "$n: no ACMA");
    is(once($res, 'Access-Control-Allow-Private-Network'),
       $e{pna} ? 'true' : undef,
       $e{pna} ? "$n: ACAPN true, once" : "$n: no ACAPN");
    if ($method !~ /^(?:GET|HEAD|POST)$/) {
        ok(acam_allows($res, $e{cred}, $method), "$n: ACAM allows $method");
    }
    if ($e{headers}) {
        ok(acah_allows($res, $e{cred}, @{ $e{headers} }),
           "$n: ACAH allows @{ $e{headers} }");
    }
    else {
        ok(!defined $res->header('Access-Control-Allow-Headers'),
           "$n: no ACAH without ACRH");
    }
}

sub denied {
    my ($res, $n) = @_;
    is($res->code, 403, "$n: 403");
    is_deeply(ac_names($res), [], "$n: no Access-Control-* header");
}

my $res;

# --- A credentials-on list with every optional header -------------------
my $cred = '/req/cred/file.txt';

allowed(preflight($cred, $APP, 'PUT',
                  'Access-Control-Request-Headers' => 'X-A, content-type'),
        name => 'cred PUT with ACRH', cred => 1, method => 'PUT',
        headers => [qw(X-A content-type)], max_age => '600');
allowed(preflight($cred, 'https://other.example.com', 'DELETE'),
        name => 'cred DELETE, second origin', acao => 'https://other.example.com',
        cred => 1, method => 'DELETE', max_age => '600');
$res = preflight($cred, $APP, 'DELETE');
ok(!grep({ $_ eq '*' } list_of($res, 'Access-Control-Allow-Methods')),
   'cred: ACAM lists no "*"');
allowed(preflight($cred, $APP, 'GET'),
        name => 'cred GET', cred => 1, method => 'GET', max_age => '600');
allowed(preflight($cred, $APP, 'PUT',
                  'Access-Control-Request-Private-Network' => 'true'),
        name => 'cred private network true', cred => 1, method => 'PUT',
        max_age => '600', pna => 1);
allowed(preflight($cred, $APP, 'PUT',
                  'Access-Control-Request-Private-Network' => 'false'),
        name => 'cred private network false', cred => 1, method => 'PUT',
        max_age => '600');
allowed(preflight('/req/cred/no-such-file', $APP, 'PUT'),
        name => 'cred preflight to a missing file (no handler)', cred => 1,
        method => 'PUT', max_age => '600');
denied(preflight($cred, 'https://evil.example.com', 'PUT'),
       'cred: origin not allowed');
denied(preflight($cred, 'https://app.example.com.evil.net', 'GET'),
       'cred: origin not allowed, simple method');
denied(preflight($cred, $APP, 'PATCH'), 'cred: method not allowed');
denied(preflight($cred, $APP, 'PUT',
                 'Access-Control-Request-Headers' => 'x-a, x-c'),
       'cred: header not allowed');

# --- Private network access Off ------------------------------------------
my $pnaoff = '/req/pnaoff/file.txt';
# Access-Control-Request-Private-Network never fails a preflight
# (docs/mod_cors.html#private-network): without CORSAllowPrivateNetwork On
# the answer is the CORS one, with no ACAPN
allowed(preflight($pnaoff, $APP, 'GET',
                  'Access-Control-Request-Private-Network' => 'true'),
        name => 'pna Off: private network true, allowed without ACAPN',
        method => 'GET');
allowed(preflight($pnaoff, $APP, 'GET',
                  'Access-Control-Request-Private-Network' => 'false'),
        name => 'pna Off: private network false ignored', method => 'GET');
allowed(preflight($pnaoff, $APP, 'GET',
                  'Access-Control-Request-Private-Network' => 'TRUE'),
        name => 'pna Off: private network TRUE ignored', method => 'GET');
allowed(preflight($pnaoff, $APP, 'GET'),
        name => 'pna Off: no private network header', method => 'GET');

# --- No methods or headers configured, credentials off ---------------------
my $pat = '/req/pat/file.txt';
for my $m (qw(GET HEAD POST)) {
    allowed(preflight($pat, 'https://app.exact.test', $m),
            name => "no CORSAllowMethods: $m needs no listing",
            acao => 'https://app.exact.test', method => $m);
}
denied(preflight($pat, 'https://app.exact.test', 'PUT'),
       'no CORSAllowMethods: PUT');
for my $m (qw(get post Post pOST Head hEAD)) {
    denied(preflight($pat, 'https://app.exact.test', $m),
           "no CORSAllowMethods: $m (case-sensitive)");
}
denied(preflight($pat, 'https://app.exact.test', 'GET',
                 'Access-Control-Request-Headers' => 'x-a'),
       'no CORSAllowHeaders: x-a');

# --- Method names: put patch Custom-Verb ----------------------------------
my $methods = '/req/methods/file.txt';
allowed(preflight($methods, $APP, 'PUT'),
        name => 'config put allows PUT', method => 'PUT');
allowed(preflight($methods, $APP, 'patch'),
        name => 'config patch allows patch', method => 'patch');
allowed(preflight($methods, $APP, 'Custom-Verb'),
        name => 'config Custom-Verb allows Custom-Verb', method => 'Custom-Verb');
denied(preflight($methods, $APP, 'PATCH'), 'config patch: PATCH');
denied(preflight($methods, $APP, 'CUSTOM-VERB'), 'config Custom-Verb: CUSTOM-VERB');
denied(preflight($methods, $APP, 'put'), 'config put: requested put (case-sensitive)');
denied(preflight($methods, $APP, 'DELETE'), 'config put patch: DELETE');

# --- "*" without credentials -----------------------------------------------
my $star = '/req/star/file.txt';
for my $m (qw(PUT PATCH Custom-Verb)) {
    $res = preflight($star, $APP, $m);
    allowed($res, name => "* methods: $m", method => $m);
    is(once($res, 'Access-Control-Allow-Methods'), '*',
       "* methods without credentials: ACAM is *");
}
$res = preflight($star, $APP, 'PUT',
                 'Access-Control-Request-Headers' => 'x-a, X-Anything-Else');
allowed($res, name => '* headers', method => 'PUT',
        headers => [qw(x-a X-Anything-Else)]);
is(once($res, 'Access-Control-Allow-Headers'), '*',
   '* headers without credentials: ACAH is *');
for my $m (qw(CONNECT TRACE TRACK connect trace Track)) {
    denied(preflight($star, $APP, $m), "* methods: $m never allowed");
}
denied(preflight($star, $APP, 'PUT',
                 'Access-Control-Request-Headers' => 'x-a, Authorization'),
       '* headers: Authorization needs listing');
denied(preflight($star, $APP, 'GET',
                 'Access-Control-Request-Headers' => 'authorization'),
       '* headers: authorization alone needs listing');

my $starauth = '/req/starauth/file.txt';
allowed(preflight($starauth, $APP, 'GET',
                  'Access-Control-Request-Headers' => 'x-a, Authorization'),
        name => '* Authorization: Authorization listed', method => 'GET',
        headers => [qw(x-a Authorization)]);

# --- "*" with credentials: echo ------------------------------------------
my $starcred = '/req/starcred/file.txt';
for my $m (qw(PUT PATCH Custom-Verb)) {
    $res = preflight($starcred, $APP, $m);
    allowed($res, name => "* methods with credentials: $m", cred => 1,
            method => $m);
    ok(!grep({ $_ eq '*' } list_of($res, 'Access-Control-Allow-Methods')),
       "* methods with credentials, $m: no literal *");
}
$res = preflight($starcred, $APP, 'PUT',
                 'Access-Control-Request-Headers' => 'X-A, x-custom-thing');
allowed($res, name => '* headers with credentials', cred => 1,
        method => 'PUT', headers => [qw(X-A x-custom-thing)]);
ok(!grep({ $_ eq '*' } list_of($res, 'Access-Control-Allow-Headers')),
   '* headers with credentials: no literal *');
for my $m (qw(CONNECT TRACE TRACK)) {
    denied(preflight($starcred, $APP, $m),
           "* methods with credentials: $m never allowed");
}
denied(preflight($starcred, $APP, 'GET',
                 'Access-Control-Request-Headers' => 'x-a, authorization'),
       '* headers with credentials: Authorization needs listing');

my $starcredauth = '/req/starcredauth/file.txt';
$res = preflight($starcredauth, $APP, 'GET',
                 'Access-Control-Request-Headers' => 'X-Anything, authorization');
allowed($res, name => '* Authorization with credentials', cred => 1,
        method => 'GET', headers => [qw(X-Anything authorization)]);
ok(!grep({ $_ eq '*' } list_of($res, 'Access-Control-Allow-Headers')),
   '* Authorization with credentials: no literal *');

# --- Access-Control-Request-Headers parsing ----------------------------------
my $hdrs = '/req/hdrs/file.txt';
my @acrh_ok = (
    [ 'x-a',                         [qw(x-a)] ],
    [ 'X-A',                         [qw(X-A)] ],
    [ 'X-B',                         [qw(X-B)] ],
    [ 'Content-Type',                [qw(Content-Type)] ],
    [ 'x-a,x-b',                     [qw(x-a x-b)] ],
    [ 'x-a, X-B, content-type',      [qw(x-a X-B content-type)] ],
    [ "  x-a ,\tx-b  ",              [qw(x-a x-b)] ],
    [ 'x-a,,, ,X-B',                 [qw(x-a X-B)] ],
    [ ',x-a',                        [qw(x-a)] ],
    [ 'x-a,',                        [qw(x-a)] ],
    [ ' , , ',                       [] ],
    [ (',' x 300) . 'x-a' . (', ' x 300) . 'x-b' . (',' x 300),
                                     [qw(x-a x-b)] ],
    [ join(',', ('x-a') x 200),      [qw(x-a)] ],
);
for my $c (@acrh_ok) {
    my ($acrh, $names) = @$c;
    my $label = length($acrh) > 40 ? substr($acrh, 0, 20) . '... ('
        . length($acrh) . ' bytes)' : "'$acrh'";
    allowed(preflight($hdrs, $APP, 'GET',
                      'Access-Control-Request-Headers' => $acrh),
            name => "ACRH $label", method => 'GET', headers => $names);
}
for my $acrh ('x-c', 'x-a, x-c', 'x-a, x b', 'x-a, x(b)', 'x-a;x-b',
              'x-a, "x-b"', 'x-a, x-b/', 'x-a,,, ,x-c', 'Authorization',
              (',' x 300) . 'x-z') {
    my $label = length($acrh) > 40 ? substr($acrh, 0, 20) . '... ('
        . length($acrh) . ' bytes)' : "'$acrh'";
    denied(preflight($hdrs, $APP, 'GET',
                     'Access-Control-Request-Headers' => $acrh),
           "ACRH $label");
}
# several ACRH lines, joined by httpd
allowed(raw('OPTIONS', $hdrs, "Origin: $APP",
            'Access-Control-Request-Method: GET',
            'Access-Control-Request-Headers: x-a',
            'Access-Control-Request-Headers: X-B'),
        name => 'two ACRH lines, both listed', method => 'GET',
        headers => [qw(x-a X-B)]);
denied(raw('OPTIONS', $hdrs, "Origin: $APP",
           'Access-Control-Request-Method: GET',
           'Access-Control-Request-Headers: x-a',
           'Access-Control-Request-Headers: x-c'),
       'two ACRH lines, one not listed');

# --- CORSPreflightStatus 200, CORSMaxAge 0 --------------------------------
my $s200 = '/req/status200/file.txt';
allowed(preflight($s200, $APP, 'PUT',
                  'Access-Control-Request-Headers' => 'X-A'),
        name => 'CORSPreflightStatus 200', status => 200, method => 'PUT',
        headers => ['X-A'], max_age => '0');
denied(preflight($s200, $APP, 'PATCH'), 'CORSPreflightStatus 200: denied');
denied(preflight($s200, 'https://evil.example', 'PUT'),
       'CORSPreflightStatus 200: origin denied');

# --- CORSAllowOrigin * without credentials -----------------------------------
my $any = '/req/any/file.txt';
for my $o ('https://whatever.test', 'null', 'http://localhost:1234') {
    allowed(preflight($any, $o, 'PUT', 'Access-Control-Request-Headers' => 'x-a'),
            name => "CORSAllowOrigin * from $o", acao => '*', method => 'PUT',
            headers => ['x-a']);
}
denied(preflight($any, 'https://whatever.test', 'PATCH'),
       'CORSAllowOrigin *: method not allowed');
denied(preflight($any, 'https://whatever.test', 'GET',
                 'Access-Control-Request-Headers' => 'x-z'),
       'CORSAllowOrigin *: header not allowed');

# --- OPTIONS with Origin but without ACRM is not a preflight ------------------
$res = OPTIONS $cred, Origin => $APP;
is($res->code, 200, 'OPTIONS without ACRM: the handler answers 200');
ok(defined $res->header('Allow'), 'OPTIONS without ACRM: the handler\'s Allow');
is(once($res, 'Access-Control-Allow-Origin'), $APP,
   'OPTIONS without ACRM: actual-request ACAO');
is(once($res, 'Access-Control-Allow-Credentials'), 'true',
   'OPTIONS without ACRM: actual-request ACAC');
is(join(',', sort map { lc } list_of($res, 'Access-Control-Expose-Headers')),
   'x-page,x-total', 'OPTIONS without ACRM: actual-request ACEH');
is_deeply(ac_names($res),
          ['access-control-allow-credentials', 'access-control-allow-origin',
           'access-control-expose-headers'],
          'OPTIONS without ACRM: no preflight headers (ACAM, ACAH, ACMA)');
is(vary_count($res, 'Origin'), 1, 'OPTIONS without ACRM: Vary: Origin');

$res = OPTIONS $cred, Origin => 'https://evil.example.com';
is($res->code, 200, 'OPTIONS without ACRM, origin not allowed: 200, not 403');
is_deeply(ac_names($res), [],
          'OPTIONS without ACRM, origin not allowed: '
          . 'no Access-Control-* header');

done_testing();
