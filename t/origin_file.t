# CORSAllowOriginFile (docs/mod_cors.html#origin-files) on an httpd of the
# test's own (one child, five threads): a generated file of 100,000
# origins allows and denies as its lines say, with the file's path:line in
# the decision line and the checker and its count in DUMP_CORS; startup
# refuses a missing file or a bad line; a child reads a changed file
# again within a second (written whole and renamed over, or a symlink
# swapped), refuses a bad version whole and logs it once, keeps the last
# set when the file goes, counts its readings in ?metrics; a tenant's
# .htaccess cannot name a file; and 50 rewrites under load give no 5xx,
# no request without the set, and a child whose memory stays bounded.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use LWP::UserAgent;
use POSIX ();
use Time::HiRes qw(sleep time);

use lib 't/lib';
use CorsTest qw(private_httpd stop_httpd httpd_t);

plan tests => 43;

my $dir = tempdir(CLEANUP => 1);

sub write_file {
    my ($path, $text) = @_;
    open my $fh, '>', $path or die "$path: $!";
    print $fh $text;
    close $fh or die "$path: $!";
}

# As deploy tools write: beside the file, then renamed over it.
sub replace_file {
    my ($path, $text) = @_;
    write_file("$path.new", $text);
    rename "$path.new", $path or die "rename: $!";
}

# 100,000 origins, one per line: even i an exact origin, odd i a "*."
# pattern, a comment every 1,000 lines and a blank line every 5,000.
my $big = "$dir/big.origins";
my %line_of;
{
    open my $fh, '>', $big or die $!;
    my $line = 0;
    for my $i (1 .. 100_000) {
        if ($i % 1000 == 1) {
            print $fh "# block $i\n";
            $line++;
        }
        if ($i % 5000 == 1) {
            print $fh "\n";
            $line++;
        }
        my $o = $i % 2 ? "https://*.t$i.example.net"
                       : "https://app$i.example.com  # tenant $i";
        print $fh "$o\n";
        $line_of{$i} = ++$line;
    }
    close $fh;
}

my $tenant = "$dir/tenant.origins";
write_file($tenant, "https://v0.example\nhttps://always.example\n");
write_file("$dir/a.origins", "https://a.example\n");
write_file("$dir/b.origins", "https://b.example\n");
symlink "$dir/a.origins", "$dir/link.origins" or die "symlink: $!";
my $load = "$dir/load.origins";
sub version {
    my ($k) = @_;
    return join '', "https://always.example\n",
                    map { "https://v$k-$_.example\n" } 1 .. 10_000;
}
write_file($load, version(0));
mkdir "$dir/ht" or die $!;
write_file("$dir/ht/.htaccess", "CORSAllowOriginFile $dir/a.origins\n");
write_file("$dir/ht/index.html", "ht\n");

my $srv = private_httpd(1, <<"EOF", modules => [qw(alias)]);
<Location "/big/">
    CORSAllowOriginFile "$big"
</Location>
<Location "/t/">
    CORSAllowOriginFile "$tenant"
    CORSAllowCredentials On
</Location>
<Location "/link/">
    CORSAllowOriginFile "$dir/link.origins"
</Location>
<Location "/load/">
    CORSAllowOriginFile "$load"
</Location>
Alias "/ht" "$dir/ht"
<Directory "$dir/ht">
    Require all granted
    AllowOverride FileInfo
</Directory>
<Location "/cors-status">
    SetHandler cors-status
    CORSStatus On
</Location>
EOF
my $port = $srv->{ports}[0];
my $base = "http://127.0.0.1:$port";
my $ua = LWP::UserAgent->new(keep_alive => 1, timeout => 20);

sub acao {
    my ($path, $origin) = @_;
    my $res = $ua->get("$base$path", Origin => $origin);
    return $res->header('Access-Control-Allow-Origin') // '';
}

sub error_log {
    open my $fh, '<', "$srv->{dir}/error_log" or return '';
    local $/;
    return <$fh>;
}

sub metric {
    my ($path, $result) = @_;
    my $text = $ua->get("$base/cors-status?metrics")->content;
    return $text =~ /^mod_cors_origin_file_reloads_total\{file="\Q$path\E",
                     result="$result"\}\ (\d+)$/mx ? $1 : 'none';
}

# --- 100,000 lines ---------------------------------------------------------
is(acao('/big/x', 'https://app2.example.com'), 'https://app2.example.com',
   '100,000 lines: the first exact origin is allowed');
is(acao('/big/x', 'https://app100000.example.com'),
   'https://app100000.example.com', '... and the last');
is(acao('/big/x', 'https://a.b.t99999.example.net'),
   'https://a.b.t99999.example.net', '... and a host under a "*." line');
is(acao('/big/x', 'https://app3.example.com'), '',
   '... an origin no line lists is denied');
is(acao('/big/x', 'https://t3.example.net'), '',
   '... "*." needs a label in front');
is(acao('/big/x', 'http://app2.example.com'), '', '... the scheme counts');
is(acao('/big/x', 'https://app2.example.com:8443'), '',
   '... and the port');
