# Several requests on one HTTP/1.1 keep-alive connection never share
# headers: under the /int/ policy (t/conf/integration.conf.in), for
# every kind of response (but 500, after which httpd closes the
# connection) that t/statuses.t, t/auth.t, t/cgi.t,
# t/proxy.t, t/other_headers.t and t/subrequests.t cover, an allowed
# origin, then a denied one, then none, then an allowed one again, all on
# one connection.  The denied and Origin-less requests must get no
# Access-Control-* header (docs/mod_cors.html#requests, "Not allowed
# origin: no Access-Control-* headers; Vary: Origin"; "Not CORS:
# Vary: Origin; nothing else"), and the last one exactly one ACAO.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use IO::Socket::INET ();

use lib 't/lib';
use CorsTest qw(ac_on_304);

my $host = Apache::TestRequest::hostport();
my $app  = 'https://app.example';
my $org  = 'https://k.example.org';
my $evil = 'https://evil.example';

# Raw HTTP/1.1.  Bytes read past one response stay in %pending for the
# next one (pipelining).
my %pending;

sub request_bytes {
    my ($method, $path, @headers) = @_;
    my $req = "$method $path HTTP/1.1\r\nHost: $host\r\n";
    while (my ($n, $v) = splice @headers, 0, 2) {
        $req .= "$n: $v\r\n";
    }
    return "$req\r\n";
}

