# Over cleartext HTTP/2 (h2c with prior knowledge, through curl) the
# module gives the same CORS answers as over HTTP/1.1: for preflights
# (allowed, denied by origin, method and header) and actual requests
# (allowed, denied, no Origin, 404, HEAD, two Origin fields), cross-origin
# protection and a regex under its match limit, the status and every
# Access-Control-* and Vary header are what the manual says, and
# identical over both protocols.  curl must really speak HTTP/2: a curl
# without it fails this test, it does not skip it.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);

use lib 't/lib';
use CorsTest qw(needs_modules);

needs_modules('http2');

my $port = Apache::Test::vars('h2c_port')
    or die "no port for the h2c virtual host";
my $base = "http://127.0.0.1:$port";
my $app = 'https://app.example';
my $vary_pf = 'Origin, Access-Control-Request-Method, '
            . 'Access-Control-Request-Headers';

# A list header that must name $name (methods are case-sensitive).
sub listed {
    my ($name, $icase) = @_;
    my $re = '(?:^|,)[ \t]*' . quotemeta($name) . '[ \t]*(?:,|$)';
    return $icase ? qr/$re/i : qr/$re/;
}

# [name, curl arguments, status, expected Access-Control-* headers
# (lower-case name => exact value or a regex), the Vary value (undef: not
# checked; the manual says nothing of it for a refused preflight), path]
my @cases = (
    ['preflight allowed',
     ['-X', 'OPTIONS', '-H', "Origin: $app",
      '-H', 'Access-Control-Request-Method: PUT',
      '-H', 'Access-Control-Request-Headers: X-Custom'],
     204, { 'access-control-allow-origin' => $app,
            'access-control-allow-credentials' => 'true',
            'access-control-allow-methods' => listed('PUT'),
            'access-control-allow-headers' => listed('X-Custom', 'i'),
            'access-control-max-age' => '600' }, $vary_pf],
    ['preflight allowed, "*." origin',
     ['-X', 'OPTIONS', '-H', 'Origin: https://a.b.app.example',
      '-H', 'Access-Control-Request-Method: DELETE'],
     204, { 'access-control-allow-origin' => 'https://a.b.app.example',
            'access-control-allow-credentials' => 'true',
            'access-control-allow-methods' => listed('DELETE'),
            'access-control-max-age' => '600' }, $vary_pf],
    ['preflight denied: origin',
     ['-X', 'OPTIONS', '-H', 'Origin: https://app.example.evil',
      '-H', 'Access-Control-Request-Method: PUT'],
     403, {}, undef],
    ['preflight denied: method',
     ['-X', 'OPTIONS', '-H', "Origin: $app",
      '-H', 'Access-Control-Request-Method: PATCH'],
     403, {}, undef],
    ['preflight denied: header',
     ['-X', 'OPTIONS', '-H', "Origin: $app",
      '-H', 'Access-Control-Request-Method: PUT',
      '-H', 'Access-Control-Request-Headers: X-Custom, X-Other'],
     403, {}, undef],
    ['actual allowed',
     ['-H', "Origin: $app"],
     200, { 'access-control-allow-origin' => $app,
            'access-control-allow-credentials' => 'true',
            'access-control-expose-headers' => qr/^x-total$/i }, 'Origin'],
    ['actual allowed, upper case echoed',
     ['-H', 'Origin: HTTPS://X.APP.EXAMPLE'],
     200, { 'access-control-allow-origin' => 'HTTPS://X.APP.EXAMPLE',
            'access-control-allow-credentials' => 'true',
            'access-control-expose-headers' => qr/^x-total$/i }, 'Origin'],
    ['actual denied',
     ['-H', 'Origin: https://evil.example'], 200, {}, 'Origin'],
    ['actual without Origin', [], 200, {}, 'Origin'],
    ['actual allowed, 404',
     ['-H', "Origin: $app"], 404,
     { 'access-control-allow-origin' => $app,
       'access-control-allow-credentials' => 'true',
       'access-control-expose-headers' => qr/^x-total$/i }, 'Origin',
     '/h2/missing'],
    ['HEAD allowed',
     ['-I', '-H', "Origin: $app"],
     200, { 'access-control-allow-origin' => $app,
            'access-control-allow-credentials' => 'true',
            'access-control-expose-headers' => qr/^x-total$/i }, 'Origin'],
    ['two Origin fields',
     ['-H', "Origin: $app", '-H', "Origin: $app"], 200, {}, 'Origin'],
    # POSTs carry no body: a body may arrive after httpd has answered,
    # and mod_http2 then ends the stream with RST_STREAM(NO_ERROR) (RFC
    # 9113, 8.1), which curl 7.88 reports as error 92 -- a race in the
    # client that fails at random, with or without mod_cors
    ['protection refuses a cross-site POST',
     ['-X', 'POST', '-H', 'Sec-Fetch-Site: cross-site',
      '-H', 'Origin: https://evil.example'],
     403, {}, 'Origin, Sec-Fetch-Site', '/h2/protect/data.txt'],
    ['protection passes a POST from a trusted origin',
     ['-X', 'POST', '-H', 'Sec-Fetch-Site: cross-site', '-H', "Origin: $app"],
     200, { 'access-control-allow-origin' => $app,
            'access-control-allow-credentials' => 'true',
            'access-control-expose-headers' => qr/^x-total$/i }, 'Origin',
     '/h2/protect/data.txt'],
    ['protection passes a same-origin POST',
     ['-X', 'POST', '-H', 'Sec-Fetch-Site: same-origin'],
     200, {}, 'Origin', '/h2/protect/data.txt'],
    ['a backtracking regex and a near-miss Origin: bounded, denied',
     ['-H', 'Origin: https://' . ('a' x 40) . '.example.co'],
     200, {}, 'Origin', '/h2/redos/data.txt'],
);

