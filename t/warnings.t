# docs/mod_cors.html#checks, warnings at startup: null allowed without
# credentials, a "*." pattern under a public suffix without credentials,
# and an http:// origin other than localhost or a loopback address with
# credentials each give a warn-level line naming the origin; the
# configuration still passes "httpd -t".  Neighbouring configurations give
# no warning.  The running test server logged the warning for the line in
# t/conf/config.conf.in at startup.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use File::Spec::Functions qw(catfile);

use lib 't/lib';
use CorsTest qw(httpd_t in_directory);

# [ directive lines, the value the warning must name ]
my @warn = (
    [ 'CORSAllowOrigin null', 'null' ],
    [ "CORSAllowOrigin https://a.example null\nCORSAllowCredentials Off",
      'null' ],
    [ 'CORSAllowOrigin https://*.github.io', 'https://*.github.io' ],
    [ 'CORSAllowOrigin https://*.com', 'https://*.com' ],
    [ 'CORSAllowOrigin https://*.co.uk:*', 'https://*.co.uk' ],
    [ "CORSAllowOrigin http://app.example\nCORSAllowCredentials On",
      'http://app.example' ],
    [ "CORSAllowCredentials On\nCORSAllowOrigin http://app.example:8080",
      'http://app.example:8080' ],
    [ "CORSAllowCredentials On\nCORSAllowOrigin http://10.0.0.1",
      'http://10.0.0.1' ],
    [ "CORSAllowCredentials On\nCORSAllowOrigin http://*.example.com",
      'http://*.example.com' ],
    [ "CORSAllowCredentials On\nCORSAllowOrigin http://localhost.example",
      'http://localhost.example' ],
    # what a list says less than it seems to
    [ 'CORSAllowMethods * PUT', 'CORSAllowMethods: "PUT" beside * has no '
      . 'effect: * allows every method; write CORSAllowMethods * alone.' ],
    [ 'CORSAllowMethods PUT *', '"PUT" beside * has no effect' ],
    [ 'CORSAllowHeaders * Authorization X-B', 'CORSAllowHeaders: "X-B" '
      . 'beside * has no effect: * allows every header but Authorization; '
      . 'write CORSAllowHeaders * alone, or CORSAllowHeaders * '
      . 'Authorization.' ],
    [ 'CORSExposeHeaders * X-A', 'CORSExposeHeaders: "X-A" beside * '
      . 'matters only for requests with credentials, where browsers read * '
      . 'as a header name; without credentials * exposes every header.' ],
    [ 'CORSAllowHeaders X-Token Cookie', 'CORSAllowHeaders: "Cookie" is a '
      . 'forbidden request header: a page can never set it, so listing it '
      . 'has no effect; remove it.' ],
    [ 'CORSAllowHeaders Sec-Fetch-Mode', '"Sec-Fetch-Mode" is a forbidden' ],
    [ 'CORSAllowHeaders proxy-authorization',
      '"proxy-authorization" is a forbidden' ],
    [ 'CORSAllowHeaders X-Token accept-language', 'CORSAllowHeaders: '
      . '"accept-language" is a CORS-safelisted request header: browsers '
      . 'send it without a preflight unless its value is unusually long or '
      . 'holds unusual characters; list it only for such values.' ],
    [ 'CORSAllowHeaders Accept', '"Accept" is a CORS-safelisted' ],
    [ 'CORSAllowMethods PUT options', 'CORSAllowMethods: "OPTIONS" is '
      . 'needed only where pages send OPTIONS requests themselves: '
      . 'preflights need no listing (the module answers them).' ],
    # regexes (docs/mod_cors.html#trust); httpd's log doubles backslashes
    [ 'CORSAllowOriginMatch ^https://.*example\\.com$',
      'CORSAllowOriginMatch: regex "^https://.*example\\\\.com$" also '
      . 'matches the lookalike origin https://evilexample.com, whose pages '
      . 'can then read responses (it gets no credentials, private network '
      . 'access or cross-origin protection\'s trust: its registrable domain '
      . 'is not in the regex\'s domain set); anchor the host and escape its '
      . 'dots, e.g. ^https://([a-z0-9-]+\\\\.)*example\\\\.com$.' ],
    [ 'CORSAllowOriginMatch .+\\.example\\.com',
      'CORSAllowOriginMatch: regex ".+\\\\.example\\\\.com" has no "://": it '
      . 'is matched against the whole scheme://host[:port], so it matches '
      . 'http:// origins such as http://evil.example.com; write the scheme, '
      . 'e.g. ^https://([a-z0-9-]+\\\\.)*example\\\\.com$.' ],
    [ 'CORSAllowOriginMatch ^https://.*$',
      'CORSAllowOriginMatch: regex "^https://.*$" allows every site (it '
      . 'matches https://mod-cors-canary.invalid); use CORSAllowOrigin * if '
      . 'that is meant.' ],
    [ "CORSCrossOriginProtection On\n"
      . 'CORSAllowOriginMatch ^https://[a-z]+\\.github\\.io$',
      'cross-origin protection trusts none of the origins of '
      . 'CORSAllowOriginMatch "^https://[a-z]+\\\\.github\\\\.io$" (it names '
      . 'no domain literally); name the domain literally' ],
    [ 'CORSAllowOriginMatch ^https://[a-z]+\\.github\\.io$'
      . "\nCORSCrossOriginProtection ReportOnly",
      'cross-origin protection trusts none of the origins of' ],
);

