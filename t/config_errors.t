# docs/mod_cors.html#checks: every invalid configuration makes
# "httpd -t" fail with a message naming the directive and the bad value,
# and valid configurations of the same shape pass, so the test cannot pass
# by everything failing.  Each case is a throwaway config (the LoadModule
# lines of t/conf/base.conf plus mod_cors from the build directory); the
# running test server is not used.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);

use lib 't/lib';
use CorsTest qw(httpd_t scratch_dir in_directory directives);

# [ directive lines, strings the output must contain ]
my @bad = (
    # origin patterns
    [ 'CORSAllowOrigin https://a.example/path',
      'CORSAllowOrigin', 'https://a.example/path' ],
    [ 'CORSAllowOrigin https://a.example/',
      'CORSAllowOrigin', 'https://a.example/' ],
    [ 'CORSAllowOrigin https://a.example?q=1',
      'CORSAllowOrigin', 'https://a.example?q=1' ],
    [ 'CORSAllowOrigin https://a.example#frag',
      'CORSAllowOrigin', 'https://a.example#frag' ],
    [ 'CORSAllowOrigin https://user@a.example',
      'CORSAllowOrigin', 'https://user@a.example' ],
    [ 'CORSAllowOrigin https://user:pw@a.example',
      'CORSAllowOrigin', 'https://user:pw@a.example' ],
    [ 'CORSAllowOrigin "https://a .com"',
      'CORSAllowOrigin', 'https://a .com' ],
    [ qq{CORSAllowOrigin "https://a.example\t"},
      'CORSAllowOrigin', 'https://a.example' ],
    [ 'CORSAllowOrigin "https://a.example "',
      'CORSAllowOrigin', 'https://a.example ' ],
    [ 'CORSAllowOrigin a.example', 'CORSAllowOrigin', 'a.example' ],
    [ 'CORSAllowOrigin https:a.example',
      'CORSAllowOrigin', 'https:a.example' ],
    [ 'CORSAllowOrigin //a.example', 'CORSAllowOrigin', '//a.example' ],
    [ 'CORSAllowOrigin https://', 'CORSAllowOrigin', 'https://' ],
    [ 'CORSAllowOrigin https://:8443', 'CORSAllowOrigin', 'https://:8443' ],
    [ 'CORSAllowOrigin https://a..example',
      'CORSAllowOrigin', 'https://a..example' ],
    [ 'CORSAllowOrigin https://.a.example',
      'CORSAllowOrigin', 'https://.a.example' ],
    [ 'CORSAllowOrigin https://a.example.',
      'CORSAllowOrigin', 'https://a.example.' ],
    [ 'CORSAllowOrigin https://*..example',
      'CORSAllowOrigin', 'https://*..example' ],
    [ 'CORSAllowOrigin https://a.example:0',
      'CORSAllowOrigin', 'https://a.example:0' ],
    [ 'CORSAllowOrigin https://a.example:65536',
      'CORSAllowOrigin', 'https://a.example:65536' ],
    [ 'CORSAllowOrigin https://a.example:',
      'CORSAllowOrigin', 'https://a.example:' ],
    [ 'CORSAllowOrigin https://a.example:+80',
      'CORSAllowOrigin', 'https://a.example:+80' ],
    [ 'CORSAllowOrigin https://a*.example.com',
      'CORSAllowOrigin', 'https://a*.example.com' ],
    [ 'CORSAllowOrigin https://*', 'CORSAllowOrigin', 'https://*' ],
    [ 'CORSAllowOrigin https://example.*',
      'CORSAllowOrigin', 'https://example.*' ],
    [ 'CORSAllowOrigin https://a.*.example',
      'CORSAllowOrigin', 'https://a.*.example' ],
    [ 'CORSAllowOrigin https://*.*.example',
      'CORSAllowOrigin', 'https://*.*.example' ],
    [ 'CORSAllowOrigin https://*example.com',
      'CORSAllowOrigin', 'https://*example.com' ],
    [ 'CORSAllowOrigin *://a.example', 'CORSAllowOrigin', '*://a.example' ],
    [ 'CORSAllowOrigin https://a.example:8*',
      'CORSAllowOrigin', 'https://a.example:8*' ],

    # "*" and "none" with anything else in one section
    [ 'CORSAllowOrigin * https://a.example', 'CORSAllowOrigin', '*' ],
    [ 'CORSAllowOrigin https://a.example *', 'CORSAllowOrigin', '*' ],
    [ "CORSAllowOrigin https://a.example\nCORSAllowOrigin *",
      'CORSAllowOrigin', '*' ],
    [ "CORSAllowOrigin *\nCORSAllowOrigin null", 'CORSAllowOrigin', '*' ],
    [ 'CORSAllowOrigin none https://a.example', 'CORSAllowOrigin', 'none' ],
    [ 'CORSAllowOrigin https://a.example none', 'CORSAllowOrigin', 'none' ],
    [ "CORSAllowOrigin none\nCORSAllowOrigin https://a.example",
      'CORSAllowOrigin', 'none' ],
    [ "CORSAllowOrigin *\nCORSAllowOriginMatch ^https://a\\.example\$",
      'CORSAllowOrigin', '*' ],
    [ "CORSAllowOriginMatch ^https://a\\.example\$\nCORSAllowOrigin *",
      'CORSAllowOrigin', '*' ],
    [ "CORSAllowOrigin none\nCORSAllowOriginMatch ^https://a\\.example\$",
      'CORSAllowOrigin', 'none' ],
    [ "CORSAllowOriginMatch ^https://a\\.example\$\nCORSAllowOrigin none",
      'CORSAllowOrigin', 'none' ],

    # regexes
    [ 'CORSAllowOriginMatch ^https://(a', 'CORSAllowOriginMatch',
      '^https://(a' ],
    [ 'CORSAllowOriginMatch [a-', 'CORSAllowOriginMatch', '[a-' ],
    [ 'CORSAllowOriginMatch *a', 'CORSAllowOriginMatch', '*a' ],
    # compiles once anchored as ^(?:...)$, but not on its own
    [ 'CORSAllowOriginMatch a)|(.*', 'CORSAllowOriginMatch', 'a)|(.*' ],

    # tokens
    [ 'CORSAllowMethods "PU T"', 'CORSAllowMethods', 'PU T' ],
    [ 'CORSAllowMethods GET,PUT', 'CORSAllowMethods', 'GET,PUT' ],
    [ 'CORSAllowMethods P(UT', 'CORSAllowMethods', 'P(UT' ],
    [ 'CORSAllowHeaders X-A:', 'CORSAllowHeaders', 'X-A:' ],
    [ 'CORSAllowHeaders "X A"', 'CORSAllowHeaders', 'X A' ],
    [ 'CORSAllowHeaders X/Y', 'CORSAllowHeaders', 'X/Y' ],
    [ 'CORSExposeHeaders X@Y', 'CORSExposeHeaders', 'X@Y' ],
    [ 'CORSExposeHeaders X-A,X-B', 'CORSExposeHeaders', 'X-A,X-B' ],
    [ 'CORSAllowMethods CONNECT', 'CORSAllowMethods', 'CONNECT' ],
    [ 'CORSAllowMethods PUT TRACE', 'CORSAllowMethods', 'TRACE' ],
    [ 'CORSAllowMethods track', 'CORSAllowMethods', 'track' ],
    [ 'CORSAllowMethods Connect', 'CORSAllowMethods', 'Connect' ],
    [ 'CORSAllowMethods * CONNECT', 'CORSAllowMethods', 'CONNECT' ],

    # numbers
    [ 'CORSMaxAge -1', 'CORSMaxAge', '-1' ],
    [ 'CORSMaxAge 86401', 'CORSMaxAge', '86401' ],
    [ 'CORSMaxAge 1.5', 'CORSMaxAge', '1.5' ],
    [ 'CORSMaxAge abc', 'CORSMaxAge', 'abc' ],
    [ 'CORSMaxAge 100000000000', 'CORSMaxAge', '100000000000' ],
    [ 'CORSMaxAge 5s', 'CORSMaxAge', '5s' ],
    [ 'CORSPreflightStatus 201', 'CORSPreflightStatus', '201' ],
    [ 'CORSPreflightStatus 404', 'CORSPreflightStatus', '404' ],
    [ 'CORSCrossOriginProtection Maybe', 'CORSCrossOriginProtection',
      'Maybe' ],
    [ 'CORSCrossOriginProtection On Off', 'CORSCrossOriginProtection' ],
    # On/Off directives: httpd's own message for a FLAG directive
    [ 'CORSAllowCredentials yes', 'CORSAllowCredentials' ],
    [ 'CORSAllowPrivateNetwork 1', 'CORSAllowPrivateNetwork' ],
    [ 'CORSStatus yes', 'CORSStatus', 'yes' ],
    [ 'CORSShadow maybe', 'CORSShadow', 'maybe' ],
    # origin list files (t/origin_file.t has their lines)
    [ 'CORSAllowOriginFile /nonexistent/tenant.origins',
      'CORSAllowOriginFile', '/nonexistent/tenant.origins' ],
    [ "CORSAllowOrigin *\nCORSAllowOriginFile /dev/null",
      'CORSAllowOriginFile', '*' ],
);

