# Hostile input against a realistic policy (t/conf/hostile.conf.in: exact
# origins, a "*." pattern, port "*", IPv4 and IPv6 origins, two
# CORSAllowOriginMatch regexes, credentials, method and header lists).
# Every request is sent as raw bytes over a socket, so the server sees
# exactly what is written here.  Each response proves: no 5xx; an
# Access-Control-Allow-Origin header only when the manual allows the origin,
# and then exactly once, byte for byte the request's Origin value, with
# Access-Control-Allow-Credentials; otherwise no Access-Control-* header at
# all.  Where httpd itself refuses a request (control bytes, oversized
# fields) its own 400 is accepted, never a 5xx or a reflection.  At the end
# the server still answers and no child died.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use HTTP::Response;
use IO::Select;
use IO::Socket::INET;

$SIG{PIPE} = 'IGNORE';

my $port = Apache::Test::vars('port');
my $path = '/hostile/data.json';
my $errlog = Apache::Test::vars('t_logs') . '/error_log';
my $errlog_start = -s $errlog // 0;

my $ok = 'https://example.com';            # an allowed exact origin
my $acrm = 'Access-Control-Request-Method';
my $acrh = 'Access-Control-Request-Headers';

# [Origin value, allowed by the policy per docs/mod_cors.html#requests]
my @origins = (
    # exact origins; scheme and host are case-insensitive, ACAO echoes
    [$ok, 1],
    ['HTTPS://EXAMPLE.COM', 1],
    ['https://ExAmPlE.cOm', 1],
    ['https://app.example.com:8443', 1],
    # prefix, suffix and infix bypasses of the exact origin
    ['https://example.com.evil.net', 0],
    ['https://evilexample.com', 0],
    ['https://example.com%60.evil.net', 0],
    ['https://notexample.com', 0],
    ['https://example.com.', 0],
    ['https://example.comevil.net', 0],
    ['https://evil.example.com', 0],
    ['https://example.co', 0],
    ['https://example.com-evil.net', 0],
    ['https://example.com_.evil.net', 0],
    # port confusion
    ['https://example.com:8443', 0],
    ['https://example.com:443', 0],        # browsers never send the default
    ['https://example.com:', 0],
    ['https://example.com:0', 0],
    ['https://example.com:65536', 0],
    ['https://example.com:99999999999999999999', 0],
    ['https://app.example.com', 0],
    ['https://app.example.com:08443', 0],
    ['https://app.example.com:+8443', 0],
    ['https://app.example.com:8443:8443', 0],
    ['https://app.example.com:8443 ', 1],   # trailing OWS is not the value
    # scheme confusion
    ['http://example.com', 0],
    ['http://app.example.com:8443', 0],
    ['wss://example.com', 0],
    ['https+x://example.com', 0],
    ['https:example.com', 0],
    ['https:/example.com', 0],
    ['https:///example.com', 0],
    ['//example.com', 0],
    ['example.com', 0],
    ['https://', 0],
    ['https://https://example.com', 0],
    ['1https://example.com', 0],
    # paths, queries, fragments, userinfo, backslashes
    ['https://example.com/', 0],
    ['https://example.com/path', 0],
    ['https://example.com?x', 0],
    ['https://example.com#x', 0],
    ['https://user@example.com', 0],
    ['https://user:pass@example.com', 0],
    ['https://example.com@evil.net', 0],
    ['https://evil.net#@example.com', 0],
    ['https://example.com\\.evil.net', 0],
    ['https://evil.net\\@example.com', 0],
    # percent-encoding and odd characters
    ['https://%65xample.com', 0],
    ['https://example%2ecom', 0],
    ['https://example.com%2f', 0],
    ['https://example`.com', 0],
    ['https://exa{mple}.com', 0],
    ['https://example.com}', 0],
    ['https://example.com;', 0],
    ['https://example.com"', 0],
    ["https://example.com'", 0],
    ['https://example.com$', 0],
    ['https://ex ample.com', 0],
    ["https://ex\xc3\xa4mple.com", 0],      # raw UTF-8
    ["https://example.com\xff", 0],
    ['https://xn--exmple-cua.com', 0],     # punycode, but not listed
    # the "*." pattern https://*.example.org
    ['https://a.example.org', 1],
    ['https://a.b.c.example.org', 1],
    ['https://A.EXAMPLE.ORG', 1],
    ['https://x_y.example.org', 1],
    ['https://x-y.example.org', 1],
    ['https://' . ('a' x 63) . '.example.org', 1],
    ['https://' . ('a' x 64) . '.example.org', 0],
    ['https://aa.' . ('a.' x 139) . 'example.org', 1],   # 300 bytes
    ['https://aaa.' . ('a.' x 139) . 'example.org', 0],  # 301 bytes
    ['https://example.org', 0],
    ['https://.example.org', 0],
    ['https://a..example.org', 0],
    ['https://*.example.org', 0],
    ['https://evilexample.org', 0],
    ['https://a-example.org', 0],
    ['https://example.org.evil.net', 0],
    ['https://a.example.org.evil.net', 0],
    ['https://a.example.org.', 0],
    ['https://a.example.org%2eevil.net', 0],
    ['http://a.example.org', 0],
    ['https://a.example.org:8443', 0],
    ['https://a.example.org:443', 0],
    ['https://{a}.example.org', 0],
    ['https://a.example.org}', 0],
    # port "*": http://localhost:*
    ['http://localhost', 1],
    ['http://localhost:3000', 1],
    ['http://localhost:65535', 1],
    ['http://LOCALHOST:1', 1],
    ['http://localhost:0', 0],
    ['http://localhost:80', 0],
    ['http://localhost:65536', 0],
    ['http://localhost.:3000', 0],
    ['http://localhost.evil.net:3000', 0],
    ['http://evil-localhost:3000', 0],
    ['http://a.localhost:3000', 0],
    ['https://localhost:3000', 0],
    ['http://localhost:3000/', 0],
    ['http://localhost:*', 0],
    # IPv4 http://127.0.0.1:3000
    ['http://127.0.0.1:3000', 1],
    ['http://127.0.0.1', 0],
    ['http://127.0.0.1:3001', 0],
    ['http://127.0.0.01:3000', 0],
    ['http://127.1:3000', 0],
    ['http://2130706433:3000', 0],
    ['http://0x7f.0.0.1:3000', 0],
    ['http://127.0.0.1.:3000', 0],
    ['http://127.0.0.1.evil.net:3000', 0],
    ['http://127.0.0.256:3000', 0],
    # IPv6 https://[::1]:8443
    ['https://[::1]:8443', 1],
    ['https://[::1]', 0],
    ['https://[::1]:443', 0],
    ['https://::1:8443', 0],
    ['https://[::1%25lo]:8443', 0],
    ['https://[0:0:0:0:0:0:0:1]:8443', 0],  # not how browsers write ::1
    ['https://[::ffff:127.0.0.1]:8443', 0],
    ['https://[::1]]:8443', 0],
    ['https://[[::1]]:8443', 0],
    ['https://[:::1]:8443', 0],
    ['https://[::1].example.org', 0],
    ['https://[::1', 0],
    # CORSAllowOriginMatch https://[a-z0-9-]+\.partner\.example\.net
    ['https://a.partner.example.net', 1],
    ['https://A-1.PARTNER.EXAMPLE.NET', 1],
    ['https://a.partner.example.net.evil.com', 0],
    ['https://evil.com/a.partner.example.net', 0],
    ['https://a.b.partner.example.net', 0],
    ['https://a_b.partner.example.net', 0],
    ['http://a.partner.example.net', 0],
    ['https://a.partner.example.net:8443', 0],
    ['xhttps://a.partner.example.net', 0],
    # CORSAllowOriginMatch https://.*\.regex\.example (loose on purpose:
    # the syntax check must stop what ".*" would accept)
    ['https://x.regex.example', 1],
    ['https://a.b.regex.example', 1],
    ['HTTPS://X.REGEX.EXAMPLE', 1],
    ['https://evil.com?.regex.example', 0],
    ['https://evil.com/.regex.example', 0],
    ['https://evil.com#.regex.example', 0],
    ['https://u@x.regex.example', 0],
    ['https://evil.com:8443.regex.example', 0],
    ['https://evil.com%2f.regex.example', 0],
    ['https://evil.com .regex.example', 0],
    ['https://x.regex.example:8443', 0],
    ['https://x.regex.example.', 0],
    ['https://x.regex.example/', 0],
    ['https://x.regex.example, https://evil.com', 0],
    ['https://evil.com https://x.regex.example', 0],
    ['https://evil.com, https://x.regex.example', 0],
    # null, lists, wildcards as values, empty
    ['null', 0],
    ['NULL', 0],
    ['Null', 0],
    ['null, https://example.com', 0],
    ["$ok null", 0],
    ["$ok, $ok", 0],
    ["$ok,https://evil.net", 0],
    ["$ok $ok", 0],
    ['*', 0],
    ['https://*', 0],
    ['', 0],
    # 8 KB values (below LimitRequestFieldSize)
    ['https://' . ('a' x 8000) . '.example.org', 0],
    ['https://' . ('a.' x 4000) . 'example.org', 0],
    ["$ok/" . ('a' x 8000), 0],
);

