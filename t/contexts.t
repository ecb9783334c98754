# Every directive works in every context the manual lists (server config,
# virtual host, <Directory>, <Location>, .htaccess under AllowOverride
# FileInfo, except CORSStatus and CORSAllowOriginFile, which .htaccess
# may not hold), and a CORS
# directive in a .htaccess whose AllowOverride lacks FileInfo is refused
# (500).  Server config is tested in a private httpd so
# that its policy does not reach the rest of the suite.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_write_file);
use File::Spec::Functions qw(catfile);
use LWP::UserAgent ();

use lib 't/lib';
use CorsTest qw(once has_token no_ac_headers preflight request log_mark
                log_since private_httpd stop_httpd directives);

my $docroot = Apache::Test::vars('documentroot');
# an origin list file for the server config's CORSAllowOriginFile
use constant FILE => catfile(Apache::Test::vars('t_logs'), 'ctx.origins');
t_write_file(FILE, "https://file-srv.ctx.example\n");

# The directive set is the same in every context; only the names differ.
sub check_context {
    my ($ctx, $url, $name, $max_age) = @_;
    my $origin = "https://$name.ctx.example";
    my $re_origin = "https://re-$name.ctx.example";
    my $res;

    $res = GET $url, Origin => $origin;
    is($res->code, 200, "$ctx: GET answers");
    is(once($res, 'Access-Control-Allow-Origin'), $origin,
       "$ctx: CORSAllowOrigin allows $origin");
    is(once($res, 'Access-Control-Allow-Credentials'), 'true',
       "$ctx: CORSAllowCredentials On gives ACAC true");
    ok(has_token($res, 'Access-Control-Expose-Headers', 'X-Ctx-Exp', 1),
       "$ctx: CORSExposeHeaders gives ACEH");
    ok(has_token($res, 'Vary', 'Origin', 1), "$ctx: Vary: Origin");

    $res = GET $url, Origin => $re_origin;
    is(once($res, 'Access-Control-Allow-Origin'), $re_origin,
       "$ctx: CORSAllowOriginMatch allows $re_origin");

    $res = GET $url, Origin => "https://nope-$name.ctx.example";
    ok(no_ac_headers($res), "$ctx: another origin gets no Access-Control-*");

    $res = preflight($url, $origin, 'PUT',
                     'Access-Control-Request-Headers' => 'x-ctx',
                     'Access-Control-Request-Private-Network' => 'true');
    is($res->code, 200, "$ctx: CORSPreflightStatus 200");
    is(once($res, 'Access-Control-Allow-Origin'), $origin,
       "$ctx: preflight ACAO");
    ok(has_token($res, 'Access-Control-Allow-Methods', 'PUT'),
       "$ctx: CORSAllowMethods PUT in ACAM");
    ok(has_token($res, 'Access-Control-Allow-Headers', 'X-Ctx', 1),
       "$ctx: CORSAllowHeaders X-Ctx in ACAH");
    is(once($res, 'Access-Control-Max-Age'), $max_age,
       "$ctx: CORSMaxAge $max_age");
    is(once($res, 'Access-Control-Allow-Credentials'), 'true',
       "$ctx: preflight ACAC true");
    is(once($res, 'Access-Control-Allow-Private-Network'), 'true',
       "$ctx: CORSAllowPrivateNetwork On gives ACAPN true");

    $res = request('POST', $url, 'Sec-Fetch-Site' => 'cross-site',
                   Origin => "https://nope-$name.ctx.example");
    is($res->code, 403,
       "$ctx: CORSCrossOriginProtection On refuses a cross-site POST");

    $res = preflight($url, $origin, 'DELETE');
    ok($res->code == 403 && no_ac_headers($res),
       "$ctx: a method not listed is denied");

    $res = preflight($url, $origin, 'PUT',
                     'Access-Control-Request-Headers' => 'X-Other');
    ok($res->code == 403 && no_ac_headers($res),
       "$ctx: a header not listed is denied");
}

# One line per directive of the command table, each checked above.
my %line = (
    CORSAllowOrigin           => 'https://NAME.ctx.example',
    CORSAllowOriginMatch      => '^https://re-NAME\\.ctx\\.example$',
    CORSAllowMethods          => 'PUT',
    CORSAllowHeaders          => 'X-Ctx',
    CORSExposeHeaders         => 'X-Ctx-Exp',
    CORSAllowCredentials      => 'On',
    CORSMaxAge                => 'AGE',
    CORSAllowPrivateNetwork   => 'On',
    CORSPreflightStatus       => '200',
    CORSCrossOriginProtection => 'On',
    CORSStatus                => 'On',
    # Off: the directive is taken; On would hand every answer to a recipe
    CORSShadow                => 'Off',
    CORSAllowOriginFile       => FILE,
);
my %table = directives();
is_deeply([sort keys %line], [sort keys %table],
          'every directive of the command table is set in every context');