# per case: protocol used, status, headers as expected, each once,
# same headers over both protocols
my $h2 = curl('--http2-prior-knowledge', "$base/h2/data.txt");
is($h2->{proto}, 'HTTP/2', 'curl speaks HTTP/2 with prior knowledge')
    or diag($h2->{raw});
my $h1 = curl('--http1.1', "$base/h2/data.txt");
is($h1->{proto}, 'HTTP/1.1', 'the same virtual host speaks HTTP/1.1');

for my $c (@cases) {
    my ($name, $args, $status, $want, $vary, $path) = @$c;
    my $url = $base . ($path // '/h2/data.txt');
    my %res = (h2 => curl('--http2-prior-knowledge', @$args, $url),
               h1 => curl('--http1.1', @$args, $url));
    is($res{h2}{proto}, 'HTTP/2', "$name: answered over HTTP/2")
        or diag($res{h2}{raw});
    is($res{h2}{status}, $status, "$name: HTTP/2 status");
    is($res{h1}{status}, $status, "$name: HTTP/1.1 status");
    my %got = map { $_ => cors_headers($res{$_}) } qw(h2 h1);
    my %expect = %$want;
    if (defined $vary) {
        $expect{vary} = $vary;
    }
    else {
        delete $got{h2}{vary};
        delete $got{h1}{vary};
    }
    is_deeply(mismatches($got{h2}, \%expect), [],
              "$name: HTTP/2 CORS headers as the manual says");
    ok(!grep({ @{ $got{h2}{$_} } != 1 } keys %{ $got{h2} }),
       "$name: each HTTP/2 CORS header once");
    is_deeply($got{h2}, $got{h1},
              "$name: identical CORS headers over HTTP/2 and HTTP/1.1");
}

# Run curl; the response's protocol, status and headers.
sub curl {
    my @cmd = ('curl', '-sS', '-i', '--max-time', '30', '-o', '-', @_);
    # -I makes curl print only headers; -i with a body prints both
    open my $fh, '-|', @cmd or die "curl: $!";
    local $/;
    my $raw = <$fh>;
    close $fh;
    $raw //= '';
    my ($head) = split /\r?\n\r?\n/, $raw, 2;
    my ($status_line, @lines) = split /\r?\n/, $head // '';
    my ($proto, $status) = ($status_line // '') =~ m{^(HTTP/[\d.]+) (\d+)};
    my @headers = map { /^([^:]+):\s*(.*?)\s*$/ ? [lc $1, $2] : () } @lines;
    return { raw => $raw, proto => $proto // "curl failed: $?",
             status => $status // 0, headers => \@headers };
}

# Access-Control-* and Vary, name => [values in order].
sub cors_headers {
    my ($res) = @_;
    my %h;
    for (@{ $res->{headers} }) {
        my ($name, $value) = @$_;
        push @{ $h{$name} }, $value
            if $name =~ /^access-control-/ || $name eq 'vary';
    }
    return \%h;
}

# What differs between the headers and the expectation (a string: the
# exact value; a regex: a pattern the value must match).
sub mismatches {
    my ($got, $want) = @_;
    my @diff;
    for my $name (sort keys %{ { %$got, %$want } }) {
        my $v = exists $got->{$name} ? join(', ', @{ $got->{$name} })
                                     : undef;
        my $w = $want->{$name};
        # Vary is a list: httpd rewrites its spacing (fixup_vary)
        $v = join(', ', split /[ \t]*,[ \t]*/, $v)
            if $name eq 'vary' && defined $v;
        next if defined $v && defined $w
                && (ref $w ? $v =~ $w : $v eq $w);
        push @diff, "$name: got " . ($v // 'nothing') . ', want '
                    . ($w // 'nothing');
    }
    return \@diff;
}

done_testing();