# Messages say what to write instead, for the directive at hand, in a
# whole sentence (docs/mod_cors.html#checks): each exact text.
for my $case (
    [ 'CORSAllowHeaders X-A,X-B',
      'CORSAllowHeaders: "X-A,X-B" contains a comma: separate values with '
      . 'spaces, not commas, e.g. CORSAllowHeaders Content-Type X-Token.' ],
    [ 'CORSExposeHeaders X-A,X-B',
      'CORSExposeHeaders: "X-A,X-B" contains a comma: separate values with '
      . 'spaces, not commas, e.g. CORSExposeHeaders X-Total X-Page.' ],
    [ 'CORSAllowMethods PUT,DELETE',
      'CORSAllowMethods: "PUT,DELETE" contains a comma: separate values '
      . 'with spaces, not commas, e.g. CORSAllowMethods PUT DELETE.' ],
    [ 'CORSMaxAge 600,',
      'CORSMaxAge: "600," is not a whole number of seconds from 0 to '
      . '86400; write e.g. CORSMaxAge 600.' ],
    [ "CORSAllowCredentials On\nCORSExposeHeaders *",
      'CORSExposeHeaders: CORSAllowCredentials On cannot be combined with '
      . 'CORSExposeHeaders * in one section: browsers read * as a header '
      . 'name when credentials are included; list the header names scripts '
      . 'may read instead, e.g. CORSExposeHeaders X-Total X-Page.' ],
    [ "CORSAllowOrigin *\nCORSAllowPrivateNetwork On",
      'CORSAllowPrivateNetwork: CORSAllowPrivateNetwork On cannot be '
      . 'combined with CORSAllowOrigin * in one section: a site that is not '
      . 'trusted could reach the private network; list the origins to trust '
      . 'instead, e.g. CORSAllowOrigin https://app.example.com.' ],
    [ "CORSAllowOriginMatch ^https://[a-z]+\\.github\\.io\$\n"
      . 'CORSAllowCredentials On',
      'CORSAllowCredentials: CORSAllowCredentials On cannot be combined '
      # httpd's log writes every backslash twice
      . 'with CORSAllowOriginMatch "^https://[a-z]+\\\\.github\\\\.io$" (it '
      . 'names no domain literally) in one section: its origins can never '
      . 'be trusted with credentials; name the domain literally, e.g. '
      . '^https://([a-z0-9-]+\\\\.)*example\\\\.com$, or list the origins.' ],
    [ "CORSAllowPrivateNetwork On\nCORSAllowOriginMatch ^https://.*\$",
      'CORSAllowOriginMatch: CORSAllowPrivateNetwork On cannot be combined '
      . 'with CORSAllowOriginMatch "^https://.*$" (it allows every site) '
      . 'in one section: a site that is not trusted could reach the private '
      . 'network; list the origins to trust instead, e.g. CORSAllowOrigin '
      . 'https://app.example.com.' ],
    [ 'CORSAllowCredentials yes',
      'CORSAllowCredentials: "yes" is not On or Off; write '
      . 'CORSAllowCredentials On or CORSAllowCredentials Off.' ],
    [ 'CORSAllowPrivateNetwork 1',
      'CORSAllowPrivateNetwork: "1" is not On or Off; write '
      . 'CORSAllowPrivateNetwork On or CORSAllowPrivateNetwork Off.' ],
    [ 'CORSCrossOriginProtection Maybe',
      'CORSCrossOriginProtection: "Maybe" is not On, Off or ReportOnly; '
      . 'write one of them.' ],
) {
    my ($lines, $want) = @$case;
    (my $label = $lines) =~ s/\n/ + /g;
    my ($rc, $out) = httpd_t(in_directory($lines));
    ok($rc != 0 && grep({ $_ eq $want } split /\n/, $out),
       "$label: the message, exactly") or diag($out);
}
for my $v (qw(On on OFF Off)) {
    my ($rc, $out) = httpd_t(in_directory(
        "CORSAllowOrigin https://a.example\nCORSAllowCredentials $v\n"
        . "CORSAllowPrivateNetwork $v"));
    is($rc, 0, "CORSAllowCredentials and CORSAllowPrivateNetwork $v: "
               . 'accepted') or diag($out);
}

