# docs/mod_cors.html#merging: the allowed-origin set is inherited as a whole and
# replaced by a section that sets CORSAllowOrigin or CORSAllowOriginMatch;
# lines in one section accumulate; "none" turns the module off; every
# other directive is taken from the most specific section that sets it;
# <Location> over <Directory>, virtual host over server (in a private
# httpd); and credentials that meet "*" only through inheritance are not
# granted, with a warning logged for the request.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);

use lib 't/lib';
use CorsTest qw(once once_eq has_token no_ac_headers preflight log_mark
                log_since private_httpd stop_httpd);

my $A = 'https://a.merge.example';      # the parent's only origin
my $B = 'https://b.merge.example';

my $res;

# --- the parent ------------------------------------------------------------

$res = GET '/cfg/merge/index.html', Origin => $A;
is(once($res, 'Access-Control-Allow-Origin'), $A, 'parent: A allowed');
$res = preflight('/cfg/merge/index.html', $A, 'PUT',
                 'Access-Control-Request-Headers' => 'X-Parent');
ok($res->code == 200 && once_eq($res, 'Access-Control-Max-Age', '600'),
   'parent: preflight 200 with ACMA 600');

# --- a child's CORSAllowOrigin replaces the set; the rest is inherited ------

{
    my $url = '/cfg/merge/b/index.html';

    $res = GET $url, Origin => $A;
    ok(no_ac_headers($res), 'child B: the parent\'s origin A is not allowed');
    ok(has_token($res, 'Vary', 'Origin', 1), 'child B: module active (Vary)');

    $res = GET $url, Origin => $B;
    is(once($res, 'Access-Control-Allow-Origin'), $B, 'child B: B allowed');
    is(once($res, 'Access-Control-Allow-Credentials'), 'true',
       'child B: credentials inherited');
    ok(has_token($res, 'Access-Control-Expose-Headers', 'X-Parent-Exp', 1),
       'child B: CORSExposeHeaders inherited');

    $res = preflight($url, $A, 'PUT');
    ok($res->code == 403 && no_ac_headers($res),
       'child B: preflight from A denied');

    $res = preflight($url, $B, 'PUT',
                     'Access-Control-Request-Headers' => 'X-Parent',
                     'Access-Control-Request-Private-Network' => 'true');
    is($res->code, 200, 'child B: CORSPreflightStatus 200 inherited');
    is(once($res, 'Access-Control-Allow-Origin'), $B, 'child B: preflight ACAO');
    ok(has_token($res, 'Access-Control-Allow-Methods', 'PUT'),
       'child B: CORSAllowMethods inherited');
    ok(has_token($res, 'Access-Control-Allow-Headers', 'X-Parent', 1),
       'child B: CORSAllowHeaders inherited');
    is(once($res, 'Access-Control-Max-Age'), '600',
       'child B: CORSMaxAge inherited');
    is(once($res, 'Access-Control-Allow-Credentials'), 'true',
       'child B: preflight ACAC inherited');
    is(once($res, 'Access-Control-Allow-Private-Network'), 'true',
       'child B: CORSAllowPrivateNetwork inherited');
}

# --- a child with only CORSAllowOriginMatch replaces the set too ------------

{
    my $url = '/cfg/merge/re/index.html';

    $res = GET $url, Origin => $A;
    ok(no_ac_headers($res), 'child regex: A not allowed');
    $res = GET $url, Origin => 'https://re1.merge.example';
    is(once($res, 'Access-Control-Allow-Origin'), 'https://re1.merge.example',
       'child regex: the regex allows re1');
    $res = preflight($url, $A, 'PUT');
    is($res->code, 403, 'child regex: preflight from A denied');
    $res = preflight($url, 'https://re2.merge.example', 'PUT');
    ok($res->code == 200
       && once_eq($res, 'Access-Control-Allow-Origin',
                  'https://re2.merge.example'),
       'child regex: preflight from re2 allowed');
}

# --- several lines in one section accumulate --------------------------------

for my $n (1 .. 5) {
    my $o = "https://c$n.merge.example";
    $res = GET '/cfg/merge/acc/index.html', Origin => $o;
    is(once($res, 'Access-Control-Allow-Origin'), $o,
       "accumulating lines: c$n allowed");
}
$res = GET '/cfg/merge/acc/index.html', Origin => $A;
ok(no_ac_headers($res), 'accumulating lines: A (the parent\'s) not allowed');

# --- CORSAllowOrigin none: the module does nothing ----------------------------

