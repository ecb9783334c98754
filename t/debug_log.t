# SPEC.md "Observability": with LogLevel cors:debug (set for the whole
# suite), each CORS request logs exactly one line with the decision and its
# reason; a request without Origin logs none.  Each request uses its own
# Origin, so its line is found in t/logs/error_log.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS POST);
use Time::HiRes qw(sleep);

use lib 't/lib';
use CorsTest qw(log_mark log_since);

my $url = '/cfg/dbg/index.html';

# [ label, request, origin, expected status, reason pattern ]
my @cases = (
    [ 'preflight allowed', \&OPTIONS, 'https://pf-ok.dbg.example', 204,
      qr/\ballowed\b/, [ 'Access-Control-Request-Method' => 'PUT',
                         'Access-Control-Request-Headers' => 'x-dbg' ] ],
    [ 'preflight, origin not allowed', \&OPTIONS,
      'https://pf-origin.nope.example', 403, qr/origin not allowed/,
      [ 'Access-Control-Request-Method' => 'PUT' ] ],
    [ 'preflight, method not allowed', \&OPTIONS,
      'https://pf-method.dbg.example', 403, qr/method 'DELETE' not allowed/,
      [ 'Access-Control-Request-Method' => 'DELETE' ] ],
    [ 'preflight, header not allowed', \&OPTIONS,
      'https://pf-header.dbg.example', 403,
      qr/header 'X-Nope' not allowed/i,
      [ 'Access-Control-Request-Method' => 'PUT',
        'Access-Control-Request-Headers' => 'X-Dbg, X-Nope' ] ],
    [ 'preflight, private network not allowed', \&OPTIONS,
      'https://pf-pna.dbg.example', 403, qr/private network/i,
      [ 'Access-Control-Request-Method' => 'PUT',
        'Access-Control-Request-Private-Network' => 'true' ] ],
    [ 'actual allowed', \&GET, 'https://act-ok.dbg.example', 200,
      qr/\ballowed\b/, [] ],
    [ 'actual not allowed', \&GET, 'https://act-no.nope.example', 200,
      qr/not allowed/, [] ],
    [ 'actual POST allowed', \&POST, 'https://act-post.dbg.example', 200,
      qr/\ballowed\b/, [ content => 'x=1' ] ],
    [ 'actual to a directory (mod_dir) allowed', \&GET,
      'https://act-dir.dbg.example', 200, qr/\ballowed\b/, [], '/cfg/dbg/' ],
    [ 'actual 404 allowed', \&GET, 'https://act-404.dbg.example', 404,
      qr/\ballowed\b/, [], '/cfg/dbg/missing.html' ],
    [ 'OPTIONS without ACRM (actual) allowed', \&OPTIONS,
      'https://act-opt.dbg.example', 200, qr/\ballowed\b/, [] ],
);

plan tests => 4 * @cases + 2 * 2;

sub cors_lines { return grep { /\[cors:/ } split /\n/, $_[0] }

for my $case (@cases) {
    my ($label, $request, $origin, $status, $reason, $extra, $path) = @$case;
    my $mark = log_mark();
    my $res = $request->($path // $url, Origin => $origin, @$extra);
    is($res->code, $status, "$label: status $status");

    my @lines = cors_lines(log_since($mark, $origin));
    is(scalar(@lines), 1, "$label: one cors line") or diag(join "\n", @lines);
    my $line = $lines[0] // '';
    ok(index($line, $origin) >= 0 && $line =~ /\[cors:debug\]/,
       "$label: at debug level, with the Origin") or diag($line);
    if ($reason =~ /not allowed|private/) {
        like($line, $reason, "$label: the reason");
    }
    else {
        ok($line =~ $reason && $line !~ /not allowed|denied/i,
           "$label: the decision is 'allowed'") or diag($line);
    }
}

# Requests without Origin: not CORS, no line.
for my $case ([ 'GET', \&GET ], [ 'OPTIONS', \&OPTIONS ]) {
    my ($method, $request) = @$case;
    my $mark = log_mark();
    my $res = $request->($url, 'Access-Control-Request-Method' => 'PUT');
    is($res->code, 200, "$method without Origin answers");
    # wait for the access log entry, written after the response
    sleep 0.3;
    is(scalar(cors_lines(log_since($mark))), 0,
       "$method without Origin: no cors line");
}