# Every directive of the command table has a bad value above.
{
    my %tested = map { $_->[0] =~ /^(CORS\w+)/ ? ($1 => 1) : () } @bad;
    my %table = directives();
    is_deeply([sort keys %tested], [sort keys %table],
              'every directive of the command table has a bad case');
}

# Credentials with "*", null, CORSExposeHeaders * or a public suffix, in
# one section, in both orders of the lines.
for my $clash (
    [ 'CORSAllowOrigin *', '*' ],
    [ 'CORSAllowOrigin null', 'null' ],
    [ "CORSAllowOrigin https://a.example\nCORSExposeHeaders *",
      'CORSExposeHeaders', '*' ],
    [ 'CORSAllowOrigin https://*.com', 'https://*.com' ],
    [ 'CORSAllowOrigin https://*.co.uk', 'https://*.co.uk' ],
    [ 'CORSAllowOrigin https://*.github.io', 'https://*.github.io' ],
    [ 'CORSAllowOrigin https://a.example https://*.com:*', 'https://*.com' ],
    # a regex that matches any origin reflects them all
    [ 'CORSAllowOriginMatch .*', 'CORSAllowOriginMatch', '.*' ],
    [ 'CORSAllowOriginMatch https?://.+', 'CORSAllowOriginMatch',
      'https?://.+' ],
    # a regex that names no domain literally trusts no origin
    # (docs/mod_cors.html#trust)
    [ 'CORSAllowOriginMatch ^https://[a-z]+\.github\.io$',
      'names no domain literally' ],
    [ 'CORSAllowOriginMatch ^https?://.+[.](com|net|org|io)$',
      'names no domain literally' ],
) {
    my ($lines, @must) = @$clash;
    push @bad, [ "CORSAllowCredentials On\n$lines", 'CORSAllowCredentials',
                 @must ];
    push @bad, [ "$lines\nCORSAllowCredentials On", 'CORSAllowCredentials',
                 @must ];
}

