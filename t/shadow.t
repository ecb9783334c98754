# CORSShadow (docs/mod_cors.html#shadow) beside the three recipes of
# docs/migrating.md (t/conf/shadow.conf.in: /mig/s1/ to /mig/s3/ serve the
# files of /mig/r1/ to /mig/r3/ under the same recipe, with the mod_cors
# twin in shadow).  For each row of the guide's tables: the note is
# shadow:differ exactly where the guide says the recipe is wrong, the
# CORS007 line names exactly the fields it gets wrong, and the response is
# byte for byte the recipe's own (Date aside): a preflight still reaches
# the recipe's handler.  Then the same against an httpd without the
# module, shadow switched off below, and protection that only reports.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use File::Spec::Functions qw(catfile);
use IO::Socket::INET;

use lib 't/lib';
use CorsTest qw(log_mark log_since note_for request private_httpd
                stop_httpd);

my $acrm = 'Access-Control-Request-Method';
my $acrh = 'Access-Control-Request-Headers';

# [row of docs/migrating.md, recipe, method, file, request headers,
#  the fields shadow finds different ('status' for 2xx or not, 'Vary' for
#  Origin in Vary; none: shadow:agree)].  Each set follows from the
#  guide's row (what the recipe sends) and the manual (what mod_cors
#  would send: docs/mod_cors.html#requests).
my @rows = (
    # Recipe 1: Header set Access-Control-Allow-Origin "*" ...; the twin
    # answers "*", which varies on nothing
    ['r1: what the recipe gets right: a plain GET',
     1, 'GET', 'data.json', [Origin => 'https://app.example.com'], []],
    ['r1: two values beside the application\'s own',
     1, 'GET', 'app.cgi', [Origin => 'https://app.example.com'], ['ACAO']],
    ['r1: "Header set" skips error responses',
     1, 'GET', 'missing.json', [Origin => 'https://app.example.com'],
     ['ACAO']],
    # 401 with nothing; the twin would answer 204 with "*", its methods
    # and its headers
    ['r1: a preflight behind Require valid-user',
     1, 'OPTIONS', 'private/data.json',
     [Origin => 'https://app.example.com', $acrm => 'PUT',
      $acrh => 'content-type, authorization'],
     [qw(status ACAO ACAM ACAH)]],
    # the script answers 200 and the recipe adds its lists: "*" twice
    # over, five methods for two, and headers no one asked for
    ['r1: a preflight reaches the application',
     1, 'OPTIONS', 'app.cgi',
     [Origin => 'https://app.example.com', $acrm => 'PUT'],
     [qw(ACAO ACAM ACAH)]],

    # Recipe 2: SetEnvIf Origin "http(s)?://(www\.)?(example.com|...)$"
    # with Header add: never a Vary
    ['r2: an unescaped dot lets https://staging-example.com in',
     2, 'GET', 'data.json', [Origin => 'https://staging-example.com'],
     [qw(ACAO Vary)]],
    ['r2: "http(s)?" lets http://example.com in',
     2, 'GET', 'data.json', [Origin => 'http://example.com'],
     [qw(ACAO Vary)]],
    ['r2: a reflected origin without Vary: Origin',
     2, 'GET', 'data.json', [Origin => 'https://example.com'], ['Vary']],
    ['r2: "Header add" beside the application\'s own value',
     2, 'GET', 'app.cgi', [Origin => 'https://example.com'],
     [qw(ACAO Vary)]],

    # Recipe 3: RewriteCond %{HTTP:Origin} (example\.com|example\.org),
    # Header always set ... env=CORS_ORIGIN
    ['r3: what the recipe gets right: an allowed origin, with Vary',
     3, 'GET', 'data.json', [Origin => 'https://app.example.com'], []],
    ['r3: an unanchored regex lets https://example.com.evil.net in',
     3, 'GET', 'data.json', [Origin => 'https://example.com.evil.net'],
     [qw(ACAO ACAC)]],
    ['r3: an unanchored regex lets https://evilexample.com in',
     3, 'GET', 'data.json', [Origin => 'https://evilexample.com'],
     [qw(ACAO ACAC)]],
    ['r3: a 404 without Vary: Origin',
     3, 'GET', 'missing.json', [Origin => 'https://app.example.com'],
     ['Vary']],
    # authentication fails before mod_rewrite sets CORS_ORIGIN: the 401
    # carries only the unconditional lists, and its headers are the ones
    # the twin would send, in another case
    ['r3: a preflight behind Require valid-user',
     3, 'OPTIONS', 'private/data.json',
     [Origin => 'https://app.example.com', $acrm => 'PUT',
      $acrh => 'content-type, authorization'],
     [qw(status ACAO ACAC ACAM)]],
);