# .htaccess gets those of the table that an override allows (not
# CORSStatus, RSRC_CONF|ACCESS_CONF, nor CORSAllowOriginFile, read there
# only to be refused with a message of its own); the rest are refused
# there, below
my @not_htaccess = grep { $table{$_} !~ /OR_/ || $_ eq 'CORSAllowOriginFile' }
                   sort keys %line;
my %not = map { $_ => 1 } @not_htaccess;
my @htaccess = grep { !$not{$_} } sort keys %line;
is("@not_htaccess", 'CORSAllowOriginFile CORSStatus',
   'CORSAllowOriginFile and CORSStatus are the directives .htaccess may '
   . 'not hold');
my $directives = sub {
    my ($name, $max_age, @names) = @_;
    @names = sort keys %line unless @names;
    return join '', map { "$_ " . ($line{$_} =~ s/NAME/$name/r
                                             =~ s/AGE/$max_age/r) . "\n" }
                    @names;
};

# --- server config (a private httpd) ---------------------------------------

{
    my $srv = private_httpd(1, $directives->('srv', 555));
    check_context('server config',
                  "http://127.0.0.1:$srv->{ports}[0]/index.html", 'srv', 555);
    my $res = LWP::UserAgent->new->get(
        "http://127.0.0.1:$srv->{ports}[0]/index.html",
        Origin => 'https://file-srv.ctx.example');
    is(once($res, 'Access-Control-Allow-Origin'),
       'https://file-srv.ctx.example',
       'server config: CORSAllowOriginFile allows the origin it lists');
    stop_httpd($srv);
}

# --- virtual host ----------------------------------------------------------

Apache::TestRequest::module('cfg_vhost');
check_context('virtual host', '/cfg/ctx/vh/index.html', 'vh', 444);
Apache::TestRequest::module('default');

# --- <Directory>, <Location> -----------------------------------------------

check_context('<Directory>', '/cfg/ctx/dir/index.html', 'dir', 111);
check_context('<Location>', '/cfg/ctx/loc/index.html', 'loc', 222);

# --- .htaccess under AllowOverride FileInfo ----------------------------------

t_write_file(catfile($docroot, qw(cfg ctx ht .htaccess)),
             $directives->('ht', 333, @htaccess));
check_context('.htaccess', '/cfg/ctx/ht/index.html', 'ht', 333);

# ... and each directive it may not hold gives that directory a 500
for my $d (@not_htaccess) {
    t_write_file(catfile($docroot, qw(cfg ctx ht .htaccess)),
                 $directives->('ht', 333, @htaccess, $d));
    my $mark = log_mark();
    my $res = GET '/cfg/ctx/ht/index.html', Origin => 'https://ht.ctx.example';
    is($res->code, 500, ".htaccess: $d gives 500");
    like(log_since($mark, qr/\Q$d\E/),
         qr/\Q$d\E (?:not allowed here|cannot be used in \.htaccess)/,
         "... and the error log says $d is not allowed here");
}
t_write_file(catfile($docroot, qw(cfg ctx ht .htaccess)),
             $directives->('ht', 333, @htaccess));

# --- .htaccess under AllowOverride Indexes: refused ----------------------------

{
    my $htaccess = catfile($docroot, qw(cfg ctx noinfo .htaccess));

    # The file is read there: a directive Indexes allows works.
    t_write_file($htaccess, "DirectoryIndex index.html\n");
    my $res = GET '/cfg/ctx/noinfo/', Origin => 'https://noinfo.ctx.example';
    is($res->code, 200, 'AllowOverride Indexes: an Indexes directive is fine');

    t_write_file($htaccess, "CORSAllowOrigin https://noinfo.ctx.example\n");
    my $mark = log_mark();
    $res = GET '/cfg/ctx/noinfo/index.html',
        Origin => 'https://noinfo.ctx.example';
    is($res->code, 500, 'AllowOverride Indexes: CORSAllowOrigin gives 500');
    ok(no_ac_headers($res), '... with no Access-Control-* header');
    like(log_since($mark, qr/CORSAllowOrigin/), qr/CORSAllowOrigin/,
         '... and the error log names the directive');

    $res = preflight('/cfg/ctx/noinfo/index.html',
                     'https://noinfo.ctx.example', 'PUT');
    is($res->code, 500, 'AllowOverride Indexes: a preflight gets 500 too');
}

done_testing();
