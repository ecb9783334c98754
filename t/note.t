# The request note CORS names the decision for every request where the
# module is active, so "%{CORS}n" in a LogFormat shows it; every value of
# the vocabulary in docs/mod_cors.html#logging comes from a real request.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS POST);

use lib 't/lib';
use CorsTest qw(note_for);

my $ok = 'https://app.example';
my $pf = 'Access-Control-Request-Method';

# [name, request method, path, headers, expected note ('-': not set)]
my @cases = (
    ['no origin', 'GET', '/note/', [], 'none'],
    ['allowed actual', 'GET', '/note/', [Origin => $ok], 'actual:allowed'],
    ['denied actual', 'GET', '/note/', [Origin => 'https://evil.example'],
     'actual:denied:origin'],
    ['malformed origin', 'GET', '/note/', [Origin => "$ok/"],
     'actual:denied:malformed-origin'],
    ['allowed preflight', 'OPTIONS', '/note/', [Origin => $ok, $pf => 'PUT'],
     'preflight:allowed'],
    ['preflight bad origin', 'OPTIONS', '/note/',
     [Origin => 'https://evil.example', $pf => 'PUT'],
     'preflight:denied:origin'],
    ['preflight malformed origin', 'OPTIONS', '/note/',
     [Origin => 'https://app.example:443', $pf => 'PUT'],
     'preflight:denied:malformed-origin'],
    ['preflight bad method', 'OPTIONS', '/note/',
     [Origin => $ok, $pf => 'PATCH'], 'preflight:denied:method'],
    ['preflight bad header', 'OPTIONS', '/note/',
     [Origin => $ok, $pf => 'PUT',
      'Access-Control-Request-Headers' => 'x-allowed, x-other'],
     'preflight:denied:headers'],
    ['preflight private network', 'OPTIONS', '/note/',
     [Origin => $ok, $pf => 'PUT',
      'Access-Control-Request-Private-Network' => 'true'],
     'preflight:denied:private-network'],
    ['star set, origin', 'GET', '/note/star/', [Origin => 'https://x.example'],
     'actual:any'],
    ['star set, no origin', 'GET', '/note/star/', [], 'none'],
    ['module off', 'GET', '/note/off/', [Origin => $ok], '-'],
    ['404 keeps the note', 'GET', '/note/missing', [Origin => $ok],
     'actual:allowed'],
    ['protection refuses', 'POST', '/note/protect/',
     ['Sec-Fetch-Site' => 'cross-site', Origin => 'https://evil.example'],
     'protect:refused'],
    ['protection reports', 'POST', '/note/report/',
     ['Sec-Fetch-Site' => 'cross-site', Origin => 'https://evil.example'],
     'protect:report'],
    ['protection passes same-origin', 'POST', '/note/protect/',
     ['Sec-Fetch-Site' => 'same-origin'], 'none'],
);

my $n = 0;
for my $c (@cases) {
    my ($name, $method, $path, $headers, $want) = @$c;
    my $id = "note-$$-" . ++$n;
    my $req = { GET => \&GET, OPTIONS => \&OPTIONS, POST => \&POST }->{$method};
    $req->($path, @$headers, 'X-Test-Id' => $id);
    is(note_for($id), $want, $name);
}


done_testing();