my $text = $ua->get("$base/cors-status?check&auto&url=/big/x"
                    . '&origin=https://app50000.example.com')->content;
my $set_by = "Set-By: CORSAllowOriginFile $big:$line_of{50000}";
like($text, qr/^\Q$set_by\E$/m,
     'the checker names the line of the file that allowed the origin');
my $at = "$big:$line_of{2},";
ok(index(error_log(), 'CORS004: "GET" "/big/x" from "https://app2.example.com":'
         . " actual:allowed; decided by CORSAllowOriginFile at $at") >= 0,
     'so does the decision line');

my ($rc, $out) = httpd_t(qq{<Location "/big/">\n}
                         . qq{    CORSAllowOriginFile "$big"\n</Location>\n},
                         '-D', 'DUMP_CORS');
like($out, qr/^\s+file: \Q$big\E, 100000 origins$/m,
     'DUMP_CORS shows the file and its count of origins');

# --- startup: a missing file, a bad line ------------------------------------
($rc, $out) = httpd_t("CORSAllowOriginFile $dir/missing.origins\n");
ok($rc != 0 && index($out, "CORSAllowOriginFile: cannot read "
                     . "$dir/missing.origins: it does not exist or cannot "
                     . 'be reached.') >= 0,
   'a missing file fails httpd -t, and says which') or diag($out);
for my $bad (
        ['https://ok.example\nhttps://bad example\n', 2,
         'one origin per line'],
        ['https://ok.example\n\n# c\nhttps://a.example/path\n', 4,
         'invalid origin "https://a.example/path": '],
        ['*\n', 1, '"*" cannot be listed in a file: write CORSAllowOrigin * '
         . 'in the configuration'],
        ['null\n', 1, '"null" cannot be listed in a file'],
        ['^https://.*\.example\.com$\n', 1, 'looks like a regex, which a '
         . 'file cannot hold: write it with CORSAllowOriginMatch']) {
    my ($body, $line, $says) = @$bad;
    $body =~ s/\\n/\n/g;
    write_file("$dir/bad.origins", $body);
    ($rc, $out) = httpd_t("CORSAllowOriginFile $dir/bad.origins\n");
    # the quoted value comes first; the error log doubles backslashes
    ok($rc != 0 && $out =~ /CORSAllowOriginFile:\ \Q$dir\E\/bad\.origins:$line:
                            \ (?:"[^\n]*"\ )?\Q$says\E/x,
       "a bad line fails httpd -t at file:line: $says") or diag($out);
}
write_file("$dir/warn.origins", "https://*.github.io\n");
($rc, $out) = httpd_t("CORSAllowOriginFile $dir/warn.origins\n");
ok($rc == 0 && index($out, "$dir/warn.origins:1: \"https://*.github.io\" "
                     . 'allows every site under the public suffix github.io')
                >= 0,
   'a line under a public suffix gets the warning CORSAllowOrigin gives, '
   . 'at file:line') or diag($out);

# --- a tenant's .htaccess ---------------------------------------------------
{
    my $res = $ua->get("$base/ht/index.html");
    is($res->code, 500, 'CORSAllowOriginFile in .htaccess: a 500');
    ok(index(error_log(), 'CORSAllowOriginFile cannot be used in .htaccess: '
             . 'a tenant must not make the server read a file it names; '
             . 'list the origins with CORSAllowOrigin, or ask the '
             . 'administrator to set CORSAllowOriginFile in the server '
             . 'configuration.') >= 0,
         '... with a line that says why');
}

# --- reading again ----------------------------------------------------------
is(acao('/t/x', 'https://v0.example'), 'https://v0.example',
   'the file as it was at startup');
replace_file($tenant, "https://v1.example\nhttps://always.example\n");
sleep 1.5;
is(acao('/t/x', 'https://v1.example'), 'https://v1.example',
   'renamed over: the new version within a second');
is(acao('/t/x', 'https://v0.example'), '', '... and the old one is gone');
is(metric($tenant, 'ok'), 1, '?metrics counts the reading');

my $before = () = error_log() =~ /CORS008: .* is refused/g;
replace_file($tenant, "https://v2.example\nhttps://bad example\n"
                      . "https://always.example\n");
for (1 .. 5) {
    sleep 0.6;
    acao('/t/x', 'https://v2.example');
}
is(acao('/t/x', 'https://v1.example'), 'https://v1.example',
   'a version with a bad line is refused whole: the last one stays');
is(acao('/t/x', 'https://v2.example'), '', '... none of its lines is used');
my @refused = error_log() =~ /(CORS008: .* is refused.*)/g;
is(@refused - $before, 1, '... and it is logged once, over 3 seconds of '
   . 'requests');
like($refused[-1] // '', qr/\Q$tenant\E:2: one origin per line\.$/,
     '... naming file:line');
is(metric($tenant, 'refused'), 1, '?metrics counts it refused');