my @quiet = (
    "CORSAllowCredentials On\nCORSAllowOrigin http://localhost:3000",
    "CORSAllowOrigin http://127.0.0.1:8080\nCORSAllowCredentials On",
    "CORSAllowCredentials On\nCORSAllowOrigin http://[::1]:8080",
    "CORSAllowCredentials On\nCORSAllowOrigin http://localhost:*",
    "CORSAllowCredentials On\nCORSAllowOrigin http://127.0.0.2",
    "CORSAllowCredentials On\nCORSAllowOrigin https://app.example",
    "CORSAllowCredentials On\nCORSAllowOrigin https://*.example.com",
    'CORSAllowOrigin http://app.example',
    'CORSAllowOrigin https://*.example.com',
    'CORSAllowOrigin https://*.example.co.uk',
    'CORSAllowOrigin https://a.github.io',
    'CORSAllowOrigin *',
    'CORSAllowOrigin none',
    'CORSAllowHeaders * Authorization',
    'CORSAllowHeaders Content-Type Authorization X-Token',
    'CORSAllowHeaders Content-Type Range',
    'CORSAllowMethods PUT DELETE PATCH',
    'CORSAllowOriginMatch ^https://([a-z0-9-]+\\.)*example\\.com$',
    "CORSAllowOriginMatch ^https://app\\.example\\.com\$\n"
        . 'CORSCrossOriginProtection On',
    'CORSAllowOriginMatch ^https://[a-z]+\\.github\\.io$',
    'CORSAllowMethods *',
    'CORSExposeHeaders X-Total X-Page',
    "CORSAllowOrigin https://a.example\nCORSMaxAge 7200",
);

sub warn_lines {
    my ($text) = @_;
    return grep { /\[cors:warn\]/ } split /\n/, $text;
}

for my $case (@warn) {
    my ($lines, $value) = @$case;
    (my $label = $lines) =~ s/\n/ + /g;
    my ($rc, $out) = httpd_t(in_directory($lines));
    is($rc, 0, "-t passes: $label") or diag($out);
    ok(scalar(grep { index($_, $value) >= 0 } warn_lines($out)),
       "... with a warn-level line naming $value") or diag($out);
}

for my $lines (@quiet) {
    (my $label = $lines) =~ s/\n/ + /g;
    my ($rc, $out) = httpd_t(in_directory($lines));
    is($rc, 0, "-t passes: $label") or diag($out);
    is(scalar(warn_lines($out)), 0, '... without a warning') or diag($out);
}

# The running server: config.conf.in has an http:// origin with
# credentials; its warning was logged while the server started.
{
    # a CORS request logs a debug line tied to it: the "taking requests"
    # marker below
    Apache::TestRequest::GET('/note/', Origin => 'https://app.example');
    open my $fh, '<', catfile(Apache::Test::vars('t_logs'), 'error_log')
        or die $!;
    my @log = <$fh>;
    my ($warn_at) = grep {
        $log[$_] =~ /\[cors:warn\]/
            && index($log[$_], 'http://cfg-startup-warning.example') >= 0
    } 0 .. $#log;
    # the first request's line (httpd -X never says "resuming normal
    # operations", so that is no marker under scripts/valgrind)
    my ($ready_at) = grep { $log[$_] =~ /\[client / } 0 .. $#log;

    ok(defined $warn_at,
       'the test server\'s error_log warns about '
       . 'http://cfg-startup-warning.example');
    ok(defined $warn_at && $log[$warn_at] !~ /\[client /,
       '... not tied to a request');
    ok(defined $warn_at && defined $ready_at && $warn_at < $ready_at,
       '... logged at startup, before the server took requests');
    # httpd reads its configuration twice at startup: the warning once
    is(scalar(grep { /\[cors:warn\]/
                     && index($_, 'http://cfg-startup-warning.example') >= 0 }
              @log[0 .. ($ready_at // $#log)]), 1,
       '... exactly once');
}

done_testing();
