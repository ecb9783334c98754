# The documentation cannot drift from the code: the directives of
# cors_config.c's command table (its AP_INIT_* lines) are exactly those
# documented in docs/mod_cors.html (quick list and one block each) and in
# README.md's "Directives at a glance" table, each linking to its block;
# every block has the Apache manual's rows, and its Context and Override
# follow the directive's flags in the table.  README.md stays within 150
# lines, and no source, test or document cites a file outside the
# repository (the manual is the reference).
#
# The files are read from $MOD_CORS_TOP, else from the directory that
# holds t/ (Apache::Test's top_dir).  When they are missing the test
# fails; it never skips.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);

use lib 't/lib';
use CorsTest qw(directives);

my $top = $ENV{MOD_CORS_TOP} || Apache::Test::vars('top_dir');
my %file = (
    c      => "$top/mod_cors.c",
    html   => "$top/docs/mod_cors.html",
    readme => "$top/README.md",
);

# What the Apache manual shows for each req_override value in the table.
my %context = (
    OR_FILEINFO => ['server config, virtual host, directory, .htaccess',
                    'FileInfo'],
    OR_OPTIONS  => ['server config, virtual host, directory, .htaccess',
                    'Options'],
    OR_AUTHCFG  => ['server config, virtual host, directory, .htaccess',
                    'AuthConfig'],
    OR_ALL      => ['server config, virtual host, directory, .htaccess',
                    'All'],
    RSRC_CONF   => ['server config, virtual host', undef],
    ACCESS_CONF => ['directory', undef],
    'RSRC_CONF|ACCESS_CONF' => ['server config, virtual host, directory',
                                undef],
    # read in .htaccess only to be refused there with a message of its own
    'RSRC_CONF|ACCESS_CONF|OR_FILEINFO' =>
        ['server config, virtual host, directory', undef],
);
my @rows = qw(Description Syntax Default Context Override Status Module);

my %text;
for my $k (sort keys %file) {
    $text{$k} = slurp($file{$k});
}

