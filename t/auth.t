# Authentication and authorization under the /int/ policy
# (t/conf/integration.conf.in): /int/auth/ has "Require valid-user"
# (basic auth, an AuthUserFile written here), /int/forbidden/ has
# "Require all denied".
#
# docs/mod_cors.html#requests: a preflight is answered "before authentication and
# authorization run and without reaching the handler" (so it is never a
# 401 and never needs credentials); actual-request headers hold "for
# every status (... 401, 403 ...)".
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_write_file);
use Digest::SHA qw(sha1_base64);

use lib 't/lib';
use CorsTest qw(has_token vary_count ac_names preflight int_actual_allowed
                int_preflight_allowed);

my $user = 'int-user';
my $pass = 'int-pass';
my $url  = '/int/auth/secret.txt';
my $app  = 'https://app.example';

# {SHA} line as htpasswd -s writes it: base64 of SHA-1, padded.
t_write_file(Apache::Test::vars('t_logs') . '/int.htpasswd',
             "$user:{SHA}" . sha1_base64($pass) . "=\n");

# 8 assertions: status, the actual-request headers, one more check
sub check_actual {
    my ($res, $origin, $allowed, $status, $label) = @_;
    is($res->code, $status, "$label: status");
    if ($allowed) {
        int_actual_allowed($res, $origin, $label);
    }
    else {
        ok(!defined $res->header('Access-Control-Allow-Origin'),
           "$label: no ACAO");
        ok(!defined $res->header('Access-Control-Allow-Credentials'),
           "$label: no ACAC");
        ok(!defined $res->header('Access-Control-Expose-Headers'),
           "$label: no ACEH");
        is_deeply(ac_names($res), [], "$label: no Access-Control-* header");
        is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
    }
}

my @origins = ([$app, 1, 'allowed'],
               ['https://evil.example', 0, 'denied'],
               [undef, 0, 'no Origin']);

# 401 without credentials
for my $o (@origins) {
    my ($origin, $allowed, $kind) = @$o;
    my $label = "401 without credentials, $kind";
    my $res = GET $url, defined $origin ? (Origin => $origin) : ();
    check_actual($res, $origin, $allowed, 401, $label);
    like($res->header('WWW-Authenticate') // '', qr/^Basic /i,
         "$label: WWW-Authenticate");
    unlike($res->content, qr/int auth secret/, "$label: no content");
}

# 401 with a wrong password
{
    my $res = GET $url, Origin => 'https://x.example.org',
                  username => $user, password => 'wrong';
    is($res->code, 401, 'wrong password: 401');
    is_deeply([$res->header('Access-Control-Allow-Origin')],
              ['https://x.example.org'], 'wrong password: ACAO');
    is_deeply([$res->header('Access-Control-Allow-Credentials')], ['true'],
              'wrong password: ACAC true');
    is(vary_count($res, 'Origin'), 1, 'wrong password: Origin once in Vary');
    ok(defined $res->header('WWW-Authenticate'),
       'wrong password: WWW-Authenticate');
}

# 200 with the right credentials
for my $o (@origins) {
    my ($origin, $allowed, $kind) = @$o;
    my $label = "200 with credentials, $kind";
    my $res = GET $url, username => $user, password => $pass,
                  defined $origin ? (Origin => $origin) : ();
    check_actual($res, $origin, $allowed, 200, $label);
    like($res->content, qr/int auth secret/, "$label: content");
    ok(!defined $res->header('WWW-Authenticate'),
       "$label: no WWW-Authenticate");
}

# An allowed preflight to the protected URL, without credentials: 204
# from the module, not 401 from mod_auth_basic.
{
    my $label = 'allowed preflight behind Require valid-user';
    my $res = preflight($url, $app, 'PUT',
                        'Access-Control-Request-Headers' => 'content-type');
    # no ACEH, no ACMA
    int_preflight_allowed($res, $app, 'PUT', $label);
    ok(has_token($res, 'Access-Control-Allow-Headers', 'content-type', 1),
       "$label: ACAH lists Content-Type");
    is(vary_count($res, 'Access-Control-Request-Method'), 1,
       "$label: Access-Control-Request-Method in Vary");
    is(vary_count($res, 'Access-Control-Request-Headers'), 1,
       "$label: Access-Control-Request-Headers in Vary");
    ok(!defined $res->header('WWW-Authenticate'),
       "$label: no WWW-Authenticate (authentication did not run)");
}

# A preflight from a denied origin: 403 from the module, not 401.
{
    my $label = 'denied-origin preflight behind Require valid-user';
    my $res = preflight($url, 'https://evil.example', 'PUT');
    is($res->code, 403, "$label: 403");
    is_deeply(ac_names($res), [], "$label: no Access-Control-* header");
    ok(!defined $res->header('WWW-Authenticate'),
       "$label: no WWW-Authenticate");
    is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
}

# A preflight for a method that is not allowed: 403 from the module.
{
    my $label = 'preflight for PATCH behind Require valid-user';
    my $res = preflight($url, $app, 'PATCH');
    is($res->code, 403, "$label: 403");
    is_deeply(ac_names($res), [], "$label: no Access-Control-* header");
    ok(!defined $res->header('WWW-Authenticate'),
       "$label: no WWW-Authenticate");
    is(vary_count($res, 'Origin'), 1, "$label: Origin once in Vary");
}

# A preflight to a URL behind "Require all denied": authorization does
# not run for it either.
{
    my $label = 'allowed preflight behind Require all denied';
    my $res = preflight('/int/forbidden/secret.txt', $app, 'DELETE');
    is($res->code, 204, "$label: 204");
    is_deeply([$res->header('Access-Control-Allow-Origin')], [$app],
              "$label: ACAO is the Origin, once");
    ok(has_token($res, 'Access-Control-Allow-Methods', 'DELETE'),
       "$label: ACAM lists DELETE");
    is_deeply([$res->header('Access-Control-Allow-Credentials')], ['true'],
              "$label: ACAC true, once");
    is($res->content, '', "$label: no body");
    # and the actual request is still refused by authorization
    $res = GET '/int/forbidden/secret.txt', Origin => $app;
    is($res->code, 403, "$label: the actual request is a 403");
}

done_testing();
