# Actual requests (docs/mod_cors.html#requests): CORSAllowOrigin
# * without credentials answers ACAO * on every response whatever the
# Origin, with no Vary: Origin; an allowed origin gets ACAO = Origin,
# ACAC, ACEH and Vary: Origin; a refused one and a request without Origin
# only Vary: Origin; and where no CORSAllowOrigin applies the module does
# nothing at all.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET HEAD OPTIONS);

use lib 't/lib';
use CorsTest qw(once list_of vary_count ac_names preflight);

my $APP = 'https://app.example.com';

# The exposed names, lower case, sorted.
sub aceh_set {
    my $res = shift;
    return join ',', sort map { lc } list_of($res,
                                             'Access-Control-Expose-Headers');
}

my ($res, $n);

# --- CORSAllowOrigin *, credentials off -------------------------------------
my $long = 'https://' . ('a' x 400) . '.test';
for my $c ([ undef,                           'no Origin' ],
           [ 'https://whatever.test',         'an Origin' ],
           [ 'null',                          'null' ],
           [ 'https://a.test, https://b.test', 'a list' ],
           [ 'https://whatever.test/path',    'a path' ],
           [ 'not an origin',                 'garbage' ],
           [ 'HTTPS://UPPER.test',            'upper case' ],
           [ $long,                           'a 420-byte value' ]) {
    my ($origin, $what) = @$c;
    for my $m (qw(GET HEAD)) {
        my @h = defined $origin ? (Origin => $origin) : ();
        $res = $m eq 'GET' ? GET('/req/any/file.txt', @h)
                           : HEAD('/req/any/file.txt', @h);
        $n = "* $m with $what";
        is($res->code, 200, "$n: 200");
        is(once($res, 'Access-Control-Allow-Origin'), '*', "$n: ACAO *, once");
        is(aceh_set($res), 'x-page,x-total', "$n: ACEH");
        ok(!defined $res->header('Access-Control-Allow-Credentials'),
           "$n: no ACAC");
        is(vary_count($res, 'Origin'), 0, "$n: no Vary: Origin");
    }
}
$res = GET '/req/any/no-such-file', Origin => 'https://whatever.test';
is($res->code, 404, '* on a 404: 404');
is(once($res, 'Access-Control-Allow-Origin'), '*', '* on a 404: ACAO *');
$res = OPTIONS '/req/any/file.txt', Origin => 'https://whatever.test';
is($res->code, 200, '* OPTIONS without ACRM: handler 200');
is(once($res, 'Access-Control-Allow-Origin'), '*',
   '* OPTIONS without ACRM: ACAO *');
ok(!defined $res->header('Access-Control-Allow-Methods'),
   '* OPTIONS without ACRM: no ACAM');

# --- A credentials-on list ------------------------------------------------
my $cred = '/req/cred/file.txt';
for my $origin ($APP, 'https://other.example.com', 'HTTPS://App.Example.COM') {
    for my $m (qw(GET HEAD)) {
        $res = $m eq 'GET' ? GET($cred, Origin => $origin)
                           : HEAD($cred, Origin => $origin);
        $n = "cred $m from $origin";
        is($res->code, 200, "$n: 200");
        is(once($res, 'Access-Control-Allow-Origin'), $origin,
           "$n: ACAO is the Origin, once");
        is(once($res, 'Access-Control-Allow-Credentials'), 'true',
           "$n: ACAC true, once");
        is(aceh_set($res), 'x-page,x-total', "$n: ACEH");
        is_deeply(ac_names($res),
                  ['access-control-allow-credentials',
                   'access-control-allow-origin',
                   'access-control-expose-headers'],
                  "$n: no preflight headers");
        is(vary_count($res, 'Origin'), 1, "$n: Vary: Origin once");
    }
}
$res = GET '/req/cred/no-such-file', Origin => $APP;
is($res->code, 404, 'cred on a 404: 404');
is(once($res, 'Access-Control-Allow-Origin'), $APP, 'cred on a 404: ACAO');
is(once($res, 'Access-Control-Allow-Credentials'), 'true',
   'cred on a 404: ACAC');
is(vary_count($res, 'Origin'), 1, 'cred on a 404: Vary: Origin');

for my $origin ('https://evil.example.com', 'https://app.example.com.evil.net',
                'http://app.example.com', 'null', 'https://app.example.com/') {
    $res = GET $cred, Origin => $origin;
    $n = "cred GET from $origin (not allowed)";
    is($res->code, 200, "$n: 200, never refused");
    is_deeply(ac_names($res), [], "$n: no Access-Control-* header");
    is(vary_count($res, 'Origin'), 1, "$n: Vary: Origin once");
}

$res = GET $cred;
is($res->code, 200, 'cred without Origin: 200');
is_deeply(ac_names($res), [],
          'cred without Origin: no Access-Control-* header');
is(vary_count($res, 'Origin'), 1, 'cred without Origin: Vary: Origin once');

# --- Credentials off, nothing exposed -----------------------------------------
$res = GET '/req/pat/file.txt', Origin => 'https://app.exact.test';
is(once($res, 'Access-Control-Allow-Origin'), 'https://app.exact.test',
   'no credentials: ACAO');
is_deeply(ac_names($res), ['access-control-allow-origin'],
          'no credentials, no CORSExposeHeaders: only ACAO');
is(vary_count($res, 'Origin'), 1, 'no credentials: Vary: Origin');

# --- CORSExposeHeaders * X-Total ---------------------------------------------
$res = GET '/req/expose/file.txt', Origin => $APP;
is(once($res, 'Access-Control-Allow-Origin'), $APP, 'expose *: ACAO');
is(aceh_set($res), '*,x-total', 'expose *: ACEH has * and x-total');
is(vary_count($res, 'Origin'), 1, 'expose *: Vary: Origin');
$res = GET '/req/expose/file.txt', Origin => 'https://evil.example';
is_deeply(ac_names($res), [],
          'expose *, origin not allowed: no ACEH, nothing');

# --- No CORSAllowOrigin: inactive --------------------------------------------
my $inactive = '/req/inactive/file.txt';
for my $c ([ 'GET with Origin',   sub { GET $inactive, Origin => $APP } ],
           [ 'GET without Origin', sub { GET $inactive } ],
           [ 'HEAD with Origin',  sub { HEAD $inactive, Origin => $APP } ]) {
    my ($what, $req) = @$c;
    $res = $req->();
    is($res->code, 200, "inactive $what: 200");
    is_deeply(ac_names($res), [],
              "inactive $what: no Access-Control-* header");
    ok(!defined $res->header('Vary'), "inactive $what: no Vary");
}
$res = preflight($inactive, $APP, 'PUT',
                 'Access-Control-Request-Headers' => 'x-a',
                 'Access-Control-Request-Private-Network' => 'true');
is($res->code, 200, 'inactive preflight: reaches the handler (200)');
ok(defined $res->header('Allow'), 'inactive preflight: the handler\'s Allow');
is_deeply(ac_names($res), [],
          'inactive preflight: no Access-Control-* header');
ok(!defined $res->header('Vary'), 'inactive preflight: no Vary');
$res = OPTIONS $inactive, Origin => $APP;
is($res->code, 200, 'inactive OPTIONS: 200');
is_deeply(ac_names($res), [], 'inactive OPTIONS: no Access-Control-* header');

done_testing();