# Read exactly one response to a request made with $method.
sub read_response {
    my ($sock, $method) = @_;
    my $buf = \($pending{$sock} //= '');
    my $fill = sub {
        my $want = shift;
        while (length $$buf < $want) {
            my $n = $sock->sysread($$buf, 4096, length $$buf);
            return 0 unless $n;
        }
        return 1;
    };
    until ($$buf =~ /\r\n\r\n/) {
        $fill->(length($$buf) + 1) or return;
    }
    $$buf =~ s/^(.*?)\r\n\r\n//s;
    my ($status_line, @lines) = split /\r\n/, $1;
    my ($status) = $status_line =~ m{^HTTP/1\.1 (\d{3}) } or return;
    my @fields = map { [split /:\s*/, $_, 2] } @lines;
    my $get = sub {
        my $name = lc shift;
        return map { $_->[1] } grep { lc $_->[0] eq $name } @fields;
    };

    my $body = '';
    if ($method eq 'HEAD' || $status == 204 || $status == 304) {
        # no body
    }
    elsif (grep { /chunked/i } $get->('Transfer-Encoding')) {
        while (1) {
            until ($$buf =~ /\r\n/) {
                $fill->(length($$buf) + 1) or return;
            }
            $$buf =~ s/^([0-9a-fA-F]+)[^\r]*\r\n// or return;
            my $len = hex $1;
            if ($len == 0) {
                # trailers (none expected), then an empty line
                until ($$buf =~ /^(?:[^\r]+\r\n)*\r\n/) {
                    $fill->(length($$buf) + 1) or return;
                }
                $$buf =~ s/^(?:[^\r]+\r\n)*\r\n//;
                last;
            }
            $fill->($len + 2) or return;
            $body .= substr($$buf, 0, $len);
            substr($$buf, 0, $len + 2) = '';
        }
    }
    else {
        my ($len) = $get->('Content-Length');
        $len //= 0;
        $fill->($len) or return;
        $body = substr($$buf, 0, $len);
        substr($$buf, 0, $len) = '';
    }
    return { status => $status, fields => \@fields, body => $body,
             get => $get };
}

# Send one request, read its response.
sub exchange {
    my ($sock, $method, @rest) = @_;
    $sock->print(request_bytes($method, @rest)) or return;
    return read_response($sock, $method);
}

sub ac_names {
    my ($r) = @_;
    return [sort map { lc $_->[0] }
            grep { $_->[0] =~ /^access-control-/i } @{ $r->{fields} }];
}

sub vary_origin_count {
    my ($r) = @_;
    return scalar grep { lc eq 'origin' }
                  map { s/^\s+|\s+$//gr } map { split /,/ }
                  $r->{get}->('Vary');
}

# Validators for the 304 case.
my $probe = IO::Socket::INET->new(PeerAddr => $host) or die "connect: $!";
my $first = exchange($probe, 'GET', '/int/static.txt') or die 'no response';
my ($etag) = $first->{get}->('ETag');
close $probe;

my @cases = (
    ['200 static',      GET => '/int/static.txt', 200],
    ['304',             GET => '/int/static.txt', 304,
                        'If-None-Match' => $etag // '"x"'],
    ['401',             GET => '/int/auth/secret.txt', 401],
    ['403',             GET => '/int/forbidden/secret.txt', 403],
    ['404',             GET => '/int/no-such-file.txt', 404],
    # (httpd closes the connection after a 500: no 500 case here)
    ['CGI 404',         GET => '/int/cgi/int-headers?status=404', 404],
    ['CGI own headers', GET => '/int/cgi/int-headers', 200],
    ['proxy',           GET => '/int/proxy/data.txt', 200],
    ['302 Redirect',    GET => '/int/moved', 302],
    ['ErrorDocument',   GET => '/int/ed/missing.txt', 404],
    ['mod_headers',     GET => '/int/hdr/file.txt', 200],
    ['DirectoryIndex',  GET => '/int/dir/', 200],
    ['mod_rewrite',     GET => '/int/rw/from.html', 200],
    ['HEAD',            HEAD => '/int/static.txt', 200],
);

# per case: 4 requests, 3 + 3 + 3 + 3 assertions, + 1 for the connection
for my $c (@cases) {
    my ($name, $method, $path, $status, @extra) = @$c;
    my $sock = IO::Socket::INET->new(PeerAddr => $host)
        or die "connect: $!";
    my ($served, $n) = (0, 0);
    my @seq = ([allowed => $app], [denied => $evil], ['no Origin' => undef],
               ['allowed again' => $org]);
    for my $s (@seq) {
        my ($kind, $origin) = @$s;
        my $label = "keep-alive $name, request " . ++$n . " ($kind)";
        my $r = exchange($sock, $method, $path, @extra,
                         defined $origin ? (Origin => $origin) : ());
        $served++ if $r;
        $r //= { status => 0, fields => [], body => '',
                 get => sub { () } };
        is($r->{status}, $status, "$label: status");
        if ($kind =~ /allowed/ && ($status != 304 || ac_on_304())) {
            is_deeply([$r->{get}->('Access-Control-Allow-Origin')],
                      [$origin], "$label: exactly one ACAO, this Origin");
            is_deeply(ac_names($r),
                      ['access-control-allow-credentials',
                       'access-control-allow-origin',
                       'access-control-expose-headers'],
                      "$label: ACAC, ACAO, ACEH once each");
        }
        else {
            ok(!grep({ defined } $r->{get}->('Access-Control-Allow-Origin')),
               "$label: no ACAO left over");
            is_deeply(ac_names($r), [], "$label: no Access-Control-* header");
        }
    }
    is($served, scalar(@seq), "keep-alive $name: all on one connection");
    close $sock;
}

# A preflight, then actual requests on the same connection: nothing of
# the preflight (ACAM, ACAH, its Vary) is left over.
{
    my $sock = IO::Socket::INET->new(PeerAddr => $host)
        or die "connect: $!";
    my $path = '/int/cgi/int-record/keepalive';
    my $r = exchange($sock, 'OPTIONS', $path, Origin => $app,
                     'Access-Control-Request-Method' => 'PUT',
                     'Access-Control-Request-Headers' => 'content-type');
    ok($r && $r->{status} == 204, 'keep-alive preflight: 204');
    ok($r && grep({ /PUT/ } $r->{get}->('Access-Control-Allow-Methods')),
       'keep-alive preflight: ACAM');

    $r = exchange($sock, 'GET', $path, Origin => $evil);
    ok($r && $r->{status} == 200, 'after a preflight, denied GET: 200');
    is_deeply($r ? ac_names($r) : [undef], [],
              'after a preflight, denied GET: no Access-Control-* header');
    is($r ? vary_origin_count($r) : -1, 1,
       'after a preflight, denied GET: Origin once in Vary');
    ok($r && !grep({ /Access-Control-Request/i }
                   $r->{get}->('Vary')),
       "after a preflight, denied GET: not the preflight's Vary");

    $r = exchange($sock, 'GET', $path);
    ok($r && $r->{status} == 200, 'after a preflight, no-Origin GET: 200');
    is_deeply($r ? ac_names($r) : [undef], [],
              'after a preflight, no-Origin GET: no Access-Control-*');

    $r = exchange($sock, 'GET', $path, Origin => $app);
    ok($r && $r->{status} == 200, 'after a preflight, allowed GET: 200');
    is_deeply($r ? ac_names($r) : [undef],
              ['access-control-allow-credentials',
               'access-control-allow-origin',
               'access-control-expose-headers'],
              'after a preflight, allowed GET: no ACAM or ACAH left over');

    $r = exchange($sock, 'OPTIONS', $path, Origin => $evil,
                  'Access-Control-Request-Method' => 'PUT');
    ok($r && $r->{status} == 403, 'then a denied preflight: 403');
    is_deeply($r ? ac_names($r) : [undef], [],
              'then a denied preflight: no Access-Control-* header');

    $r = exchange($sock, 'OPTIONS', $path, Origin => $org,
                  'Access-Control-Request-Method' => 'DELETE');
    ok($r && $r->{status} == 204, 'then an allowed preflight: 204');
    is_deeply($r ? [$r->{get}->('Access-Control-Allow-Origin')] : [],
              [$org], 'then an allowed preflight: exactly one ACAO');
    close $sock;
}

# Pipelined: four requests in one write, then the four responses.
{
    my $sock = IO::Socket::INET->new(PeerAddr => $host)
        or die "connect: $!";
    my @reqs = (
        [$app,  GET => '/int/static.txt'],
        [$evil, GET => '/int/static.txt'],
        [undef, GET => '/int/cgi/int-headers'],
        [$org,  GET => '/int/proxy/data.txt'],
        [$evil, GET => '/int/proxy/data.txt'],
    );
    $sock->print(join '', map {
        my ($origin, $method, $path) = @$_;
        request_bytes($method, $path,
                      defined $origin ? (Origin => $origin) : ());
    } @reqs);
    my $i = 0;
    for my $q (@reqs) {
        my ($origin, $method, $path) = @$q;
        my $label = 'pipelined request ' . ++$i . " ($path, "
                    . ($origin // 'no Origin') . ')';
        my $r = read_response($sock, $method);
        ok($r && $r->{status} == 200, "$label: 200");
        if (defined $origin && $origin ne $evil) {
            is_deeply($r ? [$r->{get}->('Access-Control-Allow-Origin')] : [],
                      [$origin], "$label: exactly one ACAO, this Origin");
        }
        else {
            is_deeply($r ? ac_names($r) : [undef], [],
                      "$label: no Access-Control-* header");
        }
    }
    $sock->shutdown(1);
    ok(!defined read_response($sock, 'GET'),
       'pipelined: one response per request, nothing more');
    close $sock;
}

done_testing();
