# .htaccess (AllowOverride FileInfo): a policy written at run time takes
# effect on the next request and overrides its <Directory>; an invalid one
# (docs/mod_cors.html#checks) gives that directory a 500 and an
# error-log line naming the directive and the value, while the sibling
# directory keeps working.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_write_file);
use File::Spec::Functions qw(catfile);

use lib 't/lib';
use CorsTest qw(once once_eq no_ac_headers preflight log_mark log_since);

# Invalid files: the content, then what the error-log line must name.
my @invalid = (
    [ "CORSAllowOrigin https://ht-a.example/path\n",
      'CORSAllowOrigin', 'https://ht-a.example/path' ],
    [ "CORSAllowOrigin https://ht-a.example\nCORSMaxAge 86401\n",
      'CORSMaxAge', '86401' ],
    [ "CORSAllowOriginMatch ^https://(unclosed\n",
      'CORSAllowOriginMatch', '^https://(unclosed' ],
    [ "CORSAllowOrigin *\nCORSAllowCredentials On\n",
      'CORSAllowCredentials', 'CORSAllowOrigin', '*' ],
    [ "CORSAllowCredentials On\nCORSAllowOrigin *\n",
      'CORSAllowCredentials', 'CORSAllowOrigin', '*' ],
);

my $docroot = Apache::Test::vars('documentroot');
my $a_file = catfile($docroot, qw(cfg ht a .htaccess));
my $a_url = '/cfg/ht/a/index.html';
my $b_url = '/cfg/ht/b/index.html';

my $res;

# --- no .htaccess yet: the module is off ---------------------------------------

$res = GET $a_url, Origin => 'https://ht-a.example';
ok($res->code == 200 && no_ac_headers($res) && !defined $res->header('Vary'),
   'no .htaccess: the module does nothing');

# --- a valid file takes effect on the next request --------------------------------

t_write_file($a_file, "CORSAllowOrigin https://ht-a.example\n"
                      . "CORSAllowMethods PUT\nCORSMaxAge 30\n");
$res = GET $a_url, Origin => 'https://ht-a.example';
is(once($res, 'Access-Control-Allow-Origin'), 'https://ht-a.example',
   '.htaccess written: its origin is allowed');
$res = preflight($a_url, 'https://ht-a.example', 'PUT');
is($res->code, 204, '.htaccess: preflight allowed');
is(once($res, 'Access-Control-Max-Age'), '30', '.htaccess: CORSMaxAge 30');

t_write_file($a_file, "CORSAllowOrigin https://ht-a2.example\n");
$res = GET $a_url, Origin => 'https://ht-a.example';
ok(no_ac_headers($res), '.htaccess rewritten: the old origin is gone');
$res = GET $a_url, Origin => 'https://ht-a2.example';
is(once($res, 'Access-Control-Allow-Origin'), 'https://ht-a2.example',
   '.htaccess rewritten: the new origin is allowed');
$res = preflight($a_url, 'https://ht-a2.example', 'PUT');
is($res->code, 403, '.htaccess rewritten: PUT no longer listed');

# the sibling
t_write_file(catfile($docroot, qw(cfg ht b .htaccess)),
             "CORSAllowOrigin https://ht-b.example\n");
$res = GET $b_url, Origin => 'https://ht-b.example';
is(once($res, 'Access-Control-Allow-Origin'), 'https://ht-b.example',
   'sibling .htaccess: allowed');

# --- .htaccess over its <Directory> -----------------------------------------------

{
    my $url = '/cfg/ht/over/index.html';

    $res = GET $url, Origin => 'https://dir.ht.example';
    is(once($res, 'Access-Control-Allow-Origin'), 'https://dir.ht.example',
       '<Directory> policy before the .htaccess');

    t_write_file(catfile($docroot, qw(cfg ht over .htaccess)),
                 "CORSAllowOrigin https://file.ht.example\n");
    $res = GET $url, Origin => 'https://dir.ht.example';
    ok(no_ac_headers($res), '.htaccess origins replace the <Directory>\'s');
    $res = preflight($url, 'https://file.ht.example', 'GET');
    ok($res->code == 204
       && once_eq($res, 'Access-Control-Allow-Origin',
                  'https://file.ht.example')
       && once_eq($res, 'Access-Control-Max-Age', '100'),
       '.htaccess origin allowed, CORSMaxAge inherited from <Directory>');
}

# --- invalid files: 500 for that directory only ------------------------------------

for my $case (@invalid) {
    my ($content, @names) = @$case;
    (my $label = $content) =~ s/\n(?!\z)/ + /g;
    chomp $label;

    t_write_file($a_file, $content);
    my $mark = log_mark();
    $res = GET $a_url, Origin => 'https://ht-a.example';
    is($res->code, 500, "invalid .htaccess ($label): GET gives 500");
    ok(no_ac_headers($res), "invalid .htaccess ($label): no Access-Control-*");

    # one line of the error log names the directive and the value
    my $line_re = qr/^(?=.*\Q$a_file\E).*$/m;
    my @lines = log_since($mark, qr/\Q$a_file\E/) =~ /($line_re)/g;
    ok(scalar(grep { my $l = $_; !grep { index($l, $_) < 0 } @names } @lines),
       "invalid .htaccess ($label): the error log names "
       . join(' and ', map { "'$_'" } @names))
        or diag("error_log lines for the file:\n", join("\n", @lines));

    $res = preflight($a_url, 'https://ht-a.example', 'PUT');
    is($res->code, 500, "invalid .htaccess ($label): preflight gives 500");

    $res = GET $b_url, Origin => 'https://ht-b.example';
    ok($res->code == 200
       && once_eq($res, 'Access-Control-Allow-Origin', 'https://ht-b.example'),
       "invalid .htaccess ($label): the sibling directory still works");
}

# --- fixed again --------------------------------------------------------------------

t_write_file($a_file, "CORSAllowOrigin https://ht-a.example\n");
$res = GET $a_url, Origin => 'https://ht-a.example';
ok($res->code == 200
   && once_eq($res, 'Access-Control-Allow-Origin', 'https://ht-a.example'),
   'fixed .htaccess: works again on the next request');

# Credentials and "*" in different files are allowed (SPEC: only within one
# section is it an error), and no credentials are granted beside "*".
t_write_file(catfile($docroot, qw(cfg ht .htaccess)),
             "CORSAllowCredentials On\n");
t_write_file($a_file, "CORSAllowOrigin *\n");
$res = GET $a_url, Origin => 'https://ht-a.example';
is($res->code, 200, 'credentials in the parent .htaccess, * in the child: 200');
is(once($res, 'Access-Control-Allow-Origin'), '*', '... ACAO *');
ok(!defined $res->header('Access-Control-Allow-Credentials'), '... no ACAC');
$res = GET $b_url, Origin => 'https://ht-b.example';
is(once($res, 'Access-Control-Allow-Credentials'), 'true',
   'credentials from the parent .htaccess reach the sibling');

done_testing();