plan tests => 4 * @rows + 12;

my %field = (ACAO => 'ACAO', ACAC => 'ACAC', ACEH => 'ACEH',
             ACAM => 'ACAM', ACAH => 'ACAH', ACMA => 'ACMA',
             ACAPN => 'ACAPN');

# The fields a CORS007 line names, sorted.
sub fields_of {
    my ($line) = @_;
    my %seen;
    $seen{status} = 1 if $line =~ /would answer /;
    $seen{Vary} = 1 if $line =~ /would send (?:no )?Origin in Vary/;
    $seen{$1} = 1 while $line =~ /would send (?:no )?(AC[A-Z]+)\b/g;
    return join ' ', sort keys %seen;
}

# A request written byte for byte, its answer read whole, Date removed.
# A CGI's answer is sent with a Content-Length or chunked, as its output
# happens to arrive, module or not: its body is compared unframed.
sub exchange {
    my ($port, $method, $path, @headers) = @_;
    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                     PeerPort => $port)
        or return '';
    print $sock join("\r\n", "$method $path HTTP/1.1", 'Host: 127.0.0.1',
                     'Connection: close', @headers, '', '');
    my $text = do { local $/; <$sock> } // '';
    close $sock;
    $text =~ s/^Date: [^\r\n]*\r\n//mi;
    my ($head, $body) = split /\r\n\r\n/, $text, 2;
    $body //= '';
    if ($head =~ s/^Transfer-Encoding: chunked\r\n//mi) {
        my $plain = '';
        while ($body =~ s/^([0-9a-f]+)\r\n//i && hex $1) {
            $plain .= substr($body, 0, hex $1, '');
            $body =~ s/^\r\n//;
        }
        $body = $plain;
    }
    $head =~ s/^Content-Length: \d+\r\n//mi;
    return "$head\r\n\r\n$body";
}

my $port = Apache::TestRequest::vhost_socket()->peerport;
my $n = 0;
for my $row (@rows) {
    my ($claim, $r, $method, $file, $headers, $want) = @$row;
    my $id = 'shadow-' . ++$n;
    my @h = @$headers;
    my @lines = map { "$h[2 * $_]: $h[2 * $_ + 1]" } 0 .. $#h / 2;
    my $mark = log_mark();
    my $shadow = exchange($port, $method, "/mig/s$r/$file",
                          "X-Test-Id: $id", @lines);
    my $recipe = exchange($port, $method, "/mig/r$r/$file",
                          "X-Test-Id: $id-recipe", @lines);
    my $want_note = @$want ? 'shadow:differ' : 'shadow:agree';

    is(note_for($id, 'shadow_log'), $want_note, "$claim: $want_note");
    my $log = log_since($mark, @$want ? qr/CORS007: .*\n/ : undef);
    my ($line) = $log =~ /^(.*CORS007: .*)$/m;
    is($line ? fields_of($line) : '', join(' ', sort @$want),
       "$claim: the CORS007 line names " . (@$want ? "@$want" : 'nothing'));
    (my $same = $shadow) =~ s{/mig/s$r/}{/mig/r$r/}g;
    ok(length $shadow && $same eq $recipe,
       "$claim: the response is the recipe's, byte for byte")
        or diag("shadow:\n$shadow\nrecipe:\n$recipe");
    like($recipe, qr{^HTTP/1\.1 \d{3} }, "$claim: an answer to compare");
}

# The line: both values of each differing field, quoted, as the manual's
# example reads.
{
    my $mark = log_mark();
    exchange($port, 'GET', '/mig/s2/data.json', 'X-Test-Id: shadow-values',
             'Origin: https://example.com');
    my $log = log_since($mark, qr/CORS007/);
    like($log, qr{\QCORS007: "GET" "/mig/s2/data.json" from "https://example.com": shadow:differ (mod_cors decided actual:allowed): would send Origin in Vary, the response has none.\E},
         'the line names the request, the decision and the difference');
    $mark = log_mark();
    exchange($port, 'GET', '/mig/s1/app.cgi', 'Origin: https://app.example.com');
    $log = log_since($mark, qr/CORS007/);
    like($log, qr{would send ACAO "\*", the response has "(\*,https://app\.example\.com|https://app\.example\.com,\*)"},
         'both values of a field, the response\'s every one');
}