{
    my $url = '/cfg/merge/none/index.html';

    $res = GET $url, Origin => $A;
    is($res->code, 200, 'none: GET answers');
    ok(no_ac_headers($res), 'none: no Access-Control-*');
    ok(!defined $res->header('Vary'), 'none: no Vary');

    $res = preflight($url, $A, 'PUT');
    is($res->code, 200, 'none: OPTIONS reaches the handler (200, not 204/403)');
    ok(defined $res->header('Allow'), 'none: the handler\'s Allow header');
    ok(no_ac_headers($res), 'none: preflight gets no Access-Control-*');
    ok(!defined $res->header('Vary'), 'none: preflight gets no Vary');
}

# --- only CORSAllowMethods set: the rest inherited ----------------------------

{
    my $url = '/cfg/merge/methods/index.html';

    $res = preflight($url, $A, 'DELETE');
    is($res->code, 200, 'methods child: DELETE allowed, status inherited');
    ok(has_token($res, 'Access-Control-Allow-Methods', 'DELETE')
       && !has_token($res, 'Access-Control-Allow-Methods', 'PUT'),
       'methods child: ACAM has DELETE, not the parent\'s PUT');
    is(once($res, 'Access-Control-Max-Age'), '600',
       'methods child: ACMA 600 inherited');
    is(once($res, 'Access-Control-Allow-Origin'), $A,
       'methods child: origin set inherited');
    $res = preflight($url, $A, 'PUT');
    is($res->code, 403, 'methods child: the parent\'s PUT is replaced');
}

# --- every other directive overridden ------------------------------------------

{
    my $url = '/cfg/merge/override/index.html';

    $res = preflight($url, $A, 'PUT',
                     'Access-Control-Request-Headers' => 'X-Child');
    is($res->code, 204, 'override: CORSPreflightStatus 204 wins');
    ok(has_token($res, 'Access-Control-Allow-Headers', 'X-Child', 1),
       'override: ACAH X-Child');
    is(once($res, 'Access-Control-Max-Age'), '5', 'override: ACMA 5');
    ok(!defined $res->header('Access-Control-Allow-Credentials'),
       'override: CORSAllowCredentials Off wins');

    $res = preflight($url, $A, 'PUT',
                     'Access-Control-Request-Headers' => 'X-Parent');
    is($res->code, 403, 'override: the parent\'s header is replaced');

    $res = preflight($url, $A, 'PUT',
                     'Access-Control-Request-Private-Network' => 'true');
    ok($res->code == 204
       && !defined $res->header('Access-Control-Allow-Private-Network'),
       'override: CORSAllowPrivateNetwork Off wins (no ACAPN)');

    $res = GET $url, Origin => $A;
    is(once($res, 'Access-Control-Allow-Origin'), $A,
       'override: origin set inherited');
    ok(!defined $res->header('Access-Control-Allow-Credentials'),
       'override: no ACAC on the actual response');
    ok(has_token($res, 'Access-Control-Expose-Headers', 'X-Child-Exp', 1)
       && !has_token($res, 'Access-Control-Expose-Headers', 'X-Parent-Exp', 1),
       'override: ACEH is the child\'s');

    # a grandchild setting only CORSMaxAge
    $res = preflight('/cfg/merge/override/deep/index.html', $A, 'PUT',
                     'Access-Control-Request-Headers' => 'X-Child');
    is($res->code, 204, 'grandchild: status from the child');
    is(once($res, 'Access-Control-Max-Age'), '9', 'grandchild: ACMA 9');
    ok(has_token($res, 'Access-Control-Allow-Headers', 'X-Child', 1),
       'grandchild: ACAH from the child');
    ok(!defined $res->header('Access-Control-Allow-Credentials'),
       'grandchild: credentials Off from the child');
}

# --- <Location> over <Directory> ----------------------------------------------

{
    my $url = '/cfg/merge/locdir/index.html';
    my $loc = 'https://loc.merge.example';

    $res = GET $url, Origin => $loc;
    is(once($res, 'Access-Control-Allow-Origin'), $loc,
       '<Location> origin allowed');
    $res = GET $url, Origin => 'https://dir.merge.example';
    ok(no_ac_headers($res), '<Directory> origin replaced by <Location>\'s');

    $res = preflight($url, $loc, 'PATCH');
    is($res->code, 200, '<Location>: PATCH from <Directory>, status from '
       . 'the parent directory');
    is(once($res, 'Access-Control-Max-Age'), '7',
       '<Location> CORSMaxAge 7 over <Directory> 8');
    ok(has_token($res, 'Access-Control-Allow-Methods', 'PATCH'),
       'ACAM PATCH from <Directory>');
    $res = preflight($url, $loc, 'PUT');
    is($res->code, 403, 'the grandparent\'s PUT replaced by <Directory>\'s');
}

