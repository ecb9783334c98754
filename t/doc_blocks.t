# Every configuration example we publish is valid: each ```apache block
# of README.md and docs/*.md, and each <pre class="config"> of
# docs/mod_cors.html, passes "httpd -t" with the module loaded, as it
# stands in httpd.conf (server level) or, for lines meant for a section
# or an .htaccess, inside a <Directory>.  Every <pre> of the manual says
# which it is (class "config" or "output"), and every fence names its
# language, so no example escapes the check.  A block that uses a
# variable of Debian's /etc/apache2/envvars says so next to it; the test
# then defines the variable, as apache2ctl does; an origin list file it
# names is made, with one origin.  And the cookbook's
# shared-hosting set-up runs README.md's tenant .htaccess example.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);

use lib 't/lib';
use CorsTest qw(httpd_t scratch_dir in_directory private_httpd stop_httpd);
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use LWP::UserAgent ();

my $top = $ENV{MOD_CORS_TOP} || Apache::Test::vars('top_dir');
my @md = ("$top/README.md", glob("$top/docs/*.md"));
my $html = "$top/docs/mod_cors.html";

# The variables Debian's envvars defines that an example may use.
my %envvars = (APACHE_LOG_DIR => scratch_dir(),
               APACHE_RUN_DIR => scratch_dir());

# [ where, text, the prose before it ]
my @blocks;
for my $file (@md) {
    my $text = slurp($file);
    my $rel = $file =~ s{^\Q$top\E/}{}r;
    while ($text =~ /^```([^\n]*)\n(.*?)^```[ \t]*$/smg) {
        my ($lang, $body, $start) = ($1, $2, $-[0]);
        my $line = 1 + (substr($text, 0, $start) =~ tr/\n//);
        ok($lang ne '', "$rel:$line: the fence names its language")
            or next;
        next unless $lang eq 'apache';
        push @blocks, [ "$rel:$line", $body,
                        substr($text, 0, $start) =~ s/\s+\z//r
                                                 =~ s/.*\n\n//sr ];
    }
}
{
    my $text = slurp($html);
    while ($text =~ m{<pre(?:\s+class="([^"]*)")?>(.*?)</pre>}sg) {
        my ($class, $body, $start) = ($1 // '', $2, $-[0]);
        my $line = 1 + (substr($text, 0, $start) =~ tr/\n//);
        ok($class eq 'config' || $class eq 'output',
           "docs/mod_cors.html:$line: the <pre> is class config or output")
            or next;
        next unless $class eq 'config';
        $body =~ s/&lt;/</g;
        $body =~ s/&gt;/>/g;
        $body =~ s/&quot;/"/g;
        $body =~ s/&amp;/&/g;
        push @blocks, [ "docs/mod_cors.html:$line", $body,
                        substr($text, 0, $start) =~ s/.*<p>//sr ];
    }
}
# as many as a plain count finds: the parsing above missed none
my $count = () = join('', map { slurp($_) } @md) =~ /^```apache$/mg;
$count += () = slurp($html) =~ /<pre class="config">/g;
is(scalar @blocks, $count, "every example is checked ($count)");

for my $b (@blocks) {
    my ($where, $body, $before) = @$b;
    my @vars = $body =~ /\$\{(APACHE_\w+)\}/g;
    my $define = '';
    if (@vars) {
        ok(($body . $before) =~ /envvars/,
           "$where: says that \${$vars[0]} comes from Debian's envvars");
        for my $v (@vars) {
            ok(exists $envvars{$v}, "$where: \${$v} is one of envvars'");
            $define .= qq{Define $v "$envvars{$v}"\n} if exists $envvars{$v};
        }
    }
    # an origin list file an example names is made, in the scratch
    # directory, with one origin
    $body =~ s{^(\s*CORSAllowOriginFile\s+)"?([^"\s]+)"?}{
        my ($directive, $path) = ($1, $2);
        my $made = scratch_dir() . '/' . ($path =~ s{.*/}{}r);
        open my $fh, '>', $made or die "$made: $!";
        print $fh "https://app.example.com\n";
        close $fh;
        "$directive$made"
    }gme;
    my ($rc, $out) = httpd_t($define . $body);
    my $as = 'at server level';
    if ($rc != 0 || $out !~ /Syntax OK/) {
        ($rc, $out) = httpd_t($define . in_directory($body));
        $as = 'in a <Directory>';
    }
    ok($rc == 0 && $out =~ /Syntax OK/ && $out !~ /not defined/,
       "$where: httpd -t passes ($as)")
        or diag("$body\n---\n$out");
}

# The host's AllowOverrideList from the cookbook, under a tenant's
# public_html of our own, and the README's tenant .htaccess below it.
{
    my ($host) = grep { $_->[0] =~ /cookbook/
                        && $_->[1] =~ /AllowOverrideList/ } @blocks;
    my ($tenant) = grep { $_->[0] =~ /^README/ && $_->[1] !~ /</
                          && $_->[2] =~ /\.htaccess/ } @blocks;
    ok($host && $tenant, "the cookbook's host set-up and the README's "
                         . 'tenant example are found') or last;
    my $home = tempdir(CLEANUP => 1);
    make_path("$home/alice/public_html/api");
    open my $fh, '>', "$home/alice/public_html/api/.htaccess" or die $!;
    print $fh $tenant->[1];
    close $fh;
    open $fh, '>', "$home/alice/public_html/api/index.html" or die $!;
    print $fh "tenant\n";
    close $fh;
    chmod 0755, $home;
    (my $conf = $host->[1]) =~ s{"/home/}{"$home/}g;
    my $srv = private_httpd(1, <<"EOF" . $conf);
DocumentRoot "$home/alice/public_html"
<Directory "$home">
    Require all granted
</Directory>
EOF
    my ($origin) = $tenant->[1] =~ /^CORSAllowOrigin (\S+)/m;
    my $res = LWP::UserAgent->new->get(
        "http://127.0.0.1:$srv->{ports}[0]/api/index.html",
        Origin => $origin);
    ok($res->code == 200
       && ($res->header('Access-Control-Allow-Origin') // '') eq $origin
       && ($res->header('Access-Control-Allow-Credentials') // '') eq 'true',
       "$tenant->[0] under $host->[0]: 200 with ACAO and ACAC")
        or diag($res->as_string,
                `cat $srv->{dir}/stdout $srv->{dir}/error_log`);
    stop_httpd($srv);
}

done_testing();

sub slurp {
    my ($file) = @_;
    open my $fh, '<', $file or die "$file: $!";
    local $/;
    return <$fh>;
}
