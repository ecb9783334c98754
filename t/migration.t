# Every claim of docs/migrating.md: the three most-copied CORS recipes
# (t/conf/migration.conf.in: r1 mod_headers, r2 SetEnvIf, r3 mod_rewrite)
# get the same request as their mod_cors twins (m1, m2, m3); the recipe's
# response shows its flaw, the twin's shows the fix.  Expectations for the
# twins follow the manual (docs/mod_cors.html); those for the recipes
# follow how httpd's mod_headers, mod_setenvif, mod_rewrite and
# mod_auth_basic work.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS);

my $acrm = 'Access-Control-Request-Method';
my $acrh = 'Access-Control-Request-Headers';

# [claim, recipe, method, file, request headers,
#  expected of the recipe, expected of the mod_cors twin]
# Expectations: status; acao (every Access-Control-Allow-Origin value,
# sorted; [] for none); acac (undef for none); vary (how often Origin is
# a Vary token); app (1 when the application ran, i.e. X-App is set).
my @cases = (
    # Recipe 1: Header set Access-Control-Allow-Origin "*" ...
    ['r1: what the recipe gets right: a plain GET',
     1, 'GET', 'data.json', [Origin => 'https://app.example.com'],
     {status => 200, acao => ['*']},
     {status => 200, acao => ['*']}],
    ['r1: the application sets its own Access-Control-Allow-Origin too',
     1, 'GET', 'app.cgi', [Origin => 'https://app.example.com'],
     {status => 200, acao => ['*', 'https://app.example.com'], app => 1},
     {status => 200, acao => ['*'], app => 1}],
    ['r1: "Header set" skips error responses',
     1, 'GET', 'missing.json', [Origin => 'https://app.example.com'],
     {status => 404, acao => []},
     {status => 404, acao => ['*']}],
    ['r1: a preflight behind Require valid-user',
     1, 'OPTIONS', 'private/data.json',
     [Origin => 'https://app.example.com', $acrm => 'PUT',
      $acrh => 'content-type, authorization'],
     {status => 401, acao => []},
     {status => 204, acao => ['*']}],
    ['r1: a preflight reaches the application',
     1, 'OPTIONS', 'app.cgi',
     [Origin => 'https://app.example.com', $acrm => 'PUT'],
     {status => 200, app => 1},
     {status => 204, app => 0, acao => ['*']}],

    # Recipe 2: SetEnvIf Origin "http(s)?://(www\.)?(example.com|...)$"
    ['r2: an unescaped dot lets https://staging-example.com in',
     2, 'GET', 'data.json', [Origin => 'https://staging-example.com'],
     {status => 200, acao => ['https://staging-example.com']},
     {status => 200, acao => [], vary => 1}],
    ['r2: "http(s)?" lets http://example.com in',
     2, 'GET', 'data.json', [Origin => 'http://example.com'],
     {status => 200, acao => ['http://example.com']},
     {status => 200, acao => [], vary => 1}],
    ['r2: a reflected origin without Vary: Origin',
     2, 'GET', 'data.json', [Origin => 'https://example.com'],
     {status => 200, acao => ['https://example.com'], vary => 0},
     {status => 200, acao => ['https://example.com'], vary => 1}],
    ['r2: "Header add" beside the application\'s own value',
     2, 'GET', 'app.cgi', [Origin => 'https://example.com'],
     {status => 200, acao => ['https://app.example.com',
                              'https://example.com'], app => 1},
     {status => 200, acao => ['https://example.com'], app => 1}],

    # Recipe 3: RewriteCond %{HTTP:Origin} (example\.com|example\.org)
    ['r3: what the recipe gets right: an allowed origin, with Vary',
     3, 'GET', 'data.json', [Origin => 'https://app.example.com'],
     {status => 200, acao => ['https://app.example.com'], acac => 'true',
      vary => 1},
     {status => 200, acao => ['https://app.example.com'], acac => 'true',
      vary => 1}],
    ['r3: an unanchored regex lets https://example.com.evil.net in',
     3, 'GET', 'data.json', [Origin => 'https://example.com.evil.net'],
     {status => 200, acao => ['https://example.com.evil.net'],
      acac => 'true'},
     {status => 200, acao => [], acac => undef, vary => 1}],
    ['r3: an unanchored regex lets https://evilexample.com in',
     3, 'GET', 'data.json', [Origin => 'https://evilexample.com'],
     {status => 200, acao => ['https://evilexample.com'], acac => 'true'},
     {status => 200, acao => [], acac => undef, vary => 1}],
    ['r3: an error response reflects the origin without Vary: Origin',
     3, 'GET', 'missing.json', [Origin => 'https://app.example.com'],
     {status => 404, acao => ['https://app.example.com'], acac => 'true',
      vary => 0},
     {status => 404, acao => ['https://app.example.com'], acac => 'true',
      vary => 1}],
    ['r3: a preflight behind Require valid-user',
     3, 'OPTIONS', 'private/data.json',
     [Origin => 'https://app.example.com', $acrm => 'PUT',
      $acrh => 'authorization'],
     {status => 401},
     {status => 204, acao => ['https://app.example.com'],
      acac => 'true'}],
);

for my $c (@cases) {
    my ($claim, $n, $method, $file, $headers, $recipe, $twin) = @$c;
    for my $side (["r$n", 'recipe', $recipe], ["m$n", 'mod_cors', $twin]) {
        my ($dir, $who, $want) = @$side;
        my $req = $method eq 'GET' ? \&GET : \&OPTIONS;
        my $res = $req->("/mig/$dir/$file", @$headers);
        check($res, $want, "$claim: $who");
    }
}

sub check {
    my ($res, $want, $name) = @_;
    if (exists $want->{status}) {
        is($res->code, $want->{status}, "$name: status");
    }
    if (exists $want->{acao}) {
        my @acao = sort $res->header('Access-Control-Allow-Origin');
        is_deeply(\@acao, $want->{acao},
                  "$name: Access-Control-Allow-Origin values")
            or diag($res->as_string);
    }
    if (exists $want->{acac}) {
        my @acac = $res->header('Access-Control-Allow-Credentials');
        is(join('|', @acac) || undef, $want->{acac},
           "$name: Access-Control-Allow-Credentials");
    }
    if (exists $want->{vary}) {
        my @tokens = grep { lc eq 'origin' }
                     map { s/^\s+|\s+$//gr } map { split /,/ }
                     $res->header('Vary');
        is(scalar @tokens, $want->{vary}, "$name: Origin in Vary");
    }
    if (exists $want->{app}) {
        is(defined $res->header('X-App') ? 1 : 0, $want->{app},
           "$name: the application ran");
    }
}

done_testing();