# [name, header lines, allowed ACAO (undef: denied), httpd may answer 400]
# Raw bytes in the Origin line, odd header names, repeated lines.
my @raw = (
    ['NUL inside', ["Origin: $ok\0.evil.net"], undef, 1],
    ['NUL first', ["Origin: \0$ok"], undef, 1],
    ['SOH', ["Origin: $ok\x01"], undef, 1],
    ['ESC sequence', ["Origin: \x1b[31m$ok"], undef, 1],
    ['DEL', ["Origin: $ok\x7f"], undef, 1],
    ['backspace', ["Origin: https://exa\x08mple.com"], undef, 1],
    ['vertical tab', ["Origin: $ok\x0b.evil.net"], undef, 1],
    ['bare CR', ["Origin: $ok\r.evil.net"], undef, 1],
    ['bare LF', ["Origin: $ok\n.evil.net"], undef, 1],
    ['LF splits into two Origin lines',
     ["Origin: https://evil.net\nOrigin: $ok"], undef, 1],
    ['CRLF splits into two Origin lines',
     ["Origin: https://evil.net\r\nOrigin: $ok"], undef, 0],
    ['CRLF injects a request ACAO',
     ["Origin: https://evil.net\r\nAccess-Control-Allow-Origin: "
      . "https://evil.net"], undef, 0],
    ['obs-fold continuation', ["Origin: $ok\r\n .evil.net"], undef, 1],
    ['obs-fold inside the host', ["Origin: https://exa\r\n\tmple.com"],
     undef, 1],
    ['tab inside', ["Origin: $ok\t.evil.net"], undef, 0],
    ['leading and trailing spaces (OWS)', ["Origin:    $ok    "], $ok, 0],
    ['leading and trailing tabs (OWS)', ["Origin:\t$ok\t"], $ok, 0],
    ['no space after the colon', ["Origin:$ok"], $ok, 0],
    ['lower-case header name', ["origin: $ok"], $ok, 0],
    ['upper-case header name', ["ORIGIN: $ok"], $ok, 0],
    ['space before the colon', ["Origin : $ok"], undef, 1],
    ['tab before the colon', ["Origin\t: $ok"], undef, 1],
    ['empty Origin line', ["Origin:"], undef, 0],
    ['whitespace-only Origin', ["Origin: \t \t"], undef, 0],
    ['two identical Origin lines', ["Origin: $ok", "Origin: $ok"], undef, 0],
    ['evil, then allowed Origin line',
     ["Origin: https://evil.net", "Origin: $ok"], undef, 0],
    ['allowed, then evil Origin line',
     ["Origin: $ok", "Origin: https://evil.net"], undef, 0],
    ['empty, then allowed Origin line', ["Origin:", "Origin: $ok"], undef, 0],
    ['50 Origin lines', [("Origin: $ok") x 50], undef, 0],
);

