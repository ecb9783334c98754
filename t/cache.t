# mod_cache (disk) in front of a CORS resource never hands one origin's
# answer to another: requests from origin A, origin B, a denied origin and
# no origin, in several orders, each get exactly the
# Access-Control-Allow-Origin meant for them (docs/mod_cors.html#requests:
# the request's own Origin value, or nothing) and Vary: Origin, whether
# the response comes from the handler or from the cache.  Run with
# CacheQuickHandler On (hits skip every per-directory hook) and Off, and
# with conditional requests answered 304.  "CacheHeader On" shows that
# hits happen, so the cache is really in play.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS);
use Apache::TestUtil qw(t_mkdir);

use lib 't/lib';
use CorsTest qw(ac_on_304 needs_modules);

needs_modules(qw(cache cache_disk));

my $logs = Apache::Test::vars('t_logs');
t_mkdir("$logs/$_") for qw(cache_quick cache_handler);

# Origin sent, and the ACAO it must get (undef: none).
my %kinds = (
    A      => ['https://a.example', 'https://a.example'],
    B      => ['https://b.example', 'https://b.example'],
    Aupper => ['HTTPS://A.EXAMPLE', 'HTTPS://A.EXAMPLE'],
    denied => ['https://evil.example', undef],
    none   => [undef, undef],
);

# Orders of requests; "?kind" is a conditional request (If-None-Match
# with the file's ETag), answered 304.
my @orders = (
    [qw(A B denied none A B denied none)],
    [qw(none B A none B A)],
    [qw(denied A denied B none A B)],
    [qw(A A B B none none denied denied)],
    [qw(A Aupper A Aupper B)],
    [qw(none none A ?A ?none ?B B ?B ?denied ?A)],
    [qw(B ?A ?B ?denied ?none A denied none)],
);

my $steps = 0;
$steps += @$_ for @orders;
my @vhosts = qw(cache_quick cache_handler);
# per step: status, ACAO, ACAC, ACEH, Vary; per vhost: hits, preflights
for my $vhost (@vhosts) {
    Apache::TestRequest::module($vhost);
    my ($hits, $allowed_hits) = (0, 0);
    my $n = 0;
    for my $order (@orders) {
        # a fresh URL (and cache entry) for every order
        my $url = '/cache/data.txt?order=' . ++$n;
        my $etag = GET($url)->header('ETag');   # primes the no-origin entry
        my $i = 0;
        for my $step (@$order) {
            my ($cond, $kind) = $step =~ /^(\??)(\w+)$/;
            my ($origin, $acao) = @{ $kinds{$kind} };
            my $name = "$vhost $url step " . ++$i . " ($step)";
            my $res = GET($url, (defined $origin ? (Origin => $origin) : ()),
                          ($cond ? ('If-None-Match' => $etag) : ()));
            if (($res->header('X-Cache') // '') =~ /^HIT/) {
                $hits++;
                $allowed_hits++ if defined $acao;
            }
            check($name, $res, $cond ? 304 : 200,
                  $cond && !ac_on_304() ? undef : $acao);
        }
    }
    ok($hits > 0, "$vhost: $hits responses came from the cache");
    ok($allowed_hits > 0,
       "$vhost: $allowed_hits of them to an allowed origin");

    # Preflights are never taken from the cache.
    for my $kind (qw(A B denied)) {
        my ($origin, $acao) = @{ $kinds{$kind} };
        my $res = OPTIONS('/cache/data.txt?order=1', Origin => $origin,
                          'Access-Control-Request-Method' => 'PUT');
        is($res->code, defined $acao ? 204 : 403,
           "$vhost preflight $kind: status");
        is_deeply([$res->header('Access-Control-Allow-Origin')],
                  [defined $acao ? $acao : ()],
                  "$vhost preflight $kind: ACAO");
        is($res->header('Access-Control-Allow-Methods'),
           defined $acao ? 'PUT' : undef, "$vhost preflight $kind: ACAM");
    }
}

sub check {
    my ($name, $res, $status, $acao) = @_;
    is($res->code, $status, "$name: status");
    is_deeply([$res->header('Access-Control-Allow-Origin')],
              [defined $acao ? $acao : ()], "$name: ACAO");
    is_deeply([$res->header('Access-Control-Allow-Credentials')],
              [defined $acao ? 'true' : ()], "$name: ACAC");
    is_deeply([map { lc } $res->header('Access-Control-Expose-Headers')],
              [defined $acao ? 'x-cache' : ()], "$name: ACEH");
    my @vary = grep { lc $_ eq 'origin' }
               map { split /\s*,\s*/ } $res->header('Vary');
    is(scalar @vary, 1, "$name: Vary names Origin once");
}

done_testing();
