# Shared hosting (docs/performance.md#shared-hosting): a child keeps what
# a .htaccess line computes from its text alone (a regex compiled and
# judged, an origin pattern parsed), and nothing shows it: two tenants
# with the same text each get their own file:line in warnings, decision
# lines and the checker; an edited .htaccess takes effect on the next
# request; a warning is logged once per child and file; and past the
# memo's bound (10,000 texts) the 10,001st policy still works.  A private
# httpd with one child, so that every request meets the same memo.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestUtil qw(t_write_file);
use File::Path qw(make_path);
use HTTP::Request ();
use LWP::UserAgent ();
use Time::HiRes qw(sleep);

use lib 't/lib';
use CorsTest qw(private_httpd stop_httpd file_lines);

my $ua = LWP::UserAgent->new(keep_alive => 1);
# AllowOverride from <Directory />: private_httpd's <Directory> for its
# htdocs sets none of its own
my $srv = private_httpd(1, <<'EOF');
<Directory "/">
    AllowOverride FileInfo
</Directory>
<Location "/cors-status">
    SetHandler cors-status
    CORSStatus On
</Location>
EOF
my $base = "http://127.0.0.1:$srv->{ports}[0]";

sub get {
    my ($path, $origin) = @_;
    return $ua->get("$base$path", Origin => $origin);
}

sub log_lines {
    my ($re) = @_;
    return grep { $_ =~ $re } file_lines("$srv->{dir}/error_log");
}

# --- two tenants, the same text ------------------------------------------

my $regex = "CORSAllowOriginMatch \"^https://.*example\\.com\$\"\n"
            . "CORSAllowMethods PUT\n";
my %file;
for my $t (qw(alice bob)) {
    make_path("$srv->{dir}/htdocs/$t");
    t_write_file("$srv->{dir}/htdocs/$t/index.html", "$t\n");
    # the same lines, at another line of each file
    $file{$t} = "$srv->{dir}/htdocs/$t/.htaccess";
    t_write_file($file{$t}, ($t eq 'bob' ? "# bob's API\n" : '') . $regex);
}
for my $round (1 .. 10) {
    for my $t (qw(alice bob)) {
        my $res = get("/$t/index.html", 'https://app.example.com');
        is($res->header('Access-Control-Allow-Origin'),
           'https://app.example.com', "$t, request $round: allowed")
            if $round == 1 || $round == 10;
    }
}
for my $t (qw(alice bob)) {
    my $line = $t eq 'bob' ? 2 : 1;
    my @warn = log_lines(qr/CORS001: \Q$file{$t}\E:$line: .*lookalike/);
    is(scalar(@warn), 1, "$t: the lookalike warning, at $t\'s file:line, "
                         . 'once in 20 requests');
    my $text = $ua->get("$base/cors-status?check&auto&url=/$t/index.html"
                        . '&origin=https://evil.nope.example')->content;
    like($text, qr/^Set-By: CORSAllowOriginMatch \Q$file{$t}\E:$line$/m,
         "$t: the checker names $t\'s own file:line") or diag($text);
    get("/$t/index.html", 'https://evil.nope.example');
    sleep 0.2;
    my @decided = grep {
        index($_, qq{CORS004: "GET" "/$t/index.html" from }
                  . '"https://evil.nope.example"') >= 0
        && index($_, "decided by CORSAllowOriginMatch at $file{$t}:$line,")
           >= 0
    } log_lines(qr/CORS004/);
    is(scalar(@decided), 1, "$t: the decision line names $t\'s file:line");
}

# --- lines read whole, and what depends on the section ----------------------

# The same origin line in two sections: the warning that depends on
# credentials comes where they are on, and only there; a second line of
# the same directive adds to the first.
make_path("$srv->{dir}/htdocs/$_") for qw(carol dave);
t_write_file("$srv->{dir}/htdocs/$_/index.html", "$_\n") for qw(carol dave);
my $line = "CORSAllowOrigin http://plain.memo.example "
           . "https://ok.memo.example\n";
t_write_file("$srv->{dir}/htdocs/carol/.htaccess",
             "CORSAllowCredentials On\n$line"
             . "CORSAllowOrigin https://second.memo.example\n"
             . "CORSAllowMethods PUT\nCORSAllowMethods PATCH\n"
             . "CORSAllowOriginMatch ^https://re\\.memo\\.example\$\n");
t_write_file("$srv->{dir}/htdocs/dave/.htaccess", $line);
for my $o ('https://ok.memo.example', 'https://second.memo.example',
           'https://re.memo.example') {
    is(get('/carol/index.html', $o)->header('Access-Control-Allow-Origin'),
       $o, "carol: a second origin line and a regex add to the first: $o");
}
{
    my $res = $ua->request(HTTP::Request->new(OPTIONS => "$base/carol/",
        [ Origin => 'https://ok.memo.example',
          'Access-Control-Request-Method' => 'PATCH' ]));
    is($res->code, 204, 'carol: a second CORSAllowMethods line adds PATCH');
}
is(get('/dave/index.html', 'https://ok.memo.example')
       ->header('Access-Control-Allow-Credentials'), undef,
   'dave, the same origin line without credentials: no ACAC');
my $http = qr/credentials allowed for http:\/\/plain\.memo\.example/;
my @carol = log_lines(qr{\Q$srv->{dir}/htdocs/carol/.htaccess:2\E.*$http});
my @dave = log_lines(qr{\Q$srv->{dir}/htdocs/dave/\E.*$http});
is(scalar(@carol), 1, 'the http:// warning at carol\'s line, where '
                      . 'credentials are on');
is(scalar(@dave), 0, '... and none for dave\'s same line without them');

# --- an edit takes effect on the next request -------------------------------

t_write_file($file{alice},
             "CORSAllowOriginMatch ^https://edited\\.example\\.org\$\n");
is(get('/alice/index.html', 'https://edited.example.org')
       ->header('Access-Control-Allow-Origin'), 'https://edited.example.org',
   'an edited .htaccess: the new regex allows on the next request');
is(get('/alice/index.html', 'https://app.example.com')
       ->header('Access-Control-Allow-Origin'), undef,
   '... and the old one no longer does');
t_write_file($file{alice}, "CORSAllowOrigin https://list.example.org\n");
is(get('/alice/index.html', 'https://list.example.org')
       ->header('Access-Control-Allow-Origin'), 'https://list.example.org',
   'an edit from a regex to a list takes effect too');

# --- past the bound: 10,001 distinct texts, each still works -----------------

{
    my ($ok, $first) = (0, 0);
    my $n = 10_001;
    for my $i (1 .. $n) {
        t_write_file($file{alice},
                   "CORSAllowOriginMatch ^https://t$i\\.memo\\.example\$\n"
                   . "CORSAllowOrigin https://p$i.memo.example\n");
        my $res = get('/alice/index.html', "https://t$i.memo.example");
        $ok++ if ($res->header('Access-Control-Allow-Origin') // '')
                 eq "https://t$i.memo.example";
        if ($i == $n) {
            is(get('/alice/index.html', "https://p$i.memo.example")
                   ->header('Access-Control-Allow-Origin'),
               "https://p$i.memo.example",
               "the ${n}th distinct pattern allows its origin");
            is(get('/alice/index.html', 'https://t1.memo.example')
                   ->header('Access-Control-Allow-Origin'), undef,
               '... and the first regex, no longer written, does not');
        }
    }
    is($ok, $n, "$n distinct regexes in one child: each allowed its origin");
    is(scalar(log_lines(qr/AH00051|Segmentation/)), 0, 'no child died');
}

stop_httpd($srv);
done_testing();
