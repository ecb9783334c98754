# Requests that httpd cannot finish reading (docs/mod_cors.html#limits):
# a request line over LimitRequestLine, a field over
# LimitRequestFieldSize, too many fields, malformed request lines and
# protocols, a request line split over a pause or cut by the timeout, a
# bare "\n", HTTP/0.9, absolute-form and "*" targets.  httpd answers most
# of them itself (400, 414, 505) before any per-directory hook runs, with
# the method, the URI or the headers still unset, and the module meets
# them only in its error hook and filter.
#
# Each request is sent as raw bytes to a private httpd whose base
# configuration makes the module active -- at server level with origins,
# with protection, with both, with ReportOnly, with "*", and at the top of
# the default virtual host -- and to one without mod_cors.  Every answer
# must carry the status httpd sends without the module (or no answer where
# it sends none), and no child may die: after each server stops
# gracefully, its error_log has no "exit signal".
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use IO::Select;
use IO::Socket::INET;
use Time::HiRes ();

use lib 't/lib';
use CorsTest qw(file_lines private_httpd stop_httpd);

$SIG{PIPE} = 'IGNORE';

my $ok = 'https://app.example.com';
my $evil = 'https://evil.example.net';
my $crlf = "\r\n";

# the configuration every server shares: a short Timeout for the
# request cut by it
my $common = "Timeout 1\nKeepAlive Off\n";

# [name, the bytes in pieces (a number between two pieces is a pause in
# seconds)]
sub req { return join($crlf, @_, '', '') }
my @requests = (
    ['request line over LimitRequestLine',
     [req('GET /' . ('a' x 9000) . ' HTTP/1.1', 'Host: 127.0.0.1',
          "Origin: $ok")]],
    ['POST line over LimitRequestLine from another site',
     [req('POST /' . ('a' x 9000) . ' HTTP/1.1', 'Host: 127.0.0.1',
          "Origin: $evil", 'Sec-Fetch-Site: cross-site')]],
    ['field over LimitRequestFieldSize',
     [req('GET / HTTP/1.1', 'Host: 127.0.0.1', "Origin: $ok",
          'X-Big: ' . ('a' x 9000))]],
    ['preflight with a field over LimitRequestFieldSize',
     [req('OPTIONS / HTTP/1.1', 'Host: 127.0.0.1', "Origin: $ok",
          'Access-Control-Request-Method: PUT', 'X-Big: ' . ('a' x 9000))]],
    ['cross-site POST with a field over LimitRequestFieldSize',
     [req('POST / HTTP/1.1', 'Host: 127.0.0.1', "Origin: $evil",
          'Sec-Fetch-Site: cross-site', 'X-Big: ' . ('a' x 9000))]],
    ['more fields than LimitRequestFields',
     [req('GET / HTTP/1.1', 'Host: 127.0.0.1', "Origin: $ok",
          map { "X-N$_: v" } 1 .. 101)]],
    ['a field without a colon',
     [req('GET / HTTP/1.1', 'Host: 127.0.0.1', "Origin: $ok", 'Broken')]],
    ['HTTP/1.1 without Host',
     [req('POST / HTTP/1.1', "Origin: $evil", 'Content-Length: 0')]],
    ['a method alone', [req('GET', '')]],
    ['control bytes in the method',
     [req("G\x01T / HTTP/1.1", 'Host: 127.0.0.1', "Origin: $ok")]],
    ['a request line with extra words',
     [req('GET / HTTP/1.1 extra', 'Host: 127.0.0.1', "Origin: $ok")]],
    ['an unknown protocol',
     [req('GET / FOO/1.1', 'Host: 127.0.0.1', "Origin: $ok")]],
    ['HTTP/2.0 in an HTTP/1 request line',
     [req('GET / HTTP/2.0', 'Host: 127.0.0.1', "Origin: $ok")]],
    ['a protocol in lower case',
     [req('GET / http/1.1', 'Host: 127.0.0.1', "Origin: $ok")]],
    ['bare \n line endings',
     ["GET / HTTP/1.1\nHost: 127.0.0.1\nOrigin: $ok\nConnection: close\n\n"]],
    ['a bare \n and nothing else', ["\n"]],
    ['HTTP/0.9', ["GET /\r\n"]],
    ['absolute-form target',
     [req('GET http://127.0.0.1/ HTTP/1.1', 'Host: 127.0.0.1',
          "Origin: $ok", 'Connection: close')]],
    ['"*" target',
     [req('OPTIONS * HTTP/1.1', 'Host: 127.0.0.1', "Origin: $ok",
          'Connection: close')]],
    ['request line split by a pause',
     ['GET / HT', 0.3,
      req('TP/1.1', 'Host: 127.0.0.1', "Origin: $ok", 'Connection: close')]],
    ['request line cut by the timeout', ["GET / HT", 1.3]],
    ['fields cut by the timeout',
     ["GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: $ok\r\n", 1.3]],
);

# [name, the CORS part of the server's configuration]
my @configs = (
    ['origins at server level', "CORSAllowOrigin $ok\n"],
    ['protection at server level', "CORSCrossOriginProtection On\n"],
    ['origins and protection at server level',
     "CORSAllowOrigin $ok\nCORSCrossOriginProtection On\n"],
    ['origins and ReportOnly at server level',
     "CORSAllowOrigin $ok\nCORSCrossOriginProtection ReportOnly\n"],
    ['"*" at server level', "CORSAllowOrigin *\n"],
    ['origins and protection at the default virtual host\'s top',
     sub {
         return "<VirtualHost 127.0.0.1:$_[0]>\n"
              . "    CORSAllowOrigin $ok\n"
              . "    CORSCrossOriginProtection On\n</VirtualHost>\n";
     }],
);

# send_pieces($port, $pieces): the status of the answer, "no status line"
# for an answer without one (HTTP/0.9), or "no answer" when httpd closed
# the connection without a byte.
sub send_pieces {
    my ($port, $pieces) = @_;
    my $sock = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port",
                                     Timeout => 5) or die "connect: $!";
    for my $p (@$pieces) {
        if ($p =~ /^[0-9.]+$/) {
            Time::HiRes::sleep($p);
        }
        else {
            syswrite($sock, $p);
        }
    }
    my ($text, $sel) = ('', IO::Select->new($sock));
    while ($sel->can_read(5)) {
        my $n = sysread($sock, my $buf, 65536);
        last if !$n;
        $text .= $buf;
    }
    close $sock;
    return 'no answer' if $text eq '';
    return $text =~ m{^HTTP/\d\.\d (\d{3}) } ? $1 : 'no status line';
}

# answers($body, %opt): the answers of a private httpd to every request,
# and the "exit signal" lines of its error_log once it has stopped.
sub answers {
    my ($body, %opt) = @_;
    my $srv = private_httpd(1, sub {
        return $common . (ref $body ? $body->(@_) : $body);
    }, children => 1, %opt);
    my $port = $srv->{ports}[0];
    my %got = map { $_->[0] => send_pieces($port, $_->[1]) } @requests;
    stop_httpd($srv, graceful => 1);
    my @died = grep { /exit signal/ } file_lines("$srv->{dir}/error_log");
    return (\%got, \@died);
}

my ($want) = answers('', without_cors => 1);
for my $c (@configs) {
    my ($name, $body) = @$c;
    my ($got, $died) = answers($body);
    for my $r (@requests) {
        is($got->{$r->[0]}, $want->{$r->[0]},
           "$name: $r->[0]: what httpd answers without the module");
    }
    is_deeply($died, [], "$name: no child died");
}

done_testing();