# Preflights from an allowed origin: [Access-Control-Request-Method
# header lines, allowed].  GET, HEAD and POST need no listing; every
# other method is compared case-sensitively.
my @methods = (
    [['PUT'], 1], [['DELETE'], 1], [['PATCH'], 1],
    [['GET'], 1], [['HEAD'], 1], [['POST'], 1],
    [['  PUT  '], 1],                       # OWS around the value
    [['put'], 0], [['Put'], 0], [['patch'], 0], [['Patch'], 0],
    [['delete'], 0], [['get'], 0], [['OPTIONS'], 0],
    [['PUT, PUT'], 0], [['PUT,DELETE'], 0], [['PUT PUT'], 0],
    [['PUT', 'PUT'], 0],                    # two lines, joined by httpd
    [['DELETE', 'PUT'], 0],
    [['CONNECT'], 0], [['connect'], 0], [['TRACE'], 0], [['TRACK'], 0],
    [[''], 0], [['P(T'], 0], [["PUT\x80"], 0], [['X' x 8000], 0],
);

# Preflights from an allowed origin for PUT: [Access-Control-Request-
# Headers lines, allowed].  Listed: Content-Type, X-Requested-With.
my @headers = (
    [['Content-Type'], 1],
    [['content-type, x-requested-with'], 1],
    [['X-REQUESTED-WITH'], 1],
    [[(',' x 500) . 'content-type' . (',' x 500)], 1],
    [[join(',', ('') x 300, 'content-type', ('') x 300)], 1],
    [[(', ' x 400) . 'x-requested-with'], 1],
    [['content-type,' x 400], 1],
    [[",\t,\t content-type \t,,"], 1],
    [[''], 1],
    [[',' x 8000], 1],
    [['Content-Type', 'X-Requested-With'], 1],   # two lines, joined
    [[('content-type') x 90], 1],                 # 90 lines
    [['x-evil'], 0],
    [['content-type, x-evil'], 0],
    [[(',' x 500) . 'x-evil'], 0],
    [[('content-type,' x 400) . 'x-evil'], 0],
    [['content-type;x-evil'], 0],
    [['content type'], 0],
    [['content-type/x'], 0],
    [['"content-type"'], 0],
    [["x-requested-with\x80"], 0],
    [['authorization'], 0],
    [['content-type, authorization'], 0],
    [['Content-Type', 'X-Evil'], 0],
    [[('content-type') x 89, 'x-evil'], 0],
);

