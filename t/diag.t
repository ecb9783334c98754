# Diagnostics (docs/mod_cors.html#diagnostics): the policy checker agrees
# with real requests (one table, two paths), ?metrics passes a strict
# parser of the Prometheus text format, input is bounded and escaped, the
# handler serves nothing where it is not mapped, mod_status shows the
# counters, the counters are exact over several child processes and
# start again after a graceful restart, and "httpd -t -D DUMP_CORS" lists
# every section with its file and line.  Configuration:
# t/conf/diag.conf.in.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS POST);
use Apache::TestUtil qw(t_write_file);
use File::Spec::Functions qw(catfile);
use IO::Socket::INET ();
use Time::HiRes qw(sleep);
use URI::Escape qw(uri_escape);

use lib 't/lib';
use CorsTest qw(ac_names file_lines private_httpd stop_httpd httpd_t
                scratch_dir conf_where note_for request log_mark
                log_since);

my $docroot = Apache::Test::vars('documentroot');
my $htaccess = catfile($docroot, qw(diaght .htaccess));
t_write_file($htaccess, "CORSAllowOrigin https://ht.diag.example\n"
                        . "CORSAllowMethods PATCH\n");

# --- the checker agrees with real requests -----------------------------------

# [ url, origin, method, request headers (ACRH), Sec-Fetch-Site ]
my @table = (
    [ '/diag/index.html', undef, 'GET' ],
    [ '/diag/index.html', 'https://app.diag.example', 'GET' ],
    [ '/diag/index.html', 'https://x.y.diag.example', 'POST' ],
    [ '/diag/index.html', 'https://evil.example', 'GET' ],
    [ '/diag/index.html', 'https://app.diag.example/', 'GET' ],
    [ '/diag/index.html', 'https://app.diag.example', 'PUT' ],
    [ '/diag/index.html', 'https://app.diag.example', 'PUT', 'X-Token' ],
    [ '/diag/index.html', 'https://app.diag.example', 'PATCH' ],
    [ '/diag/index.html', 'https://app.diag.example', 'GET',
      'X-Token, X-Other, x-third' ],
    [ '/diag/index.html', 'https://evil.example', 'DELETE' ],
    [ '/diag/missing.html', 'https://app.diag.example', 'GET' ],
    [ '/diag/star/index.html', 'https://anyone.example', 'GET' ],
    [ '/diag/star/index.html', 'https://anyone.example', 'PUT' ],
    [ '/diag/protect/index.html', 'https://evil.example', 'POST', undef,
      'cross-site' ],
    [ '/diag/protect/index.html', 'https://app.diag.example', 'POST', undef,
      'cross-site' ],
    [ '/diag/protect/index.html', undef, 'POST', undef, 'same-origin' ],
    [ '/diaght/index.html', 'https://ht.diag.example', 'PATCH' ],
    [ '/diaght/index.html', 'https://ht.diag.example', 'PUT', 'X-Dir' ],
    [ '/diaght/index.html', 'https://dir.diag.example', 'GET' ],
    [ '/note/', 'https://app.example', 'PUT', 'X-Allowed' ],
    [ '/note/off/', 'https://app.example', 'GET' ],
    [ '/elsewhere/', 'https://app.example', 'GET' ],
    # httpd's own Redirect answers before the module
    # (docs/mod_cors.html#limits)
    [ '/note/moved/x', 'https://app.example', 'PUT' ],
    [ '/note/moved/x', 'https://app.example', 'GET' ],
);



# what a real request got: the Access-Control-* lines, sorted
sub ac_lines {
    my ($res) = @_;
    return join "\n", sort map {
        my $name = $_;
        map { "$name: $_" } $res->header($name);
    } grep { /^access-control-/i } $res->headers->header_field_names;
}