unlink $tenant or die $!;
for (1 .. 5) {
    sleep 0.6;
    acao('/t/x', 'https://v1.example');
}
is(acao('/t/x', 'https://v1.example'), 'https://v1.example',
   'a file that is gone: the last set stays');
my $says = "$tenant is gone; the 2 origins last read from it stay in force.";
my $gone = () = error_log() =~ /\Q$says\E/g;
is($gone, 1, '... and it is logged once');

replace_file($tenant, "https://v3.example\nhttps://always.example\n");
sleep 1.5;
is(acao('/t/x', 'https://v3.example'), 'https://v3.example',
   'the file back: read again');
# credentials, as for CORSAllowOrigin: a listed origin is trusted
is($ua->get("$base/t/x", Origin => 'https://v3.example')
      ->header('Access-Control-Allow-Credentials') // '', 'true',
   '... its origins get credentials');

is(acao('/link/x', 'https://a.example'), 'https://a.example',
   'a symlink: the file it names');
symlink "$dir/b.origins", "$dir/link.new" or die $!;
rename "$dir/link.new", "$dir/link.origins" or die $!;
sleep 1.5;
is(acao('/link/x', 'https://b.example'), 'https://b.example',
   'the symlink swapped: the new file within a second');
is(acao('/link/x', 'https://a.example'), '', '... and not the old one');

# --- 50 rewrites under load -------------------------------------------------
sub rss {
    my ($pid) = `pgrep -P $srv->{pid}` =~ /(\d+)/;
    open my $fh, '<', "/proc/$pid/status" or return 0;
    my ($kb) = join('', <$fh>) =~ /^VmRSS:\s+(\d+)/m;
    return $kb // 0;
}

# a client: keep-alive requests until told to stop; prints its counts
sub client {
    my ($id, $stop) = @_;
    my ($n, $bad, $always) = (0, 0, 0);
    my $c = LWP::UserAgent->new(keep_alive => 1, timeout => 20);
    srand($id);
    until (-e $stop) {
        my $k = int rand 51;
        my $origin = $n % 3 ? "https://v$k-" . (1 + int rand 10_000)
                              . '.example'
                            : 'https://always.example';
        my $res = $c->get("$base/load/x", Origin => $origin);
        # httpd may close an idle keep-alive connection as LWP reuses it
        # (the event MPM does when its workers are busy): the request
        # never reached it, and a client sends it again (RFC 9112 9.3.1)
        if ($res->header('Client-Warning')
            && $res->message =~ /closed connection without sending any/) {
            $res = $c->get("$base/load/x", Origin => $origin);
        }
        my $got = $res->header('Access-Control-Allow-Origin') // '';
        $n++;
        if ($res->code >= 500 || ($got ne '' && $got ne $origin)) {
            $bad++;
            # what it was, for the diagnostics
            printf STDERR "# client %d: %s %s, ACAO %s for %s%s\n", $id,
                $res->code, $res->message, $got, $origin,
                $res->header('Client-Warning') ? ' (LWP\'s own answer)'
                                                : '';
        }
        $always++ if $origin eq 'https://always.example' && $got ne $origin;
    }
    print "$n $bad $always\n";
}

acao('/load/x', 'https://always.example');
my $rss0 = rss();
my $stop = "$dir/stop";
my @clients;
for my $id (1 .. 4) {
    my $pid = open(my $fh, '-|') // die "fork: $!";
    if (!$pid) {
        client($id, $stop);
        POSIX::_exit(0);
    }
    push @clients, $fh;
}
my $t0 = time;
for my $k (1 .. 50) {
    replace_file($load, version($k));
    sleep 0.15;
}
sleep 1.5;
write_file($stop, '');
my ($n, $bad, $always) = (0, 0, 0);
for my $fh (@clients) {
    my ($cn, $cb, $ca) = split ' ', <$fh> // '0 0 0';
    close $fh;
    ($n, $bad, $always) = ($n + $cn, $bad + $cb, $always + $ca);
}
my $rss1 = rss();
diag(sprintf '50 rewrites of 10,001 lines in %.1f s, %d requests; child '
     . 'RSS %d kB before, %d kB after', time - $t0, $n, $rss0, $rss1);
ok($n > 200, "under load: $n requests");
is($bad, 0, '... none a 5xx or with another origin\'s ACAO');
is($always, 0, '... and every one had a whole set: the origin every '
   . 'version lists was never denied');
my @sample = map { 1 + int rand 10_000 } 1 .. 5;
is(join(' ', map { acao('/load/x', "https://v50-$_.example") } @sample),
   join(' ', map { "https://v50-$_.example" } @sample),
   'the last version is in force');
is(acao('/load/x', 'https://v49-1.example'), '', '... and not the one before');
ok($rss1 - $rss0 < 20_000, 'the child\'s memory grew by less than 20 MB '
   . '(each version holds about 2 MB)') or diag("$rss0 -> $rss1");
ok(metric($load, 'ok') >= 1, '?metrics counts the readings');
unlike(error_log(), qr/AH00052|Segmentation|exit signal/,
       'no child crashed');

stop_httpd($srv);