my $pad = 'a' x 8000;
# [name, raw request, status, ACAO]: sizes against httpd's limits
# (LimitRequestFieldSize 8190, LimitRequestFields 100).
my @big = (
    ['Origin line over LimitRequestFieldSize',
     build('GET', 'Origin: https://' . ('a' x 8190) . '.example.org'),
     400, undef],
    ['1 MB Origin line',
     build('GET', 'Origin: https://' . ('a' x (1 << 20)) . '.example.org'),
     400, undef],
    ['1 MB of headers in 1000 lines',
     build('GET', "Origin: $ok", map { "X-Pad-$_: " . ('b' x 1024) }
             1 .. 1000),
     400, undef],
    ['1 MB of ACRH in one line',
     build('OPTIONS', "Origin: $ok", "$acrm: PUT",
             "$acrh: " . (',' x (1 << 20))),
     400, undef],
    ['760 KB of headers within the limits',
     build('GET', "Origin: $ok", map { "X-Pad-$_: $pad" } 1 .. 95),
     200, $ok],
);

for my $o (@origins) {
    my ($origin, $allowed) = @$o;
    my $want = $allowed ? trim($origin) : undef;
    my $name = 'Origin "' . printable($origin) . '"';
    check("$name, actual", send_req('GET', "Origin: $origin"),
          'actual', $want);
    check("$name, preflight",
          send_req('OPTIONS', "Origin: $origin", "$acrm: PUT"),
          'preflight', $want);
}

for my $r (@raw) {
    my ($name, $lines, $want, $may400) = @$r;
    check("$name, actual", send_req('GET', @$lines), 'actual', $want,
          $may400);
    check("$name, preflight", send_req('OPTIONS', @$lines, "$acrm: PUT"),
          'preflight', $want, $may400);
}

for my $m (@methods) {
    my ($lines, $allowed) = @$m;
    check('ACRM "' . printable(join('" + "', @$lines)) . '"',
          send_req('OPTIONS', "Origin: $ok", map { "$acrm: $_" } @$lines),
          'preflight', $allowed ? $ok : undef);
}

