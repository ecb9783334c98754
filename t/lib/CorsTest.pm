# Helpers shared by the t/*.t files: reading CORS headers off an
# HTTP::Response, sending preflights and raw requests, reading the test
# server's error_log, running a private httpd, and "httpd -t" on a
# throwaway configuration.  A test file loads it with
#
#     use lib 't/lib';
#     use CorsTest qw(once ac_names ...);
#
# (Apache::Test runs every test with the top of the tree as the current
# directory.)  Only the int_* functions assert (each says how many
# assertions it makes, for the test's plan); the rest return values for
# the test to compare.
package CorsTest;

use strict;
use warnings FATAL => 'all';

use Exporter qw(import);
use Apache::Test ();
use Apache::TestRequest ();
use File::Spec::Functions qw(catfile);
use File::Temp qw(tempdir);
use HTTP::Request ();
use HTTP::Response ();
use IO::Socket::INET ();
use POSIX ();
use Test::More ();
use Time::HiRes ();

our @EXPORT_OK = qw(
    once once_eq header_count list_of has_token vary_count
    ac_names no_ac_headers
    preflight request raw file_lines
    log_mark log_since conf_where note_for
    private_httpd stop_httpd
    httpd_t scratch_dir in_directory
    int_actual_allowed int_preflight_allowed int_denied int_not_granted
    ac_on_304 needs_modules directives
);

# --- response headers ---

# once($res, $name): every line of the header joined with '|', or undef
# when it is absent.  Compared with is(), it proves the header came
# exactly once with that value: a header sent twice shows up as "a|a".
sub once {
    my ($res, $name) = @_;
    my @v = $res->header($name);
    return @v ? join('|', @v) : undef;
}

# once_eq($res, $name, $want): true when the header came exactly once
# with the value $want (for use inside a larger ok() condition).
sub once_eq {
    my ($res, $name, $want) = @_;
    my $v = once($res, $name);
    return defined $v && $v eq $want;
}

# header_count($res, $name): how many lines of the header the response
# has (0 when it is absent).
sub header_count {
    my ($res, $name) = @_;
    my @v = $res->header($name);
    return scalar @v;
}

