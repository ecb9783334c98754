# The request note CORS names the decision for every request where the
# module is active, so "%{CORS}n" in a LogFormat shows it; every value of
# the vocabulary in docs/mod_cors.html#logging comes from a real request.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS POST);
use Apache::TestUtil qw(t_write_file);
use File::Spec::Functions qw(catfile);

use lib 't/lib';
use CorsTest qw(ac_names note_for vary_count);

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
    ['preflight redirected by httpd', 'OPTIONS', '/note/moved/x',
     [Origin => $ok, $pf => 'PUT'], 'preflight:unanswered'],
    ['actual redirected by httpd', 'GET', '/note/moved/x', [Origin => $ok],
     'actual:allowed'],
    ['local ErrorDocument', 'GET', '/note/errdoc/missing', [Origin => $ok],
     'actual:allowed'],
    ['local ErrorDocument, denied origin', 'GET', '/note/errdoc/missing',
     [Origin => 'https://evil.example'], 'actual:denied:origin'],
    ['local ErrorDocument in a section without a policy', 'GET',
     '/note/errdoc/off/missing', [Origin => $ok], 'actual:allowed'],
    ['CGI local redirect', 'GET', '/note/cgi/note-local-redirect',
     [Origin => $ok], 'actual:allowed'],
    ['.htaccess front controller', 'GET', '/note/front/any/route',
     [Origin => $ok], 'actual:allowed'],
    ['preflight private network, never refused', 'OPTIONS', '/note/',
     [Origin => $ok, $pf => 'PUT',
      'Access-Control-Request-Private-Network' => 'true'],
     'preflight:allowed'],
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
    # a Vary header of its own, and no Access-Control-* field
    ['shadow, denied origin: the response agrees', 'GET', '/note/shadow/',
     [Origin => 'https://evil.example'], 'shadow:agree'],
    ['shadow, allowed origin: no ACAO, it differs', 'GET', '/note/shadow/',
     [Origin => $ok], 'shadow:differ'],
);

# a front controller, as WordPress, Laravel and Symfony install it
t_write_file(catfile(Apache::Test::vars('documentroot'), 'note', 'front',
                     '.htaccess'), <<'EOF');
CORSAllowOrigin https://app.example
RewriteEngine On
RewriteRule ^ /note/index.html [L]
EOF

# the preflight httpd answers: the browser fails it, and nothing in the
# answer may say otherwise
{
    my $res = OPTIONS('/note/moved/x', Origin => $ok, $pf => 'PUT');
    is($res->code, 302, 'preflight redirected by httpd: its 302');
    is_deeply(ac_names($res), [],
              'preflight redirected by httpd: no Access-Control-* field');
    ok(!vary_count($res, 'Access-Control-Request-Method'),
       'preflight redirected by httpd: no preflight Vary');
}

my $n = 0;
for my $c (@cases) {
    my ($name, $method, $path, $headers, $want) = @$c;
    my $id = "note-$$-" . ++$n;
    my $req = { GET => \&GET, OPTIONS => \&OPTIONS, POST => \&POST }->{$method};
    $req->($path, @$headers, 'X-Test-Id' => $id);
    is(note_for($id), $want, $name);
}

# The manual's table of note values (docs/mod_cors.html#logging) names
# exactly the values these cases produce, each REASON spelled out by the
# paragraph below the table.
{
    my $top = Apache::Test::vars('top_dir');
    open my $fh, '<', "$top/docs/mod_cors.html" or die $!;
    my $html = do { local $/; <$fh> };
    my ($table, $after) = $html =~ m{<h2><a\ id="logging">.*?
        <table\ class="data">(.*?)</table>(.*?)</p>}sx;
    my @rows = ($table // '') =~ m{<tr><td><code>(.*?)</code>}g;
    my @reasons = ($after // '') =~ m{<code>([a-z-]+)</code>}g;
    my %doc;
    for my $v (@rows) {
        if ($v =~ s{<var>reason</var>}{}) {
            $doc{"$v$_"} = 1 for @reasons;
        }
        else {
            $doc{$v} = 1;
        }
    }
    delete $doc{'actual:denied:method'};
    delete $doc{'actual:denied:headers'};
    my %got = map { $_->[4] => 1 } @cases;
    is(join(' ', sort keys %doc), join(' ', sort keys %got),
       'docs/mod_cors.html#logging: the table names every note value the '
       . 'cases produce, and no other');
}


done_testing();