# ---- the command table, and the module record in mod_cors.c -----------
my %cmd = directives();        # name => req_override
my ($module_id) = ($text{c} // '') =~ /AP_DECLARE_MODULE\((\w+)\)/;
my @names = sort keys %cmd;

# ---- docs/mod_cors.html ------------------------------------------------
my (%html, @toc, %summary);
if (defined $text{html}) {
    while ($text{html} =~ m{<div\s+class="directive-section">\s*<h2[^>]*>\s*
                            <a\s+(?:name|id)="([^"]+)"(.*?)</div>}sxg) {
        my ($name, $body) = ($1, $2);
        $html{$name} = table_rows($body);
    }
    my ($list) = $text{html} =~ m{<ul\s+id="toc">(.*?)</ul>}s;
    @toc = sort(($list // '') =~ m{<a\s+href="#([^"]+)"}g);
    my ($module) = $text{html} =~ m{<table\s+class="module">(.*?)</table>}s;
    %summary = map { @$_ } @{table_rows($module // '')};
}

# ---- README.md ---------------------------------------------------------
my %readme;     # name => the anchor its link points to
if (defined $text{readme}) {
    my ($section) = $text{readme} =~
        /^## Directives at a glance\s*\n(.*?)(?=^## |\z)/ms;
    while (($section // '') =~
           m{^\|\s*\[(\w+)\]\(docs/mod_cors\.html#(\w+)\)\s*\|}mg) {
        $readme{$1} = $2;
    }
}

# ---- citations of files outside the repository ---------------------------
my @outside;
{
    my @files = grep { -f } map { glob "$top/$_" }
        qw(*.c *.h README.md CHANGELOG.md Makefile.apxs docs/* t/*.t
           t/lib/*.pm t/conf/*.in t/unit/*.c fuzz/*.c bench/*.c bench/run
           scripts/* build/*);
    for my $f (grep { !m{/t/docs\.t$} } @files) {
        my $body = slurp($f) // next;
        push @outside, $f =~ s{^\Q$top\E/}{}r
            if $body =~ /SPEC\.md|DESIGN\.md|\bissues? #?\d/;
    }
}

for my $k (sort keys %file) {
    ok(defined $text{$k}, "$file{$k} can be read");
}

# One version, written in cors_internal.h; the rest repeat it.
{
    my ($version) = (slurp("$top/cors_internal.h") // '') =~
        /^#define MOD_CORS_VERSION "([^"]+)"/m;
    my ($deb) = (slurp("$top/debian/changelog") // '') =~
        /^libapache2-mod-cors \(([^)]+)\)/;
    my ($log) = (slurp("$top/CHANGELOG.md") // '') =~ /^## (\S+)/m;
    ok(defined $version, "MOD_CORS_VERSION is $version");
    is($deb, $version, 'debian/changelog\'s first entry is that version');
    is($log, $version, 'CHANGELOG.md\'s first entry is that version');
    like($text{html} // '', qr/\(version \Q$version\E;/,
         'the manual names that version');
}
ok(@names > 0, 'the command table of cors_config.c has directives');

is_deeply([sort keys %html], \@names,
          'docs/mod_cors.html has one directive block per directive');
is_deeply(\@toc, \@names,
          'docs/mod_cors.html lists every directive, and only those');
is_deeply([sort keys %readme], \@names,
          'README.md "Directives at a glance" lists every directive');
my $lines = () = ($text{readme} // '') =~ /\n/g;
cmp_ok($lines, '<=', 150, "README.md has at most 150 lines ($lines)");
is_deeply(\@outside, [], 'no file cites SPEC.md, DESIGN.md or an issue');
is_deeply([@summary{'Status', 'Module Identifier', 'Source File'}],
          ['External', defined $module_id ? "${module_id}_module" : '?',
           'mod_cors.c'],
          'docs/mod_cors.html: module summary (Status, Module Identifier, '
          . 'Source File)');
ok(defined $summary{Description} && length $summary{Description},
   'docs/mod_cors.html: module summary has a Description');

ok(index($text{html} // '', '%{CORS}n') >= 0,
   'docs/mod_cors.html documents the request note %{CORS}n');
my @assets = ($text{html} // '') =~
    m{(<(?:link|script|img|iframe)\b[^>]*>|\@import|url\()}gi;
is_deeply(\@assets, [],
          'docs/mod_cors.html is self-contained (no external assets)');

for my $name (@names) {
    my $h = $html{$name} || [];
    my %h = map { @$_ } @$h;
    my ($ctx, $ovr) = @{$context{$cmd{$name}} || ['?', '?']};

    is_deeply([map { $_->[0] } @$h], \@rows,
              "$name: manual rows are @rows");
    is($readme{$name}, $name, "$name: README links to its manual block");
    like($h{Syntax} // '', qr/^\Q$name\E(?:\s|$)/,
         "$name: Syntax starts with the directive");
    is($h{Context}, $ctx, "$name: Context follows $cmd{$name}");
    is($h{Override}, $ovr // 'None', "$name: Override follows $cmd{$name}");
    is_deeply([@h{qw(Status Module)}], ['External', 'mod_cors'],
              "$name: Status External, Module mod_cors");
    ok(defined $h{Default} && length $h{Default}, "$name: has a Default");
    ok(defined $h{Description} && length $h{Description},
       "$name: has a Description");
}

sub slurp {
    my $path = shift;
    open my $fh, '<:encoding(UTF-8)', $path or return undef;
    local $/;
    return scalar <$fh>;
}

# [[header, text], ...] of the <tr><th>..</th><td>..</td></tr> rows.
sub table_rows {
    my $html = shift;
    my @r;
    while ($html =~ m{<tr>\s*<th[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*</tr>}sg) {
        my ($th, $td) = (clean_html($1), clean_html($2));
        $th =~ s/:$//;
        push @r, [$th, $td];
    }
    return \@r;
}

sub clean_html {
    my $s = shift;
    $s =~ s/<[^>]*>//g;
    $s =~ s/&lt;/</g;
    $s =~ s/&gt;/>/g;
    $s =~ s/&ndash;/-/g;
    $s =~ s/&amp;/&/g;
    $s =~ s/\s+/ /g;
    $s =~ s/^ | $//g;
    return $s;
}

done_testing();
