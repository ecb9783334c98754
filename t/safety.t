# Safety at the edges (docs/mod_cors.html#safety): one block per finding,
# over policies split across <Location>, <Directory>, a virtual host and
# a tenant's .htaccess (AllowOverride FileInfo and AllowOverrideList).
# Configuration: t/conf/safety.conf.in.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS POST);
use Apache::TestUtil qw(t_write_file);
use File::Spec::Functions qw(catfile);
use Time::HiRes qw(sleep);

use lib 't/lib';
use CorsTest qw(once no_ac_headers preflight log_mark log_since httpd_t
                in_directory file_lines);

my $docroot = Apache::Test::vars('documentroot');
my $acac = 'Access-Control-Allow-Credentials';
my $acao = 'Access-Control-Allow-Origin';

# --- 1. credentials inherited beside origins that must never get them ---

# [ path, origin, what ACAO must be ]
my @withheld = (
    [ '/safe/cred/null/', 'null', 'null' ],
    [ '/safe/cred/psl/', 'https://evil.com', 'https://evil.com' ],
    [ '/safe/cred/psl/', 'https://x.github.io', 'https://x.github.io' ],
    [ '/safe/cred/regex/', 'https://evil.com', 'https://evil.com' ],
    [ '/safe/cred/regex/', 'http://attacker.io', 'http://attacker.io' ],
    [ '/safe/cred/mixed/', 'null', 'null' ],
    [ '/safe/cred/mixed/', 'https://evil.com', 'https://evil.com' ],
    [ '/safe/cred/mixed/', 'https://evil.net', 'https://evil.net' ],
);
for my $c (@withheld) {
    my ($path, $origin, $want) = @$c;
    my $res = GET($path, Origin => $origin);
    ok((once($res, $acao) // '') eq $want && !defined $res->header($acac),
       "$path, actual from $origin: allowed, credentials withheld")
        or diag($res->as_string);
    $res = preflight($path, $origin, 'GET');
    ok($res->code == 204 && (once($res, $acao) // '') eq $want
       && !defined $res->header($acac),
       "$path, preflight from $origin: allowed, credentials withheld")
        or diag($res->as_string);
}

# Safe patterns of the same set keep their credentials.
for my $origin ('https://app.safe.example', 'https://api.safe.example') {
    my $res = GET('/safe/cred/mixed/', Origin => $origin);
    ok((once($res, $acao) // '') eq $origin
       && (once($res, $acac) // '') eq 'true',
       "mixed set: $origin keeps its credentials") or diag($res->as_string);
}

# A tenant's .htaccess (FileInfo, then AllowOverrideList): the same, and
# the warning is logged once per child, never once per request.
for my $ht (['ht', "CORSAllowOrigin null\n"],
            ['htlist', "CORSAllowOrigin https://*.github.io\n"],
            ['ht', "CORSAllowOriginMatch \"^https://.*\\.example\\.net\$\"\n"
                   . "CORSAllowOriginMatch \"^https?://.+[.](com|net|io)\$\"\n"]) {
    my ($dir, $body) = @$ht;
    my $file = catfile($docroot, qw(safe cred), $dir, '.htaccess');
    t_write_file($file, $body);
    my $origin = $body =~ /null/ ? 'null'
               : $body =~ /github/ ? 'https://a.github.io'
               : 'https://evil.com';
    my $mark = log_mark();
    my $bad = 0;
    for (1 .. 6) {
        my $res = GET("/safe/cred/$dir/", Origin => $origin);
        $bad++ if ($res->header($acao) // '') ne $origin
               || defined $res->header($acac);
    }
    is($bad, 0, "$dir/.htaccess ($body): $origin allowed without "
                . 'credentials, 6 times');
    my $text = log_since($mark, qr/credentials are withheld/);
    my @warn = grep { /\[cors:warn\]/ } split /\n/, $text;
    # the test server has several children: at most one line each
    ok(@warn >= 1 && @warn <= 2, "$dir/.htaccess: the warning is logged "
       . 'once per child, not per request (' . scalar(@warn) . ')')
        or diag($text);
    unlink $file;
}

# In one section it stays a configuration error.
for my $lines ("CORSAllowCredentials On\nCORSAllowOrigin null",
               "CORSAllowCredentials On\nCORSAllowOrigin https://*.github.io",
               "CORSAllowCredentials On\n"
               . 'CORSAllowOriginMatch "^https?://.+[.](com|net|org|io)$"') {
    my ($rc, $out) = httpd_t(in_directory($lines));
    (my $label = $lines) =~ s/\n/ + /g;
    ok($rc != 0 && $out =~ /list the origins/, "-t fails: $label")
        or diag($out);
}

# --- 2. regex cost is bounded ---------------------------------------------

# A near-miss Origin costs this regex some 600,000 backtracking steps: past
# the module's limit, far below PCRE's own (10 million), so the limit the
# module adds is what stops it.  It is hit, logged once per child, and
# the answer is a denial; the regex still allows what it should.
{
    my $hostile = 'https://' . ('a' x 10) . '.example.co';
    my $allowed = 0;
    my $mark = log_mark();
    for (1 .. 40) {
        my $res = GET('/safe/redos/', Origin => $hostile);
        $allowed++ if defined $res->header($acao) || $res->code != 200;
    }
    is($allowed, 0, 'hostile Origin against a backtracking regex: 200, '
                    . 'never allowed');
    my $res = GET('/safe/redos/', Origin => 'https://a.b.example.com');
    is(once($res, $acao), 'https://a.b.example.com',
       '... and the regex still allows what it should');
    my @limit = grep { /match limit/ }
                split /\n/, log_since($mark, qr/match limit/);
    ok(@limit >= 1 && @limit <= 2, 'the match limit is hit and logged once '
       . 'per child (' . scalar(@limit) . ')');
}

# In .htaccess the regex is read and probed on every request: requests
# without an Origin are still answered.
{
    my $file = catfile($docroot, qw(safe redos ht .htaccess));
    t_write_file($file, 'CORSAllowOriginMatch '
                 . '"^https://([a-z0-9-]+\.?)+\.example\.com$"' . "\n");
    my $ok = 0;
    for (1 .. 40) {
        $ok++ if GET('/safe/redos/ht/')->code == 200;
    }
    is($ok, 40, '.htaccess with that regex: 40 requests answered');
    unlink $file;
}

# --- 3. lookalike regexes: a warning, and no trust ------------------------

# Probing is an aid since 1.1 (docs/mod_cors.html#trust): a regex that
# lets a probe through passes -t with a warning naming the probe, with or
# without credentials; t/trust.t proves what the probe then gets.
# [ regex, a probe it lets through ]
my @lookalike = (
    [ '^https://.*example\.com$', 'https://evilexample.com' ],
    [ '^https://(.+)?api\.example\.com$', 'https://evilapi.example.com' ],
    [ '^https?://([a-z]+\.)?example\.com$', 'http://example.com' ],
    [ '^https://[a-z.]+example.com$', 'https://evilexample.com' ],
    [ '^https://app.example.com$', 'https://appxexample.com' ],
    [ '^https?://app\.example\.com$', 'http://app.example.com' ],
);
for my $c (@lookalike) {
    my ($re, $probe) = @$c;
    for my $cred ("CORSAllowCredentials On\n", '') {
        my ($rc, $out) = httpd_t(in_directory(
            $cred . "CORSAllowOriginMatch \"$re\""));
        ok($rc == 0 && $out =~ /\[cors:warn\].*also matches the lookalike /
           && index($out, $probe) >= 0,
           "-t passes with a warning naming $probe: $re"
           . ($cred ? ', with credentials' : '')) or diag($out);
    }
}
# an optional final group is no literal domain: nothing to trust
{
    my ($rc, $out) = httpd_t(in_directory(
        "CORSAllowCredentials On\n"
        . 'CORSAllowOriginMatch "^https://(www\.)?example\.com(\.evil\.test)?$"'));
    ok($rc != 0 && index($out, 'names no domain literally') >= 0,
       '-t fails with credentials beside a regex that ends in an optional '
       . 'group') or diag($out);
}
for my $re ('^https://([a-z0-9-]+\.)?example\.com$',
            '^https://(app|api)\.example\.com$',
            '^https://[a-z0-9-]+\.example\.com(:[0-9]+)?$') {
    my ($rc, $out) = httpd_t(in_directory(
        "CORSAllowCredentials On\nCORSAllowOriginMatch \"$re\""));
    ok($rc == 0 && $out !~ /\[cors:warn\]/,
       "-t passes quietly with credentials: $re") or diag($out);
}
{
    my ($rc, $out) = httpd_t(in_directory(
        'CORSAllowOriginMatch "^[a-z]+\.example\.com$"'));
    ok($rc == 0 && $out =~ /\[cors:warn\].*no ":\/\/"/,
       'a host-only regex is warned about') or diag($out);
}

# --- a regex never allows null: only CORSAllowOrigin null does ------------

{
    my $res = GET('/safe/nullre/', Origin => 'null');
    ok(no_ac_headers($res), 'a regex that names null does not allow it')
        or diag($res->as_string);
    $res = preflight('/safe/nullre/', 'null', 'GET');
    is($res->code, 403, '... nor its preflight');
    $res = GET('/safe/nullre/', Origin => 'https://app.example.com');
    is(once($res, $acao), 'https://app.example.com',
       '... while the regex allows its other origin');
}

# --- 4. (*ACCEPT) cannot escape the anchoring -----------------------------

{
    my $res = GET('/safe/accept/', Origin => 'https://app.example.com.evil.net');
    ok(no_ac_headers($res), '(*ACCEPT): a longer Origin is not allowed')
        or diag($res->as_string);
    $res = GET('/safe/accept/', Origin => 'https://app.example.com');
    is(once($res, $acao), 'https://app.example.com',
       '(*ACCEPT): the exact Origin still is');
}

# \K: the match PCRE reports starts after "https://", so it does not span
# the Origin (docs/mod_cors.html#safety) and allows nothing.
{
    my $res = GET('/safe/keep/', Origin => 'https://app.example.com');
    ok(no_ac_headers($res), '\\K: a match that does not span the Origin '
       . 'allows nothing') or diag($res->as_string);
}

# --- 5. CORS directives inside <Limit> or <LimitExcept> -------------------

for my $section ('Limit PUT', 'LimitExcept GET') {
    my ($tag) = $section =~ /^(\w+)/;
    for my $d ('CORSAllowOrigin *', 'CORSAllowCredentials On',
               'CORSCrossOriginProtection On') {
        my ($rc, $out) = httpd_t(in_directory(
            "<$section>\n    $d\n</$tag>"));
        my ($name) = $d =~ /^(\w+)/;
        ok($rc != 0 && $out =~ /\Q$name\E cannot be used inside <Limit>/,
           "-t fails: $d inside <$section>") or diag($out);
    }
}
{
    my $file = catfile($docroot, qw(safe limit .htaccess));
    t_write_file($file, "<Limit PUT>\nCORSAllowOrigin *\n</Limit>\n");
    my $res = GET('/safe/limit/', Origin => 'https://x.example');
    is($res->code, 500, '.htaccess: <Limit PUT> CORSAllowOrigin * is a 500');
    ok(no_ac_headers($res), '... that opens nothing');
    unlink $file;
}

# --- 6. every preflight carries the "Header always" headers ---------------

for my $c (['/safe/always/', 'PUT', 204], ['/safe/always/s200/', 'PUT', 200],
           ['/safe/always/', 'PATCH', 403],
           ['/safe/always/s200/', 'PATCH', 403]) {
    my ($path, $method, $status) = @$c;
    my $res = preflight($path, 'https://app.example', $method);
    ok($res->code == $status
       && (once($res, 'X-Always') // '') eq 'yes'
       && (once($res, 'Strict-Transport-Security') // '') eq 'max-age=60',
       "preflight $method to $path: $status with the Header always "
       . 'headers, once each') or diag($res->as_string);
}

# --- 7. a denied preflight never runs the ErrorDocument -------------------

{
    my $record = catfile(Apache::Test::vars('t_logs'), 'int_record');
    my $before = () = file_lines($record);
    my $res = preflight('/safe/errdoc/', 'https://evil.example', 'PUT');
    sleep 0.3;
    my $after = () = file_lines($record);
    ok($res->code == 403 && $after == $before,
       'denied preflight: 403, the ErrorDocument CGI did not run')
        or diag($res->as_string);
    ok(no_ac_headers($res) && $res->content =~ /CORS preflight denied/,
       '... the module\'s own short answer');
    $res = preflight('/safe/errdoc/remote/', 'https://evil.example', 'PUT');
    is($res->code, 403, 'a remote ErrorDocument 403 does not turn it into '
                        . 'a redirect');
}

# --- 8. nph- scripts bypass every output filter: the documented limit ---

{
    my $res = GET('/int/cgi/nph-int', Origin => 'https://evil.example');
    ok($res->code == 200
       && (once($res, $acao) // '') eq '*'
       && (once($res, $acac) // '') eq 'true'
       && !defined $res->header('Vary'),
       'nph- CGI: the script\'s own headers reach the client unfiltered, '
       . 'as docs/mod_cors.html#limits says') or diag($res->as_string);
}

# --- 9. smaller checks from the field -------------------------------------

{
    my ($rc, $out) = httpd_t(in_directory(
        "CORSAllowOrigin https://a.example\nCORSMaxAge 7201"));
    ok($rc == 0 && $out =~ /\[cors:warn\].*Chromium at 7200 seconds, Safari at 600/,
       'CORSMaxAge 7201: a warning with the browsers\' caps')
        or diag($out);
    ($rc, $out) = httpd_t(in_directory(
        "CORSAllowOrigin https://a.example\nCORSMaxAge 7200"));
    ok($rc == 0 && $out !~ /\[cors:warn\]/, 'CORSMaxAge 7200: quiet')
        or diag($out);
    ($rc, $out) = httpd_t(in_directory(
        "CORSAllowOrigin *\nCORSAllowPrivateNetwork On"));
    ok($rc != 0 && $out =~ /CORSAllowPrivateNetwork On cannot be combined/,
       'CORSAllowPrivateNetwork On with CORSAllowOrigin *: an error')
        or diag($out);
    ($rc, $out) = httpd_t(in_directory(
        "CORSAllowOrigin https://a.example\nCORSAllowHeaders * Authorization"));
    is($rc, 0, 'CORSAllowHeaders * Authorization is accepted') or diag($out);
    # PCRE's own words, from the PCRE this httpd links (Makefile.apxs
    # builds against the same): PCRE2 from httpd 2.4.53 on, PCRE1 before.
    # Under scripts/valgrind the httpd Apache::Test runs is a wrapper.
    my $bin = $ENV{MOD_CORS_REAL_HTTPD} || Apache::Test::vars('httpd');
    my $libs = qx{ldd '$bin' 2>/dev/null};
    my ($pcre, $words) = $libs =~ /libpcre2-8/
        ? ('PCRE2', 'missing closing parenthesis')
        : ('PCRE1', 'missing \\)');
    ($rc, $out) = httpd_t(in_directory(
        'CORSAllowOriginMatch "^https://(app\.example\.com$"'));
    ok($rc != 0 && $out =~ /does not compile: $words at offset \d+/,
       "a regex that does not compile: ${pcre}'s message and the offset")
        or diag($out);
    for my $bad ('CORSAllowMethods GET,PUT',
                 'CORSAllowOrigin https://a.example, https://b.example',
                 'CORSAllowHeaders X-A,X-B') {
        ($rc, $out) = httpd_t(in_directory($bad));
        ok($rc != 0 && $out =~ /separate values with spaces/,
           "$bad: separate values with spaces") or diag($out);
    }
}

done_testing();