# --- credentials meet "*" only through inheritance ------------------------------

{
    my $cred = 'https://cred.merge.example';
    my $other = 'https://any.merge.example';

    $res = GET '/cfg/credstar/index.html', Origin => $cred;
    ok(once_eq($res, 'Access-Control-Allow-Origin', $cred)
       && once_eq($res, 'Access-Control-Allow-Credentials', 'true'),
       'credentials parent: ACAO and ACAC true');

    my $mark = log_mark();
    $res = GET '/cfg/credstar/star/index.html', Origin => $other;
    is(once($res, 'Access-Control-Allow-Origin'), '*',
       'inherited credentials beside *: ACAO *');
    ok(!defined $res->header('Access-Control-Allow-Credentials'),
       'inherited credentials beside *: no ACAC');
    my $warn = qr/^.*\[cors:warn\].*\[client 127\.0\.0\.1[^\]]*\].*$/m;
    my ($line) = log_since($mark, $warn) =~ /($warn)/;
    ok(defined $line && $line =~ /credential/i,
       'inherited credentials beside *: a warn-level line for the request')
        or diag('new error_log lines: ' . log_since($mark, qr/^/));

    $res = GET '/cfg/credstar/star/index.html';
    ok(once_eq($res, 'Access-Control-Allow-Origin', '*')
       && !defined $res->header('Access-Control-Allow-Credentials'),
       'inherited credentials beside *, no Origin: ACAO *, no ACAC');

    $res = preflight('/cfg/credstar/star/index.html', $other, 'GET');
    is($res->code, 204, 'inherited credentials beside *: preflight allowed');
    ok(once_eq($res, 'Access-Control-Allow-Origin', '*')
       && !defined $res->header('Access-Control-Allow-Credentials'),
       'inherited credentials beside *: preflight ACAO *, no ACAC');
}

# --- credentials meet a regex that matches any origin ------------------------------

{
    my $other = 'https://any.merge.example';
    my $mark = log_mark();
    $res = GET '/cfg/credstar/match/index.html', Origin => $other;
    is(once($res, 'Access-Control-Allow-Origin'), $other,
       'inherited credentials beside a match-all regex: origin reflected');
    ok(!defined $res->header('Access-Control-Allow-Credentials'),
       'inherited credentials beside a match-all regex: no ACAC');
    ok(log_since($mark, qr/^/) =~ /\[cors:warn\].*CORSAllowOriginMatch/,
       'inherited credentials beside a match-all regex: a warn-level line');
    $res = preflight('/cfg/credstar/match/index.html', $other, 'GET');
    ok($res->code == 204
       && !defined $res->header('Access-Control-Allow-Credentials'),
       'inherited credentials beside a match-all regex: preflight, no ACAC');
}

# --- virtual host over server (a private httpd) -----------------------------------

{
    my $srv = private_httpd(2, sub {
        my ($main, $vh) = @_;
        return <<"EOF";
CORSAllowOrigin https://srv.merge.example
CORSAllowMethods PUT
CORSMaxAge 600
<VirtualHost 127.0.0.1:$vh>
    CORSAllowOrigin https://vh.merge.example
    CORSMaxAge 60
</VirtualHost>
EOF
    });
    my ($main, $vh) = map { "http://127.0.0.1:$_/index.html" }
                          @{ $srv->{ports} };

    $res = preflight($main, 'https://srv.merge.example', 'PUT');
    ok($res->code == 204 && once_eq($res, 'Access-Control-Max-Age', '600'),
       'server: preflight allowed with ACMA 600');

    $res = preflight($vh, 'https://srv.merge.example', 'PUT');
    is($res->code, 403, 'virtual host: the server\'s origin is replaced');
    $res = GET $vh, Origin => 'https://srv.merge.example';
    ok(no_ac_headers($res), 'virtual host: the server\'s origin, actual');

    $res = preflight($vh, 'https://vh.merge.example', 'PUT');
    is($res->code, 204, 'virtual host: its own origin allowed');
    is(once($res, 'Access-Control-Max-Age'), '60',
       'virtual host: CORSMaxAge 60 over the server\'s 600');
    ok(has_token($res, 'Access-Control-Allow-Methods', 'PUT'),
       'virtual host: CORSAllowMethods inherited from the server');

    stop_httpd($srv);
}

done_testing();