# list_of($res, $name): the elements of a comma-separated header, all its
# lines, each trimmed.  An empty element between two commas is kept, so
# that comparing the whole list catches a stray comma.
sub list_of {
    my ($res, $name) = @_;
    return map { s/^\s+|\s+$//gr } map { split /,/ } $res->header($name);
}

# has_token($res, $name, $token, $nocase): how many elements of the
# header are $token (case-insensitively when $nocase); true if any is.
sub has_token {
    my ($res, $name, $token, $nocase) = @_;
    return scalar grep { $nocase ? lc $_ eq lc $token : $_ eq $token }
                  list_of($res, $name);
}

# vary_count($res, $token): how many times $token is in Vary (field names
# are case-insensitive), e.g. is(vary_count($res, 'Origin'), 1).
sub vary_count {
    my ($res, $token) = @_;
    return has_token($res, 'Vary', $token, 1);
}

# ac_names($res): the Access-Control-* field names of the response, lower
# case, sorted, as an array ref: is_deeply(ac_names($res), []) proves
# there is none.
sub ac_names {
    my ($res) = @_;
    return [sort map { lc } grep { /^access-control-/i }
            $res->headers->header_field_names];
}

# no_ac_headers($res): true when the response has no Access-Control-*
# header at all (for use inside a larger ok() condition).
sub no_ac_headers {
    my ($res) = @_;
    return !@{ ac_names($res) };
}

# --- assertions for the /int/ policy (t/conf/integration.conf.in) ---
#
# <Location "/int/"> allows its origins with credentials, exposes X-Total
# and allows the methods PUT and DELETE.  Failures are reported at the
# caller's line.

my @int_actual = qw(access-control-allow-credentials
                    access-control-allow-origin
                    access-control-expose-headers);
my @int_preflight = qw(access-control-allow-credentials
                       access-control-allow-headers
                       access-control-allow-methods
                       access-control-allow-origin);

# int_actual_allowed($res, $origin, $label): 5 assertions on an actual
# response to an allowed $origin: ACAO is $origin, ACAC true and ACEH
# X-Total (in any case: header names are case-insensitive), each once;
# no other Access-Control-* header; Origin once in Vary.
sub int_actual_allowed {
    my ($res, $origin, $label) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::is_deeply([$res->header('Access-Control-Allow-Origin')],
                          [$origin], "$label: ACAO is the Origin, once");
    Test::More::is_deeply([$res->header('Access-Control-Allow-Credentials')],
                          ['true'], "$label: ACAC true, once");
    Test::More::is_deeply(
        [map { lc } $res->header('Access-Control-Expose-Headers')],
        ['x-total'], "$label: ACEH X-Total, once");
    Test::More::is_deeply(ac_names($res), \@int_actual,
                          "$label: no other Access-Control-* header");
    Test::More::is(vary_count($res, 'Origin'), 1,
                   "$label: Origin once in Vary");
}

# int_preflight_allowed($res, $origin, $method, $label): 8 assertions on
# an allowed preflight from $origin for $method: status 204; ACAO is
# $origin and ACAC true, each once; one ACAM line, listing $method; ACAO,
# ACAC, ACAM and ACAH and no other Access-Control-* header; Origin once
# in Vary; no body.
sub int_preflight_allowed {
    my ($res, $origin, $method, $label) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::is($res->code, 204, "$label: 204");
    Test::More::is_deeply([$res->header('Access-Control-Allow-Origin')],
                          [$origin], "$label: ACAO is the Origin, once");
    Test::More::is_deeply([$res->header('Access-Control-Allow-Credentials')],
                          ['true'], "$label: ACAC true, once");
    Test::More::is(header_count($res, 'Access-Control-Allow-Methods'), 1,
                   "$label: one ACAM");
    Test::More::ok(has_token($res, 'Access-Control-Allow-Methods', $method),
                   "$label: ACAM lists $method");
    Test::More::is_deeply(ac_names($res), \@int_preflight,
                          "$label: the preflight's headers only");
    Test::More::is(vary_count($res, 'Origin'), 1,
                   "$label: Origin once in Vary");
    Test::More::is($res->content, '', "$label: no body");
}

# int_denied($res, $status, $label): 3 assertions on a response that
# grants nothing: the status, no Access-Control-* header at all (not one
# that a script, backend or Header directive set), and Origin once in
# Vary.
sub int_denied {
    my ($res, $status, $label) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::is($res->code, $status, "$label: status $status");
    Test::More::is_deeply(ac_names($res), [],
                          "$label: no Access-Control-* header");
    Test::More::is(vary_count($res, 'Origin'), 1,
                   "$label: Origin once in Vary");
}

# --- the module's own tables ---

# directives(): the command table of cors_config.c (its AP_INIT_* lines),
# as a hash name => req_override flags as written (e.g. 'OR_FILEINFO'),
# read from $MOD_CORS_TOP or the directory that holds t/.  Tests that
# cover every directive compare their own list with it, so that a new
# directive fails them until it is covered.
sub directives {
    my $top = $ENV{MOD_CORS_TOP} || Apache::Test::vars('top_dir');
    my $file = "$top/cors_config.c";
    open my $fh, '<', $file or die "$file: $!";
    my $text = do { local $/; <$fh> };
    my ($table) = $text =~ /command_rec\s+cors_cmds\[\]\s*=\s*\{(.*?)\n\};/s
        or die "$file: no cors_cmds[] table";
    my %cmd;
    for my $entry (split /\bAP_INIT_/, $table) {
        my ($name) = $entry =~ /^\w+\(\s*"(\w+)"/ or next;
        my ($flags) = $entry =~
            /\b((?:OR_\w+|RSRC_CONF|ACCESS_CONF)(?:\s*\|\s*\w+)*)/;
        $cmd{$name} = defined $flags ? $flags =~ s/\s+//gr : '?';
    }
    return %cmd;
}

# int_not_granted($path, $status, $what, @vary): GET $path from an origin
# the /int/ policy denies (https://evil.example) and with no Origin; for
# each, int_denied's 3 assertions and one per token of @vary that must
# stay in Vary, once.  Returns ([label, response], ...) for the caller's
# own checks.
sub int_not_granted {
    my ($path, $status, $what, @vary) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @out;
    for my $origin ('https://evil.example', undef) {
        my $label = "$what, "
                    . (defined $origin ? "denied $origin" : 'no Origin');
        my $res = Apache::TestRequest::GET($path,
            defined $origin ? (Origin => $origin) : ());
        int_denied($res, $status, $label);
        Test::More::is(vary_count($res, $_), 1, "$label: Vary keeps $_")
            for @vary;
        push @out, [$label, $res];
    }
    return @out;
}

# --- what the httpd under test can do ---

# ac_on_304(): true where httpd lets Access-Control-* fields through on a
# 304.  Before 2.4.48 its HTTP header filter keeps only a fixed list of
# fields on a 304 (docs/mod_cors.html#limits): there the tests assert that
# none is sent, and say so once.
my $said_304;
sub ac_on_304 {
    my $yes = Apache::Test::have_min_apache_version('2.4.48');
    Test::More::diag('httpd before 2.4.48 drops Access-Control-* from a '
                     . '304 (docs/mod_cors.html#limits): asserting that '
                     . 'a 304 has none') if !$yes && !$said_304++;
    return $yes;
}

# needs_modules(@names): skip the whole test, saying why, where this httpd
# lacks one of the modules (e.g. 'http2', 'cache_disk'): a build may leave
# them out.  scripts/run-apache-test fails the run on any skip where
# MOD_CORS_NO_SKIP is set, as make test sets it for the system httpd.
sub needs_modules {
    my @missing = grep { !Apache::Test::have_module($_) } @_;
    Test::More::plan(skip_all => 'this httpd has no '
                     . join(', ', map { "mod_$_" } @missing)) if @missing;
}

# --- requests ---

# preflight($path, $origin, $method, @headers): an OPTIONS request with
# Origin and Access-Control-Request-Method, plus any other header pairs.
sub preflight {
    my ($path, $origin, $method, @headers) = @_;
    return Apache::TestRequest::OPTIONS($path, Origin => $origin,
        'Access-Control-Request-Method' => $method, @headers);
}

# request($method, $path, @headers): a request of any method (PATCH,
# DELETE, ...) to the current server, with header pairs.
sub request {
    my ($method, $path, @headers) = @_;
    return Apache::TestRequest::user_agent()->request(HTTP::Request->new(
        $method, Apache::TestRequest::resolve_url($path), [@headers]));
}

# raw($method, $path, @lines): a request written byte for byte to the
# current server (header lines LWP would merge or refuse), read back as
# an HTTP::Response.  A connection closed without an answer gives a
# response whose code is undef.
sub raw {
    my ($method, $path, @lines) = @_;
    my $sock = Apache::TestRequest::vhost_socket() or die "connect: $!";
    print $sock join("\r\n", "$method $path HTTP/1.1", 'Host: 127.0.0.1',
                     'Connection: close', @lines, '', '');
    my $text = do { local $/; <$sock> };
    close $sock;
    my ($head, $body) = split /\r\n\r\n/, $text // '', 2;
    $head //= '';
    $head =~ s/\r\n/\n/g;
    return HTTP::Response->parse("$head\n\n" . ($body // ''));
}

# file_lines($path): the lines of a file, without their newlines; none
# when the file does not exist (yet).
sub file_lines {
    my ($path) = @_;
    open my $fh, '<', $path or return ();
    return map { chomp; $_ } <$fh>;
}

# --- the test server's error_log ---

sub error_log { return catfile(Apache::Test::vars('t_logs'), 'error_log') }

# log_mark(): where the error_log ends now; pass it to log_since.
sub log_mark { return -s error_log() || 0 }

# log_since($mark, $want): what the error_log got after $mark.  Lines are
# written after the response, so it waits up to 2 s for $want to show up:
# a regex to match, or a string to find.  Without $want it does not wait.
sub log_since {
    my ($mark, $want) = @_;
    my $text = '';
    for (1 .. 20) {
        open my $fh, '<', error_log() or die "error_log: $!";
        seek $fh, $mark, 0;
        local $/;
        $text = <$fh> // '';
        last if !defined $want
             || (ref $want eq 'Regexp' ? $text =~ $want
                                       : index($text, $want) >= 0);
        Time::HiRes::sleep(0.1);
    }
    return $text;
}

# note_for($id, $log): the CORS note of the request sent with
# "X-Test-Id: $id", from t/logs/$log (default note_log: t/conf/note.conf.in
# logs "%{X-Test-Id}i %{CORS}n" for every request; protect.conf.in writes
# prot_log alike).  The access log is written after the response: it
# waits up to 5 s for the line.
sub note_for {
    my ($id, $name) = @_;
    my $log = catfile(Apache::Test::vars('t_logs'), $name // 'note_log');
    for (1 .. 50) {
        for (file_lines($log)) {
            return $1 if /^\Q$id\E (\S+)$/;
        }
        Time::HiRes::sleep(0.1);
    }
    return 'no log line';
}

# conf_where($name, $regex, $after): "file:line" of the first line of the
# generated t/conf/$name (e.g. 'config.conf') that matches $regex -- after
# the first line that matches $after, if given -- as httpd reports where
# a directive was set.
sub conf_where {
    my ($name, $re, $after) = @_;
    my $file = catfile(Apache::Test::vars('t_conf'), $name);
    open my $fh, '<', $file or die "$file: $!";
    while (<$fh>) {
        $after = undef if defined $after && $_ =~ $after;
        return "$file:$." if !defined $after && $_ =~ $re;
    }
    die "$file: no line matches $re";
}

# --- a private httpd ---

# mod_cors.so from the build directory.
sub mod_cors_so {
    return catfile(Apache::Test::vars('serverroot'), '..', '.libs',
                   'mod_cors.so');
}

my @running;    # the pids of the private httpds

# private_httpd($nports, $body, %opt): a second httpd with the test server's
# MPM, authz_core and (where they are shared) unixd and the log modules, mod_cors from the build directory, listening
# on $nports free loopback ports, and a DocumentRoot with index.html
# ("private"); modules => [names] loads those of the test server's
# modules too (e.g. [qw(rewrite headers)]).  $body is the rest of its
# configuration, or a sub that
# gets the ports and returns it.  without_cors => 1: mod_cors is not
# loaded (what httpd does without the module).  Returns { pid, ports, dir } once every
# port answers (or httpd has exited).  children => 1: the test needs real
# child processes, so under scripts/valgrind (which runs every httpd as
# one "valgrind httpd -X" process) it gets the real httpd.  Stop it with stop_httpd; any
# left running is stopped when the test ends.
sub private_httpd {
    my ($nports, $body, %opt) = @_;
    my $dir = tempdir(CLEANUP => 1);
    my @probes = map {
        IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                              LocalPort => 0, ReuseAddr => 1)
            or die "no free port: $!";
    } 1 .. $nports;
    my @ports = map { $_->sockport } @probes;
    close $_ for @probes;

    open my $base, '<', catfile(Apache::Test::vars('t_conf'), 'base.conf')
        or die $!;
    my ($root, @load) = ('');
    my $more = join '', map { "|$_" } @{ $opt{modules} // [] };
    while (<$base>) {
        $root = $1 if /^\s*ServerRoot\s+"?([^"\s]+)"?/;
        if (/^\s*LoadModule\s+((?:mpm_\w+|authz_core|unixd|log_config|logio|version$more)_module)\s+"?([^"\s]+)"?/) {
            my ($mod, $path) = ($1, $2);
            $path = "$root/$path" unless $path =~ m{^/};
            push @load, qq{LoadModule $mod "$path"};
        }
    }
    push @load, 'LoadModule cors_module "' . mod_cors_so() . '"'
        unless $opt{without_cors};

    mkdir "$dir/htdocs" or die $!;
    open my $ix, '>', "$dir/htdocs/index.html" or die $!;
    print $ix "private\n";
    close $ix;

    my $conf = "$dir/httpd.conf";
    open my $fh, '>', $conf or die $!;
    print $fh join("\n", @load), "\n",
        (map { "Listen 127.0.0.1:$_\n" } @ports), <<"EOF",
ServerRoot "$dir"
ServerName 127.0.0.1
PidFile "$dir/httpd.pid"
DefaultRuntimeDir "$dir"
Mutex file:$dir
ErrorLog "$dir/error_log"
LogLevel info@{[$opt{without_cors} ? '' : ' cors:debug']}
DocumentRoot "$dir/htdocs"
<Directory "$dir/htdocs">
    Require all granted
</Directory>
StartServers 1
ServerLimit 1
ThreadsPerChild 5
MinSpareThreads 1
MaxSpareThreads 5
MaxRequestWorkers 5
EOF
        ref $body eq 'CODE' ? $body->(@ports) : $body;
    close $fh;

    my $pid = fork // die "fork: $!";
    push @running, $pid if $pid;
    if (!$pid) {
        open STDOUT, '>', "$dir/stdout";
        open STDERR, '>&', \*STDOUT;
        no warnings 'exec';
        exec(($opt{children} && $ENV{MOD_CORS_REAL_HTTPD})
             || Apache::Test::vars('httpd'), '-f', $conf, '-DFOREGROUND');
        POSIX::_exit(127);
    }
    for (1 .. 100) {
        last if !grep { !IO::Socket::INET->new(PeerAddr => "127.0.0.1:$_") }
                      @ports;
        last if waitpid($pid, POSIX::WNOHANG()) == $pid;
        Time::HiRes::sleep(0.1);
    }
    return { pid => $pid, ports => \@ports, dir => $dir };
}

# stop_httpd($srv, %opt): stop a private httpd and wait for it.
# graceful => 1: a graceful stop (SIGWINCH), which lets each connection
# end first.  A plain stop (SIGTERM) closes the sockets of busy workers,
# and httpd 2.4.62's event MPM can crash doing that, with or without
# mod_cors (close_worker_sockets); tests that count crashes stop this way.
sub stop_httpd {
    my ($srv, %opt) = @_;
    kill $opt{graceful} ? 'WINCH' : 'TERM', $srv->{pid};
    waitpid $srv->{pid}, 0;
    @running = grep { $_ != $srv->{pid} } @running;
}

# Never leave a private httpd behind, even if a test dies.
END {
    local $?;    # waitpid must not change the exit status
    my @pids = @running;
    stop_httpd({ pid => $_ }) for @pids;
}

# --- httpd -t on a throwaway configuration ---

my ($scratch, $head, $n_conf);

# scratch_dir(): a directory of this test's own under t/logs, removed at
# the end; httpd_t writes its configurations and logs there.
sub scratch_dir {
    $scratch //= tempdir(DIR => Apache::Test::vars('t_logs'), CLEANUP => 1);
    return $scratch;
}

# in_directory($lines): $lines inside <Directory "scratch_dir()/site">.
sub in_directory {
    my ($lines) = @_;
    my $dir = scratch_dir();
    $lines =~ s/^/    /mg;
    return qq{<Directory "$dir/site">\n$lines\n</Directory>\n};
}

# conf_path(): the name httpd_t gives its next configuration file.
sub conf_path {
    return catfile(scratch_dir(), sprintf('case%03d.conf', ++$n_conf));
}

# httpd_t($body, @args): run "httpd -t @args" on a configuration made of
# the ServerRoot and LoadModule lines of t/conf/base.conf, mod_cors from
# the build directory, and $body.  Returns the exit code and the output
# (stdout and stderr), and the configuration file's path.  The running
# test server is not involved.
sub httpd_t {
    my ($body, @args) = @_;
    my $dir = scratch_dir();
    $head //= do {
        open my $fh, '<', catfile(Apache::Test::vars('t_conf'), 'base.conf')
            or die $!;
        my @keep = grep { /^\s*(ServerRoot|LoadModule)\s/ } <$fh>;
        my $so = mod_cors_so();
        join('', @keep) . <<"EOF";
LoadModule cors_module "$so"
ServerName 127.0.0.1
PidFile "$dir/httpd.pid"
DefaultRuntimeDir "$dir"
Mutex file:$dir
ErrorLog "$dir/error_log"
EOF
    };
    my $conf = conf_path();
    open my $fh, '>', $conf or die $!;
    print $fh $head, $body;
    close $fh;

    my $pid = open(my $out, '-|') // die "fork: $!";
    if (!$pid) {
        open STDERR, '>&', \*STDOUT;
        no warnings 'exec';
        exec Apache::Test::vars('httpd'), '-t', @args, '-f', $conf;
        POSIX::_exit(127);
    }
    local $/;
    my $text = <$out> // '';
    close $out;
    return ($? >> 8, $text, $conf);
}

1;
