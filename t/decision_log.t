# docs/mod_cors.html#logging: each CORS request logs exactly one line --
# at info when it is denied, at debug when it is allowed -- with the
# method, the URI, the Origin (escaped, at most 300 bytes), the note,
# every offending value, the directive that decided with its file and
# line, and what it allows.  A request without Origin logs none.  The
# file:line is checked for a <Directory>, a <Location>, a virtual host
# and an .htaccess file.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS POST);
use Apache::TestUtil qw(t_write_file);
use File::Spec::Functions qw(catfile);
use Time::HiRes qw(sleep);

use lib 't/lib';
use CorsTest qw(log_mark log_since conf_where);

my $url = '/cfg/dbg/index.html';
my $dir_origin = conf_where('config.conf',
                            qr{CORSAllowOrigin https://\*\.dbg\.example});
my $dir_methods = conf_where('config.conf', qr{^\s*CORSAllowMethods PUT$},
                             qr{cfg/dbg"});
my $loc_origin = conf_where('config.conf',
                            qr{CORSAllowOrigin https://loc\.dbg\.example});
my $vh_origin = conf_where('config.conf',
                           qr{CORSAllowOrigin https://vh\.ctx\.example});
my $protect_on = conf_where('note.conf', qr{CORSCrossOriginProtection On});
my $protect_report = conf_where('note.conf',
                                qr{CORSCrossOriginProtection ReportOnly});
my $acrm = 'Access-Control-Request-Method';

# [ label, request, origin, status, level, note, offending values, where
#   (the deciding directive and its file:line), extra headers, path ]
my @cases = (
    [ 'preflight allowed', \&OPTIONS, 'https://pf-ok.dbg.example', 204,
      'debug', 'preflight:allowed', [], "CORSAllowOrigin at $dir_origin",
      [ $acrm => 'PUT', 'Access-Control-Request-Headers' => 'x-dbg' ] ],
    [ 'preflight, origin not allowed', \&OPTIONS,
      'https://pf-origin.nope.example', 403, 'info',
      'preflight:denied:origin', [], "CORSAllowOrigin at $dir_origin",
      [ $acrm => 'PUT' ] ],
    [ 'preflight, malformed origin', \&OPTIONS,
      'https://pf-bad.dbg.example/', 403, 'info',
      'preflight:denied:malformed-origin', [],
      "CORSAllowOrigin at $dir_origin", [ $acrm => 'PUT' ] ],
    [ 'preflight, method not allowed', \&OPTIONS,
      'https://pf-method.dbg.example', 403, 'info',
      'preflight:denied:method', ['DELETE'],
      "CORSAllowMethods at $dir_methods", [ $acrm => 'DELETE' ] ],
    [ 'preflight, headers not allowed: every one is named', \&OPTIONS,
      'https://pf-header.dbg.example', 403, 'info',
      'preflight:denied:headers', ['X-Nope', 'X-Other'],
      'CORSAllowHeaders at ',
      [ $acrm => 'PUT',
        'Access-Control-Request-Headers' => 'X-Dbg, X-Nope,x-dbg, X-Other' ] ],
    # never refused for it (docs/mod_cors.html#private-network): the line
    # is at info and says why no ACAPN was sent
    [ 'preflight, private network not granted', \&OPTIONS,
      'https://pf-pna.dbg.example', 204, 'info', 'preflight:allowed',
      ['private network access not granted: CORSAllowPrivateNetwork is '
       . 'not On here'], "CORSAllowOrigin at $dir_origin",
      [ $acrm => 'PUT', 'Access-Control-Request-Private-Network' => 'true' ] ],
    [ 'actual allowed', \&GET, 'https://act-ok.dbg.example', 200, 'debug',
      'actual:allowed', [], "CORSAllowOrigin at $dir_origin", [] ],
    [ 'actual not allowed', \&GET, 'https://act-no.nope.example', 200,
      'info', 'actual:denied:origin', [], "CORSAllowOrigin at $dir_origin",
      [] ],
    [ 'actual POST allowed', \&POST, 'https://act-post.dbg.example', 200,
      'debug', 'actual:allowed', [], "CORSAllowOrigin at $dir_origin",
      [ content => 'x=1' ] ],
    [ 'actual to a directory (mod_dir) allowed', \&GET,
      'https://act-dir.dbg.example', 200, 'debug', 'actual:allowed', [],
      "CORSAllowOrigin at $dir_origin", [], '/cfg/dbg/' ],
    [ 'actual 404 allowed', \&GET, 'https://act-404.dbg.example', 404,
      'debug', 'actual:allowed', [], "CORSAllowOrigin at $dir_origin", [],
      '/cfg/dbg/missing.html' ],
    [ 'OPTIONS without ACRM (actual) allowed', \&OPTIONS,
      'https://act-opt.dbg.example', 200, 'debug', 'actual:allowed', [],
      "CORSAllowOrigin at $dir_origin", [] ],
    [ '<Location>: denied', \&GET, 'https://loc-no.nope.example', 404,
      'info', 'actual:denied:origin', [], "CORSAllowOrigin at $loc_origin",
      [], '/cfg/dbgloc/x' ],
    [ 'cross-origin protection refuses', \&POST,
      'https://prot-no.nope.example', 403, 'info', 'protect:refused',
      ['Sec-Fetch-Site'], "CORSCrossOriginProtection at $protect_on",
      [ 'Sec-Fetch-Site' => 'cross-site', content => 'x=1' ],
      '/note/protect/' ],
    [ 'cross-origin protection reports', \&POST,
      'https://prot-rep.nope.example', 404, 'info', 'protect:report',
      ['Origin'], "CORSCrossOriginProtection at $protect_report",
      [ content => 'x=1' ], '/note/report/' ],
);

# the lines the module wrote: everything tagged [cors:...] but warnings
sub cors_lines {
    return grep { /\[cors:(info|debug)\]/ } split /\n/, $_[0];
}

for my $case (@cases) {
    my ($label, $request, $origin, $status, $level, $note, $bad, $where,
        $extra, $path) = @$case;
    my $mark = log_mark();
    my $res = $request->($path // $url, Origin => $origin, @$extra);
    is($res->code, $status, "$label: status $status");

    my @lines = cors_lines(log_since($mark, $origin));
    is(scalar(@lines), 1, "$label: one line") or diag(join "\n", @lines);
    my $line = $lines[0] // '';
    like($line, qr/\[cors:\Q$level\E\]/, "$label: at $level");
    ok(index($line, qq{from "$origin"}) >= 0 && index($line, $note) >= 0,
       "$label: the Origin and the note $note") or diag($line);
    ok(index($line, "decided by $where") >= 0,
       "$label: decided by $where") or diag($line);
    for my $value (@$bad) {
        ok(index($line, $value) >= 0, "$label: names $value") or diag($line);
    }
}

# A virtual host: its own section's file:line.
{
    Apache::TestRequest::module('cfg_vhost');
    my $mark = log_mark();
    my $origin = 'https://vh-no.nope.example';
    GET('/index.html', Origin => $origin);
    my ($line) = cors_lines(log_since($mark, $origin));
    ok(defined $line && index($line, "decided by CORSAllowOrigin at "
                                     . "$vh_origin") >= 0,
       'virtual host: decided by its CORSAllowOrigin line')
        or diag($line // 'no line');
    Apache::TestRequest::module('default');
}

# An .htaccess file: its path and the line in it.
{
    my $docroot = Apache::Test::vars('documentroot');
    my $file = catfile($docroot, qw(cfg ctx ht .htaccess));
    t_write_file($file, "# a tenant's policy\nCORSAllowOrigin "
                        . "https://ht.dbg.example\n");
    my $mark = log_mark();
    my $origin = 'https://ht-no.nope.example';
    GET('/cfg/ctx/ht/index.html', Origin => $origin);
    my ($line) = cors_lines(log_since($mark, $origin));
    ok(defined $line
       && index($line, "decided by CORSAllowOrigin at $file:2") >= 0
       && index($line, 'allows "https://ht.dbg.example"') >= 0,
       '.htaccess: decided at its line 2, and what it allows')
        or diag($line // 'no line');
    unlink $file;
}

# A hostile Origin cannot forge log content: httpd escapes backslashes
# and control characters (a tab here), and the module cuts it at 300
# bytes.
{
    my $mark = log_mark();
    my $origin = "https://esc.nope.example\t" . ('\\x' x 200);
    GET($url, Origin => $origin);
    my ($line) = cors_lines(log_since($mark, 'esc.nope.example'));
    ok(defined $line && $line !~ /\t/ && index($line, '\\\\x\\\\x') >= 0
       && $line =~ /from "(https:\/\/esc\.nope\.example[^"]*)"/
       && length($1) <= 2 * 300,
       'hostile Origin: escaped and bounded') or diag($line // 'no line');
}

# Quoting (docs/mod_cors.html#logging): a ', ", \ or newline in an
# Origin or a URI can never end the value's quotes or start a line, in
# every line a request can make the module write.  Each value is in
# double quotes, holds no double quote (written \x22, which httpd's log
# shows as \\x22) and no raw newline.
{
    my $forge = q{x' "; decided by CORSAllowOrigin at /etc/x:1, which }
                . q{allows "*" \\};
    my $origin = "https://q.nope.example/$forge";
    my $uri_tail = '%0A%22%27%5C%20forged';
    # [ label, request, path, Origin, extra headers, the line's tag ]
    for my $c (
        [ 'actual, denied', \&GET, "/cfg/dbg/$uri_tail", $origin, [],
          'CORS004' ],
        [ 'preflight, denied', \&OPTIONS, "/cfg/dbg/$uri_tail", $origin,
          [ $acrm => 'PUT' ], 'CORS004' ],
        [ 'preflight httpd answered (Location too)', \&OPTIONS,
          "/note/moved/$uri_tail", $origin, [ $acrm => 'PUT' ], 'CORS004' ],
        [ 'an origin not trusted (the URI)', \&GET,
          "/cfg/quote/$uri_tail", 'https://evilquote.example', [],
          'CORS003' ],
    ) {
        my ($label, $request, $path, $o, $extra, $tag) = @$c;
        my $mark = log_mark();
        $request->($path, Origin => $o, @$extra);
        my @lines = grep { /\Q$tag\E/ } split /\n/,
                    log_since($mark, qr/\Q$tag\E/);
        my $line = $lines[0] // '';
        # what is left outside the quoted values: the module's own words
        (my $outside = $line) =~ s/"[^"]*"//g;
        ok(@lines == 1 && $line =~ /^\[/ && index($line, 'forged') >= 0
           && $outside !~ m{forged|/etc/x}
           && ($tag ne 'CORS004' || index($line, '\\\\x22') >= 0),
           "$label: one line, and what the visitor sent stays inside its "
           . 'quotes') or diag(join "\n", @lines);
    }
}

# Requests without Origin: not CORS, no line.
for my $c ([ 'GET', \&GET ], [ 'OPTIONS', \&OPTIONS ]) {
    my ($method, $request) = @$c;
    my $mark = log_mark();
    my $res = $request->($url, $acrm => 'PUT');
    is($res->code, 200, "$method without Origin answers");
    # wait for the access log entry, written after the response
    sleep 0.3;
    is(scalar(cors_lines(log_since($mark))), 0,
       "$method without Origin: no line");
}

done_testing();