for my $h (@headers) {
    my ($lines, $allowed) = @$h;
    check(scalar(@$lines) . ' ACRH line(s) "'
          . printable(substr(join('" + "', @$lines), 0, 60)) . '"',
          send_req('OPTIONS', "Origin: $ok", "$acrm: PUT",
                  map { "$acrh: $_" } @$lines),
          'preflight', $allowed ? $ok : undef);
}

for my $big (@big) {
    my ($name, $bytes, $status, $want) = @$big;
    my $res = raw($bytes);
    is($res ? $res->code : 'no answer', $status, "$name: status $status");
    if (defined $want) {
        is_deeply([$res ? $res->header('Access-Control-Allow-Origin') : ()],
                  [$want], "$name: ACAO is the request's origin, once");
        is($res ? $res->header('Access-Control-Allow-Credentials') : undef,
           'true', "$name: ACAC");
    }
    else {
        is_deeply([access_control($res)], [], "$name: no Access-Control-*");
    }
    check("after $name, the next request", send_req('GET', "Origin: $ok"),
          'actual', $ok);
}

# The server survived: it answers, and no child died on a signal.
my $res = raw(build('GET', "Origin: $ok"));
is($res ? $res->code : 'no answer', 200, 'the server still answers');
open my $fh, '<', $errlog or die "$errlog: $!";
seek $fh, $errlog_start, 0;
my @deaths = grep { /exit signal|Segmentation|AH00052|child pid \d+ exit/ }
             <$fh>;
is_deeply(\@deaths, [], 'no child died during the test');

# A raw HTTP/1.1 request with the given header lines, as bytes.
sub build {
    my ($method, @lines) = @_;
    return "$method $path HTTP/1.1\r\nHost: 127.0.0.1:$port\r\n"
         . "Connection: close\r\n" . join('', map { "$_\r\n" } @lines)
         . "\r\n";
}

# Send bytes, read until the server closes; the parsed response or undef.
sub raw {
    my ($bytes) = @_;
    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                     PeerPort => $port, Proto => 'tcp',
                                     Timeout => 30)
        or die "connect to 127.0.0.1:$port: $!";
    binmode $sock;
    my $off = 0;
    while ($off < length $bytes) {
        # the server may refuse and close before reading everything
        my $n = syswrite($sock, $bytes, 65536, $off);
        last unless $n;
        $off += $n;
    }
    my $sel = IO::Select->new($sock);
    my $buf = '';
    while ($sel->can_read(30)) {
        my $n = sysread($sock, $buf, 65536, length $buf);
        last unless $n;
    }
    close $sock;
    return $buf =~ m{^HTTP/1\.[01] \d{3}} ? HTTP::Response->parse($buf)
                                          : undef;
}

sub access_control {
    my ($res) = @_;
    return () unless $res;
    return grep { /^access-control-/i } $res->header_field_names;
}

# Two assertions for a denied request, three for an allowed one.
sub check {
    my ($name, $res, $kind, $want, $may400) = @_;
    my $code = $res ? $res->code : 'no answer';
    if (defined $want) {
        is($code, $kind eq 'actual' ? 200 : 204, "$name: status");
        is_deeply([$res ? $res->header('Access-Control-Allow-Origin') : ()],
                  [$want], "$name: ACAO is the request's origin, once");
        my @vary = map { split /\s*,\s*/ } $res ? $res->header('Vary') : ();
        ok(($res && ($res->header('Access-Control-Allow-Credentials') // '')
            eq 'true' && grep { lc $_ eq 'origin' } @vary),
           "$name: ACAC true and Vary: Origin");
    }
    else {
        my @ok = ($kind eq 'actual' ? 200 : 403, $may400 ? 400 : ());
        ok((grep { $_ eq $code } @ok), "$name: status $code in (@ok)");
        is_deeply([access_control($res)], [], "$name: no Access-Control-*");
    }
}

# httpd removes optional whitespace around a field value.
sub trim {
    my ($s) = @_;
    $s =~ s/^[ \t]+|[ \t]+$//g;
    return $s;
}

sub printable {
    my ($s) = @_;
    $s = substr($s, 0, 60) . '...(' . length($s) . ' bytes)'
        if length $s > 70;
    $s =~ s/([^\x20-\x7e])/sprintf('\\x%02x', ord $1)/ge;
    return $s;
}

sub send_req {
    return raw(build(@_));
}

done_testing();