# The same shapes, valid.
my @good = (
    'CORSAllowOrigin https://a.example',
    'CORSAllowOrigin "https://a.example"',
    'CORSAllowOrigin HTTPS://A.Example:443 http://b.example:80',
    'CORSAllowOrigin https://a.example:1 https://b.example:65535',
    'CORSAllowOrigin http://localhost:* https://*.example.com',
    'CORSAllowOrigin https://*.a.example:8443 https://a-b_c.example',
    'CORSAllowOrigin https://[::1]:8443 http://127.0.0.1:8080',
    'CORSAllowOrigin *',
    'CORSAllowOrigin none',
    'CORSAllowOrigin null',
    "CORSAllowOrigin https://a.example\nCORSAllowOrigin https://b.example",
    "CORSAllowOrigin https://a.example null\n"
        . "CORSAllowOriginMatch ^https://c\\.example\$",
    'CORSAllowOriginMatch ^https://(a|b)\.example$',
    "CORSAllowOriginMatch a\nCORSAllowOriginMatch b",
    'CORSAllowMethods PUT DELETE PATCH patch',
    'CORSAllowMethods *',
    'CORSAllowMethods put options',
    'CORSAllowHeaders X-A Content-Type',
    'CORSAllowHeaders *',
    "CORSExposeHeaders X-A X-B\nCORSExposeHeaders X-C",
    'CORSExposeHeaders *',
    'CORSMaxAge 0',
    'CORSMaxAge 86400',
    'CORSPreflightStatus 200',
    'CORSPreflightStatus 204',
    'CORSAllowPrivateNetwork On',
    "CORSAllowPrivateNetwork Off\nCORSAllowCredentials Off",
    "CORSAllowCredentials On\nCORSAllowOrigin https://*.example.com",
    "CORSAllowOrigin https://*.example.com\nCORSAllowCredentials On",
    "CORSAllowCredentials On\nCORSAllowOrigin https://*.example.co.uk",
    "CORSAllowCredentials On\nCORSAllowOrigin https://a.github.io",
    "CORSAllowOrigin https://a.example\nCORSAllowCredentials On\n"
        . "CORSExposeHeaders X-A",
    "CORSAllowOriginMatch ^https://a\\.example\$\nCORSAllowCredentials On",
    # a lookalike slips past this regex, but is not trusted: a warning
    "CORSAllowOriginMatch ^https://.*myapp\\.(com|net)\$\n"
        . 'CORSAllowCredentials On',
    "CORSAllowOriginMatch ^https://.*example[.]com\$\n"
        . 'CORSAllowPrivateNetwork On',
    'CORSStatus On',
    'CORSStatus off',
    "CORSAllowOrigin https://a.example\nCORSShadow On",
    'CORSShadow off',
    "CORSAllowCredentials Off\nCORSAllowOrigin *\nCORSExposeHeaders *",
    "CORSAllowOrigin *\nCORSAllowCredentials Off",
);