# The checker says where shadow applies, and what the module would send.
{
    my $text = Apache::TestRequest::GET_BODY(
        '/cors-status?check&auto&url=/mig/s2/data.json'
        . '&origin=https://example.com');
    my $says = 'Shadow: CORSShadow On: mod_cors decides this, sends nothing '
               . 'of it, and compares it with what the response carries';
    like($text, qr/^\Q$says\E/m, 'the checker says shadow applies');
    like($text, qr/^Access-Control-Allow-Origin: https:\/\/example\.com$/m,
         '... and shows what mod_cors would send');
    $text = Apache::TestRequest::GET_BODY(
        '/cors-status?check&auto&url=/shadow/s3off/private/data.json'
        . '&origin=https://app.example.com');
    unlike($text, qr/^Shadow:/m, '... and not where it is switched off');
}

# Shadow off below: the module answers there again.
{
    my $res = Apache::TestRequest::OPTIONS(
        '/shadow/s3off/private/data.json', 'X-Test-Id' => 'shadow-off',
        Origin => 'https://app.example.com', $acrm => 'GET');
    is($res->code, 204, 'CORSShadow Off below: the module answers the '
       . 'preflight before authentication');
    is(note_for('shadow-off', 'shadow_log'), 'preflight:allowed',
       'CORSShadow Off below: its own note');
    $res = Apache::TestRequest::OPTIONS(
        '/shadow/s3off/data.json', 'X-Test-Id' => 'shadow-on',
        Origin => 'https://app.example.com', $acrm => 'GET');
    is($res->code, 200, 'CORSShadow On above: the recipe answers');
}

# Protection only reports under shadow.
{
    my $res = request('POST', '/shadow/protect/app.cgi',
                      'X-Test-Id' => 'shadow-protect',
                      Origin => 'https://evil.example',
                      'Sec-Fetch-Site' => 'cross-site',
                      'Content-Type' => 'text/plain');
    is($res->code, 200, 'protection under shadow lets a cross-site POST '
       . 'through');
    like($res->header('X-App') // '', qr/POST/, '... to the application');
}

# An httpd without the module, and one with it in shadow: the same bytes.
{
    my $htdocs = catfile(Apache::Test::vars('documentroot'), 'mig', 'r3');
    my $recipe = <<"EOF";
TypesConfig /dev/null
AddType application/json .json
<Directory "$htdocs">
    Require all granted
    RewriteEngine On
    RewriteCond %{HTTP:Origin} (example\\.com|example\\.org) [NC]
    RewriteRule .* - [E=CORS_ORIGIN:%{HTTP:Origin}]
    RewriteCond %{REQUEST_METHOD} OPTIONS
    RewriteRule ^(.*)\$ \$1 [R=200,L]
    Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Methods "GET, POST, PUT, DELETE, OPTIONS"
    Header always set Access-Control-Allow-Headers "Content-Type, Authorization"
</Directory>
Alias "/api" "$htdocs"
EOF
    my $twin = <<'EOF';
<Location "/api">
    CORSShadow On
    CORSAllowOrigin https://example.com https://*.example.com
    CORSAllowMethods PUT DELETE
    CORSAllowHeaders Content-Type Authorization
    CORSAllowCredentials On
</Location>
EOF
    my @mods = (modules => [qw(rewrite headers mime alias)]);
    my $without = private_httpd(1, $recipe, without_cors => 1, @mods);
    my $with = private_httpd(1, $recipe . $twin, @mods);
    my @sent = (
        ['GET', '/api/data.json', 'Origin: https://app.example.com'],
        ['GET', '/api/data.json', 'Origin: https://example.com.evil.net'],
        ['GET', '/api/missing.json', 'Origin: https://app.example.com'],
        ['OPTIONS', '/api/data.json', 'Origin: https://app.example.com',
         "$acrm: PUT", "$acrh: content-type"],
    );
    my $same = 0;
    for my $s (@sent) {
        my $a = exchange($without->{ports}[0], @$s);
        my $b = exchange($with->{ports}[0], @$s);
        $same++ if length $a && $a eq $b;
        diag("without:\n$a\nwith:\n$b") if $a ne $b;
    }
    for my $h ($without, $with) {
        next if $same == @sent;
        diag(do { local $/; open my $fh, '<', "$h->{dir}/error_log"; <$fh> });
    }
    is($same, scalar @sent, 'the same bytes with the module in shadow as '
       . 'without the module (a GET, a denied origin, a 404, a preflight)');
    my $log = do {
        local $/;
        open my $fh, '<', "$with->{dir}/error_log" or die $!;
        <$fh>;
    };
    my $lines = () = $log =~ /CORS007: /g;
    # the first agrees (mod_rewrite adds Vary: Origin to a success); the
    # others differ as in t/conf/shadow.conf.in's /mig/s3/
    is($lines, 3, 'and a CORS007 line for each that differs');
    stop_httpd($_) for $without, $with;
}
