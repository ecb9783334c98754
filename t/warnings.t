# SPEC.md "Warnings in the error log at startup": null allowed without
# credentials, a "*." pattern under a public suffix without credentials,
# and an http:// origin other than localhost or a loopback address with
# credentials each give a warn-level line naming the origin; the
# configuration still passes "httpd -t".  Neighbouring configurations give
# no warning.  The running test server logged the warning for the line in
# t/conf/config.conf.in at startup.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use File::Spec::Functions qw(catfile);
use File::Temp qw(tempdir);

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
);

plan tests => 2 * @warn + 2 * @quiet + 3;

my $dir = tempdir(DIR => Apache::Test::vars('t_logs'), CLEANUP => 1);
my $httpd = Apache::Test::vars('httpd');

my $head = do {
    open my $fh, '<', catfile(Apache::Test::vars('t_conf'), 'base.conf')
        or die $!;
    my @keep = grep { /^\s*(ServerRoot|LoadModule)\s/ } <$fh>;
    my $so = catfile(Apache::Test::vars('serverroot'), '..', '.libs',
                     'mod_cors.so');
    join('', @keep) . <<"EOF";
LoadModule cors_module "$so"
ServerName 127.0.0.1
PidFile "$dir/httpd.pid"
DefaultRuntimeDir "$dir"
Mutex file:$dir
ErrorLog "$dir/error_log"
EOF
};

my $n = 0;

sub configtest {
    my ($lines) = @_;
    $lines =~ s/^/    /mg;
    my $conf = catfile($dir, sprintf('warn%03d.conf', ++$n));
    open my $fh, '>', $conf or die $!;
    print $fh $head, qq{<Directory "$dir/site">\n$lines\n</Directory>\n};
    close $fh;

    my $pid = open(my $out, '-|') // die "fork: $!";
    if (!$pid) {
        open STDERR, '>&', \*STDOUT;
        no warnings 'exec';
        exec $httpd, '-t', '-f', $conf;
        exit 127;
    }
    local $/;
    my $text = <$out> // '';
    close $out;
    return ($? >> 8, $text);
}

sub warn_lines {
    my ($text) = @_;
    return grep { /\[cors:warn\]/ } split /\n/, $text;
}

for my $case (@warn) {
    my ($lines, $value) = @$case;
    (my $label = $lines) =~ s/\n/ + /g;
    my ($rc, $out) = configtest($lines);
    is($rc, 0, "-t passes: $label") or diag($out);
    ok(scalar(grep { index($_, $value) >= 0 } warn_lines($out)),
       "... with a warn-level line naming $value") or diag($out);
}

for my $lines (@quiet) {
    (my $label = $lines) =~ s/\n/ + /g;
    my ($rc, $out) = configtest($lines);
    is($rc, 0, "-t passes: $label") or diag($out);
    is(scalar(warn_lines($out)), 0, '... without a warning') or diag($out);
}

# The running server: config.conf.in has an http:// origin with
# credentials; its warning was logged while the server started.
{
    open my $fh, '<', catfile(Apache::Test::vars('t_logs'), 'error_log')
        or die $!;
    my @log = <$fh>;
    my ($warn_at) = grep {
        $log[$_] =~ /\[cors:warn\]/
            && index($log[$_], 'http://cfg-startup-warning.example') >= 0
    } 0 .. $#log;
    my ($ready_at) = grep { $log[$_] =~ /resuming normal operations/ }
                          0 .. $#log;

    ok(defined $warn_at,
       'the test server\'s error_log warns about '
       . 'http://cfg-startup-warning.example');
    ok(defined $warn_at && $log[$warn_at] !~ /\[client /,
       '... not tied to a request');
    ok(defined $warn_at && defined $ready_at && $warn_at < $ready_at,
       '... logged at startup, before the server took requests');
}