# Checks apply in every context: the bad CORSMaxAge at server level, in a
# virtual host and in a <Location>, outside any <Directory>.
my @contexts = (
    [ 'server config', "CORSMaxAge 86401\n" ],
    [ 'virtual host', "<VirtualHost 127.0.0.1:1>\n"
                      . "    CORSMaxAge 86401\n</VirtualHost>\n" ],
    [ '<Location>', "<Location /x>\n    CORSMaxAge 86401\n</Location>\n" ],
);

# "*" and credentials in different sections is not a startup error.
my @good_raw = (
    [ 'credentials in the parent, * in the child', sub {
        my ($dir) = @_;
        return <<"EOF";
<Directory "$dir/site">
    CORSAllowCredentials On
    CORSAllowOrigin https://a.example
</Directory>
<Directory "$dir/site/sub">
    CORSAllowOrigin *
</Directory>
EOF
    } ],
    [ '* at server level, credentials in a <Location>', sub {
        return "CORSAllowOrigin *\n<Location /x>\n"
               . "    CORSAllowCredentials On\n</Location>\n";
    } ],
);

for my $case (@bad) {
    my ($lines, @must) = @$case;
    (my $label = $lines) =~ s/\n/ + /g;
    my ($rc, $out) = httpd_t(in_directory($lines));

    ok($rc != 0 && $out !~ /Invalid command/,
       "-t fails: $label") or diag($out);
    like($out, qr/\Q$must[0]\E/, "... the output names $must[0]");
    my @missing = grep { index($out, $_) < 0 } @must[1 .. $#must];
    ok(!@missing, '... and ' . join(' and ', map { "'$_'" } @must[1 .. $#must]))
        or diag("missing: @missing\noutput: $out");
}

for my $case (@contexts) {
    my ($where, $body) = @$case;
    my ($rc, $out) = httpd_t($body);
    ok($rc != 0 && $out !~ /Invalid command/,
       "-t fails: CORSMaxAge 86401 in $where") or diag($out);
    ok(index($out, 'CORSMaxAge') >= 0 && index($out, '86401') >= 0,
       "... naming CORSMaxAge and 86401") or diag($out);
}

for my $lines (@good) {
    (my $label = $lines) =~ s/\n/ + /g;
    my ($rc, $out) = httpd_t(in_directory($lines));
    is($rc, 0, "-t passes: $label") or diag($out);
    like($out, qr/Syntax OK/, '... Syntax OK');
}

for my $case (@good_raw) {
    my ($label, $body) = @$case;
    my ($rc, $out) = httpd_t($body->(scratch_dir()));
    is($rc, 0, "-t passes: $label") or diag($out);
    like($out, qr/Syntax OK/, '... Syntax OK');
}

done_testing();