my $n = 0;
for my $c (@table) {
    my ($url, $origin, $method, $acrh, $site) = @$c;
    my $preflight = defined $origin
        && (defined $acrh || $method !~ /^(GET|HEAD|POST)$/);
    my $id = "diag-$$-" . ++$n;
    my @h = ('X-Test-Id' => $id);
    push @h, Origin => $origin if defined $origin;
    push @h, 'Sec-Fetch-Site' => $site if defined $site;
    if ($preflight) {
        push @h, 'Access-Control-Request-Method' => $method;
        push @h, 'Access-Control-Request-Headers' => $acrh if defined $acrh;
    }
    my $real = request($preflight ? 'OPTIONS' : $method, $url, @h);
    my $note = note_for($id);

    my $q = '/cors-status?check&auto&url=' . uri_escape($url)
        . '&method=' . uri_escape($method);
    $q .= '&origin=' . uri_escape($origin) if defined $origin;
    $q .= '&headers=' . uri_escape($acrh) if defined $acrh;
    $q .= '&site=' . uri_escape($site) if defined $site;
    my $check = GET($q);
    my %line;
    my @ac;
    for (split /\n/, $check->content) {
        my ($k, $v) = /^([^:]+): (.*)$/ or next;
        if ($k =~ /^access-control-/i) {
            push @ac, "$k: $v";
        }
        else {
            push @{ $line{$k} }, $v;
        }
    }
    my $label = join ' ', $url, $origin // '(no Origin)', $method,
                          $acrh // '', $site // '';
    is($check->code, 200, "$label: the checker answers");
    is(join("\n", sort @ac), ac_lines($real),
       "$label: the same Access-Control-* headers as the real request");
    is(($line{Reason} // ['-'])->[0], $note,
       "$label: Reason is the real request's note");
    my $verdict = ($line{Verdict} // [''])->[0];
    my $want = $note eq '-' || $note eq 'none' ? 'not-cors'
             : $note eq 'protect:refused' ? 'refused'
             : $note =~ /denied/ ? 'denied' : 'allowed';
    is($verdict, $want, "$label: Verdict $want");
    my %real_vary = map { lc($_) => 1 } map { s/^\s+|\s+$//gr }
                    map { split /,/ } $real->header('Vary');
    my @missing = grep { !$real_vary{lc $_} } map { s/^\s+|\s+$//gr }
                  map { split /,/ } @{ $line{Vary} // [] };
    is("@missing", '', "$label: the real Vary has every token the checker "
                       . 'names');
    # nothing else here adds to Vary: the checker's line is the real one
    is(($line{Vary} // [undef])->[0], scalar $real->header('Vary'),
       "$label: the checker's Vary line is the real one, byte for byte");
}

# Set-By: the values that decided, each with its file and line, .htaccess
# included, and none that took no part.
# [ url, origin, method, ACRH, the directives listed ]
my @set_by = (
    [ '/diaght/index.html', 'https://ht.diag.example', 'PATCH', 'X-Dir',
      [ 'CORSAllowOrigin', 'CORSAllowMethods', 'CORSAllowHeaders',
        'CORSAllowCredentials' ] ],
    # an actual request: no methods, headers or Max-Age
    [ '/diag/index.html', 'https://app.diag.example', 'GET', undef,
      [ 'CORSAllowOrigin', 'CORSExposeHeaders', 'CORSAllowCredentials' ] ],
    # a preflight: no CORSExposeHeaders
    [ '/diag/index.html', 'https://app.diag.example', 'PUT', 'X-Token',
      [ 'CORSAllowOrigin', 'CORSAllowMethods', 'CORSAllowHeaders',
        'CORSAllowCredentials', 'CORSMaxAge' ] ],
    # a denial: the directive that refused
    [ '/diag/index.html', 'https://app.diag.example', 'PATCH', undef,
      [ 'CORSAllowMethods' ] ],
    [ '/diag/index.html', 'https://evil.example', 'GET', undef,
      [ 'CORSAllowOrigin' ] ],
);
for my $c (@set_by) {
    my ($url, $origin, $method, $acrh, $want) = @$c;
    my $q = "/cors-status?check&auto&url=$url&origin=$origin&method=$method";
    $q .= "&headers=$acrh" if defined $acrh;
    my $text = GET($q)->content;
    my @got = $text =~ /^Set-By: (\S+) /mg;
    is("@got", "@$want", "Set-By for $method $url from $origin: @$want")
        or diag($text);
}
{
    my $text = GET('/cors-status?check&auto&url=/diaght/index.html'
                   . '&origin=https://ht.diag.example&method=PATCH'
                   . '&headers=X-Dir')->content;
    ok(index($text, "Set-By: CORSAllowOrigin $htaccess:1\n") >= 0
       && index($text, "Set-By: CORSAllowMethods $htaccess:2\n") >= 0
       && index($text, 'Set-By: CORSAllowHeaders '
                       . conf_where('diag.conf', qr/CORSAllowHeaders X-Dir/))
          >= 0
       && index($text, 'Set-By: CORSAllowCredentials '
                       . conf_where('diag.conf', qr/CORSAllowCredentials On/,
                                    qr/diaght/)) >= 0,
       'Set-By: the .htaccess lines and the inherited <Directory> lines')
        or diag($text);
}

# &credentials=include: would a fetch in that mode succeed?  It needs
# Access-Control-Allow-Credentials: true and an ACAO that is not "*".
# [ url, origin, method, Verdict, how the Credentials line begins ]
my $refuses = 'Credentials: include: the browser refuses it: the answer';
my @credentials = (
    [ '/diag/index.html', 'https://app.diag.example', 'GET', 'allowed',
      "Credentials: include: the browser accepts the answer.\n" ],
    [ '/diag/index.html', 'https://app.diag.example', 'PUT', 'allowed',
      "Credentials: include: the browser accepts the answer.\n" ],
    [ '/diag/star/index.html', 'https://anyone.example', 'GET', 'denied',
      "${refuses}'s Access-Control-Allow-Origin is *, which never goes with "
      . "credentials.\n" ],
    [ '/diag/nocred/index.html', 'https://app.diag.example', 'GET', 'denied',
      "$refuses has no Access-Control-Allow-Credentials: true "
      . "(CORSAllowCredentials is not On for this URL).\n" ],
    [ '/diag/nocred/index.html', 'https://app.diag.example', 'PUT', 'denied',
      "$refuses has no Access-Control-Allow-Credentials: true " ],
    [ '/diag/index.html', 'https://evil.example', 'GET', 'denied',
      'Credentials: include: ' ],
);
for my $c (@credentials) {
    my ($url, $origin, $method, $verdict, $line) = @$c;
    my $text = GET("/cors-status?check&auto&url=$url&origin=$origin"
                   . "&method=$method&credentials=include")->content;
    ok($text =~ /^Verdict: \Q$verdict\E$/m && $text =~ /^\Q$line\E/m,
       "credentials=include, $method $url from $origin: $verdict")
        or diag($text);
    # without the parameter, no Credentials line and the server's verdict
    $text = GET("/cors-status?check&auto&url=$url&origin=$origin"
                . "&method=$method")->content;
    ok($text !~ /^Credentials:/m, "... and no Credentials line without it")
        or diag($text);
}

# --- ?metrics: a strict parser of the text exposition format ----------------

{
    my $res = GET('/cors-status?metrics');
    my $text = $res->content;
    my (%type, %seen, @errors);
    my $name_re = qr/[a-zA-Z_:][a-zA-Z0-9_:]*/;
    my $label_re = qr/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"/;
    for my $line (split /\n/, $text, -1) {
        next if $line eq '' && \$line;
        if ($line =~ /^# HELP ($name_re) \S/) {
            next;
        }
        if ($line =~ /^# TYPE ($name_re) (counter|gauge|untyped)$/) {
            push @errors, "TYPE twice: $1" if $type{$1}++;
            next;
        }
        if ($line =~ /^($name_re)\{($label_re(?:,$label_re)*)\} (\d+)$/) {
            push @errors, "sample before its TYPE: $line" unless $type{$1};
            push @errors, "duplicate sample: $line" if $seen{"$1\{$2\}"}++;
            next;
        }
        push @errors, "not in the format: '$line'";
    }
    like($res->header('Content-Type'), qr{^text/plain; version=0\.0\.4},
         '?metrics: the exposition format\'s content type');
    is("@errors", '', '?metrics: every line parses');
    like($text, qr/\n\z/, '?metrics: ends with a newline');
    for my $note (qw(none preflight:allowed preflight:denied:origin
                     preflight:denied:malformed-origin preflight:denied:method
                     preflight:denied:headers
                     actual:allowed actual:any actual:denied:origin
                     actual:denied:malformed-origin protect:refused
                     protect:report)) {
        ok($seen{qq{mod_cors_requests_total{note="$note"}}},
           "?metrics: mod_cors_requests_total{note=\"$note\"}");
    }
    my $sec = conf_where('diag.conf', qr/CORSAllowOrigin https:\/\/app\.diag/);
    $sec =~ s/:(\d+)$/':' . ($1 - 1)/e;       # the <Location> line
    ok($seen{qq{mod_cors_section_denied_total{section="$sec"}}},
       "?metrics: a denial counter for the section at $sec") or diag($text);
}

# --- bounded, escaped input ----------------------------------------------------

{
    my $res = GET('/cors-status?check&url=/diag/&origin='
                  . uri_escape('<script>alert(1)</script>')
                  . '&headers=' . uri_escape('"><img src=x>'));
    ok($res->code == 200 && $res->content !~ /<script>alert|<img src/,
       'HTML checker: hostile input is escaped');
    ok(index($res->content, '&lt;script&gt;') >= 0,
       '... and shown escaped');
    $res = GET('/cors-status?check&url=/diag/echo/&origin='
               . 'https://app.diag.example&method=PUT&headers='
               . uri_escape("x-a&b,x-'c"));
    ok(index($res->content, "Access-Control-Allow-Headers: x-a&amp;b,"
                            . "x-'c\n") >= 0
       && index($res->content, 'x-a&b') < 0,
       'HTML checker: an echoed header value is escaped') or diag($res->content);
    $res = GET('/cors-status?check&url=/diag/index.html&origin='
               . 'https://app.diag.example&method=PUT&headers=X-Token,X-No');
    my $at = conf_where('diag.conf', qr/CORSAllowHeaders X-Token/);
    ok(index($res->content, "Decided by CORSAllowHeaders at $at, which "
                            . 'allows <code>X-Token,Content-Type</code>') >= 0,
       'HTML checker: the deciding directive, its line, what it allows')
        or diag($res->content);
    $res = GET('/cors-status?check&auto&url=/diag/&origin='
               . ('a' x 5000));
    is($res->code, 400, 'a parameter over the bound: 400, nothing evaluated');
    $res = GET('/cors-status?check&url=/diag/&origin=' . ('a' x 100_000));
    ok($res->code >= 400 && $res->code < 500
       && $res->content !~ /a{100}/,
       'a 100 kB parameter: refused, not reflected (' . $res->code . ')');
    $res = POST('/cors-status', content => 'x=1');
    is($res->code, 405, 'POST to the handler: 405');
}

# --- nothing where it is not mapped ------------------------------------------

for my $q ('/diag/index.html?auto', '/diag/index.html?metrics',
           '/diag/index.html?check&auto&url=/diag/') {
    my $res = GET($q);
    ok($res->code == 200 && $res->content eq "diag\n",
       "$q: the file, not the handler");
}

# A tenant's "SetHandler cors-status" in .htaccess serves nothing: only
# where CORSStatus On applies (not settable in .htaccess) does the handler
# answer; elsewhere a 404, and a warning once per child.
{
    t_write_file($htaccess, "SetHandler cors-status\n");
    my $mark = log_mark();
    for my $q ('/diaght/?auto', '/diaght/?metrics',
               '/diaght/?check&auto&url=/diag/&origin=https://app.diag.example',
               '/diaght/') {
        my $res = GET($q);
        ok($res->code == 404 && $res->content !~ /CORS|diag\.conf|Verdict/,
           "a tenant's SetHandler cors-status: $q is a 404 that shows nothing")
            or diag($res->as_string);
    }
    my @warn = grep { /CORS006/ } split /\n/, log_since($mark, qr/CORS006/);
    ok(@warn >= 1 && @warn <= 2 && index($warn[0], 'CORSStatus On does not '
                                         . 'apply to this URL') >= 0,
       '... logged once per child: CORSStatus On does not apply there')
        or diag(@warn);
    t_write_file($htaccess, "SetHandler cors-status\nCORSStatus On\n");
    is(GET('/diaght/?auto')->code, 500,
       'CORSStatus On in .htaccess is refused (500)');
    t_write_file($htaccess, "CORSAllowOrigin https://ht.diag.example\n"
                            . "CORSAllowMethods PATCH\n");
}

# --- mod_status ----------------------------------------------------------------

{
    my $auto = GET('/server-status?auto')->content;
    like($auto, qr/^CORSRequests\[actual:allowed\]: \d+$/m,
         '/server-status?auto: the CORS counters');
    like(GET('/server-status')->content, qr{<h2>CORS</h2>},
         '/server-status: a CORS section');
}

unlink $htaccess;

# --- exact counters over several children, reset by a graceful restart -----

{
    my $srv = private_httpd(1, <<'EOF', children => 1);
ServerLimit 4
StartServers 3
ThreadsPerChild 4
MinSpareThreads 4
MaxSpareThreads 16
MaxRequestWorkers 16
MaxConnectionsPerChild 9
<Location "/api/">
    CORSAllowOrigin https://ok.example
    CORSAllowMethods PUT
</Location>
<Location "/cors-status">
    SetHandler cors-status
    CORSStatus On
</Location>
EOF
    my $port = $srv->{ports}[0];
    my $req = sub {
        my ($method, @lines) = @_;
        my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port")
            or return '';
        print $s join("\r\n", "$method /api/ HTTP/1.1", 'Host: 127.0.0.1',
                      'Connection: close', @lines, '', '');
        local $/;
        return <$s> // '';
    };
    my $counts = sub {
        my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port")
            or return {};
        print $s "GET /cors-status?auto HTTP/1.0\r\n\r\n";
        local $/;
        my $text = <$s> // '';
        return { $text =~ /^CORS\w+\[([^\]]+)\]: (\d+)\r?$/mg };
    };
    my @mix = (
        (['GET', 'Origin: https://ok.example']) x 5,
        (['GET', 'Origin: https://no.example']) x 3,
        (['OPTIONS', 'Origin: https://ok.example',
          'Access-Control-Request-Method: PUT']) x 2,
        (['OPTIONS', 'Origin: https://ok.example',
          'Access-Control-Request-Method: PATCH']) x 2,
        (['GET']) x 3,
    );
    my @kids;
    for (1 .. 4) {
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            $req->(@$_) for @mix;
            POSIX::_exit(0);
        }
        push @kids, $pid;
    }
    waitpid $_, 0 for @kids;
    my $c = $counts->();
    my %want = ('actual:allowed' => 20, 'actual:denied:origin' => 12,
                'preflight:allowed' => 8, 'preflight:denied:method' => 8,
                'none' => 12, 'preflight:denied:origin' => 0);
    for my $k (sort keys %want) {
        is($c->{$k}, $want{$k}, "4 clients x 15 requests, 60 connections "
           . "over recycled children: $k = $want{$k}");
    }
    my ($sec) = grep { /:\d+$/ && $_ ne '.htaccess' } keys %$c;
    is($c->{$sec // ''}, 20, 'the section\'s denials: 20');

    kill 'USR1', $srv->{pid};       # graceful restart
    my $zero;
    for (1 .. 50) {
        sleep 0.2;
        $c = $counts->();
        $zero = defined $c->{'actual:allowed'} && !$c->{'actual:allowed'};
        last if $zero;
    }
    ok($zero, 'a graceful restart starts the counters again');
    $req->('GET', 'Origin: https://ok.example') for 1 .. 3;
    is($counts->()->{'actual:allowed'}, 3, '... and they count from there');
    stop_httpd($srv);
}

# --- apachectl -t -D DUMP_CORS ---------------------------------------------

{
    my $dir = scratch_dir();
    my $inc = catfile($dir, 'cors-include.conf');
    open my $fh, '>', $inc or die $!;
    print $fh "<Location \"/inc\">\n    CORSAllowMethods PUT\n</Location>\n";
    close $fh;
    my $body = <<"EOF";
CORSAllowOrigin https://main.example
Include "$inc"
<VirtualHost 127.0.0.1:8001>
    CORSAllowOrigin https://vh1.example
    <Location "/v1">
        CORSMaxAge 10
    </Location>
</VirtualHost>
<VirtualHost 127.0.0.1:8002>
    <Directory "$dir/d">
        <Files "a.txt">
            CORSAllowOrigin null
        </Files>
        <IfModule cors_module>
            CORSAllowHeaders X-In-IfModule
        </IfModule>
    </Directory>
    <If "%{HTTP_HOST} == 'x.example'">
        CORSCrossOriginProtection On
    </If>
</VirtualHost>
<Location "/nothing">
    Require all granted
</Location>
EOF
    my ($rc, $out, $conf) = httpd_t($body, '-D', 'DUMP_CORS');
    is($rc, 0, 'DUMP_CORS: exit status 0, as -t') or diag($out);
    my @conf = file_lines($conf);
    my $at = sub {
        my ($re) = @_;
        my ($i) = grep { $conf[$_] =~ $re } 0 .. $#conf;
        return "$conf:" . ($i + 1);
    };
    my %line = (vh1 => $at->(qr{8001}), v1 => $at->(qr{"/v1"}),
                files => $at->(qr{a\.txt}), dir => $at->(qr{<Directory}),
                if => $at->(qr{<If }));
    for my $c ([ 'main server', qr{^main server  \Q$conf\E$}m ],
               [ 'the Include file\'s <Location>',
                 qr{^<Location "/inc">  \Q$inc\E:1$}m ],
               [ 'the first vhost',
                 qr{^<VirtualHost 127\.0\.0\.1:8001>  \Q$line{vh1}\E$}m ],
               [ 'a <Location> inside it',
                 qr{^<Location "/v1">  \Q$line{v1}\E$}m ],
               [ '<Files> inside <Directory>',
                 qr{^<Files "a\.txt">  \Q$line{files}\E$}m ],
               [ '<Directory> (through <IfModule>)',
                 qr{^<Directory "[^"]+">  \Q$line{dir}\E$}m ],
               [ '<If>', qr{^<If "[^\n]*">  \Q$line{if}\E$}m ]) {
        my ($label, $re) = @$c;
        like($out, $re, "DUMP_CORS lists $label with its file:line");
    }
    for my $v ('CORSAllowOrigin https://main.example',
               'CORSAllowMethods PUT', 'CORSMaxAge 10',
               'CORSAllowOrigin null', 'CORSAllowHeaders X-In-IfModule',
               'CORSCrossOriginProtection On') {
        like($out, qr/^    \Q$v\E  \(line \d+\)$/m, "DUMP_CORS shows $v");
    }
    like($out, qr/^    CORSAllowOrigin null  \(line \d+\)\n      warning: .*null/m,
         'DUMP_CORS shows the warning under the line it applies to');
    unlike($out, qr{"/nothing"}, 'a section without CORS directives is not '
                                 . 'listed');
    ($rc, $out) = httpd_t("CORSMaxAge 99999\n", '-D', 'DUMP_CORS');
    isnt($rc, 0, 'DUMP_CORS on a bad configuration: non-zero, as -t');

    # each regex with its domain set (docs/mod_cors.html#trust), the regex
    # as its author wrote it
    ($rc, $out) = httpd_t("<Location /re>\n"
        . "    CORSAllowOriginMatch \"^https://.*myapp\\.(com|net)\$\"\n"
        . "    CORSAllowOriginMatch ^https://[a-z]+\\.github\\.io\$\n"
        . "</Location>\n", '-D', 'DUMP_CORS');
    like($out, qr/^\ {4}CORSAllowOriginMatch\ "\^https:\/\/\.\*myapp\\\.\(com\|net\)\$"
                  \ \ \(line\ \d+\)\n\ {6}domain\ set:\ myapp\.com,myapp\.net$/mx,
         'DUMP_CORS shows a regex as written, and its domain set');
    like($out, qr/github\\\.io\$  \(line \d+\)\n {6}domain set: \(empty\)$/m,
         '... and an empty domain set as such');
}

# The checker shows each regex's domain set.
{
    my $text = GET('/cors-status?check&auto&url=/cfg/merge/re/index.html'
                   . '&origin=https://re1.merge.example')->content;
    ok(index($text, 'Domain-Set: "^https://re[0-9]\.merge\.example$" '
                    . "merge.example\n") >= 0,
       'the checker: Domain-Set, the regex as written and its domains')
        or diag($text);
}

# The manual's DUMP_CORS sample is what DUMP_CORS prints for the section it
# shows (its file and line numbers aside).
{
    my $top = Apache::Test::vars('top_dir');
    open my $fh, '<', "$top/docs/mod_cors.html" or die $!;
    my $html = do { local $/; <$fh> };
    my ($sample) = $html =~ m{DUMP_CORS</code></h3>.*?<pre class="output">(.*?)</pre>}s;
    $sample //= '';
    $sample =~ s/&lt;/</g;
    $sample =~ s/&gt;/>/g;
    $sample =~ s/&amp;/&/g;
    my ($section) = $sample =~ /^(<Location .*?>)  /m;
    my @values = $sample =~ /^    (CORS\S+ .*?)  \(line \d+\)$/mg;
    my ($rc, $out) = httpd_t(join("\n", $section // '<Location "/x">',
                                  map({ "    $_" } @values),
                                  '</Location>', ''), '-D', 'DUMP_CORS');
    my $norm = sub {
        my ($text) = @_;
        $text =~ s{ /\S+:\d+$}{ FILE:LINE}mg;
        $text =~ s{\(line \d+\)}{(line N)}g;
        return join "\n", grep { !/^\[|^Syntax OK/ } split /\n/, $text;
    };
    is($norm->($out), $norm->($sample),
       'docs/mod_cors.html#diagnostics: the DUMP_CORS sample is real output')
        or diag($out);
}

done_testing();
