# The documentation cannot drift from the code: the directives of
# mod_cors.c's command table (its AP_INIT_* lines) are exactly those
# documented in docs/mod_cors.html (quick list and one block each) and in
# README.md's "## Directives" section; every block has the Apache
# manual's rows, its Context and Override follow the directive's flags in
# the table, and README and manual agree on Description and Syntax.
#
# The files are read from $MOD_CORS_TOP, else from the directory that
# holds t/ (Apache::Test's top_dir).  When they are missing the test
# fails; it never skips.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);

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
);
my @rows = qw(Description Syntax Default Context Override Status Module);

my %text;
for my $k (sort keys %file) {
    $text{$k} = slurp($file{$k});
}

# ---- mod_cors.c --------------------------------------------------------
my %cmd;        # name => req_override
my $module_id;
if (defined $text{c}) {
    my ($table) = $text{c} =~ /command_rec\s+cors_cmds\[\]\s*=\s*\{(.*?)\n\};/s;
    for my $entry (split /\bAP_INIT_/, $table // '') {
        my ($name) = $entry =~ /^\w+\(\s*"(\w+)"/ or next;
        my ($flags) = $entry =~
            /\b((?:OR_\w+|RSRC_CONF|ACCESS_CONF)(?:\s*\|\s*\w+)*)/;
        $cmd{$name} = defined $flags ? $flags =~ s/\s+//gr : '?';
    }
    ($module_id) = $text{c} =~ /AP_DECLARE_MODULE\((\w+)\)/;
}
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
my %readme;
if (defined $text{readme}) {
    my ($section) = $text{readme} =~ /^## Directives\s*\n(.*?)(?=^## |\z)/ms;
    my @parts = split /^### +(\S+)[ \t]*\n/m, $section // '';
    shift @parts;
    while (my ($name, $body) = splice @parts, 0, 2) {
        my @r;
        for my $line (split /\n/, $body) {
            next unless $line =~
                /^\|\s*([A-Za-z]+)\s*\|\s*((?:[^|\\]|\\.)*?)\s*\|\s*$/;
            push @r, [$1, clean_md($2)];
        }
        $readme{$name} = \@r;
    }
}

my $per_directive = 9;
plan tests => 3 + 1 + 5 + 2 + $per_directive * @names;

for my $k (sort keys %file) {
    ok(defined $text{$k}, "$file{$k} can be read");
}
ok(@names > 0, 'the command table of mod_cors.c has directives')
    or diag("no AP_INIT_* line found in $file{c}");

is_deeply([sort keys %html], \@names,
          'docs/mod_cors.html has one directive block per directive');
is_deeply(\@toc, \@names,
          'docs/mod_cors.html lists every directive, and only those');
is_deeply([sort keys %readme], \@names,
          'README.md "## Directives" has one section per directive');
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
    my $r = $readme{$name} || [];
    my %r = map { @$_ } @$r;
    my ($ctx, $ovr) = @{$context{$cmd{$name}} || ['?', '?']};

    is_deeply([map { $_->[0] } @$h], \@rows,
              "$name: manual rows are @rows");
    is_deeply([map { $_->[0] } @$r], \@rows,
              "$name: README rows are @rows");
    like($h{Syntax} // '', qr/^\Q$name\E(?:\s|$)/,
         "$name: Syntax starts with the directive");
    is($h{Context}, $ctx, "$name: Context follows $cmd{$name}");
    is($h{Override}, $ovr // 'None', "$name: Override follows $cmd{$name}");
    is_deeply([@h{qw(Status Module)}], ['External', 'mod_cors'],
              "$name: Status External, Module mod_cors");
    ok(defined $h{Default} && length $h{Default}, "$name: has a Default");
    is($r{Description}, $h{Description},
       "$name: README and manual have the same Description");
    is($r{Syntax}, $h{Syntax},
       "$name: README and manual have the same Syntax");
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

sub clean_md {
    my $s = shift;
    $s =~ s/\\\|/|/g;
    $s =~ s/`//g;
    $s =~ s/\s+/ /g;
    $s =~ s/^ | $//g;
    return $s;
}
