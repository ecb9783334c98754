# Cross-origin protection (docs/mod_cors.html#protection): the table of
# method x Sec-Fetch-Site x Origin x mode against the five steps of the
# algorithm, written here as an independent oracle; refused requests are
# 403 before authentication and before the handler, with no
# Access-Control-* header and "Vary: Origin, Sec-Fetch-Site"; WebSocket
# handshakes are judged as unsafe; exemptions follow httpd's own
# <Location> matching; hostile Sec-Fetch-Site values never give a 5xx.
# Configuration: t/conf/protect.conf.in.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use File::Spec::Functions qw(catfile);
use Time::HiRes qw(sleep);

use lib 't/lib';
use CorsTest qw(no_ac_headers vary_count raw file_lines note_for request);

my $hostport = Apache::TestRequest::hostport();

# --- the oracle: docs/mod_cors.html#protection, step by step ---------------

my %trusted = map { $_ => 1 } qw(https://trusted.example
    https://a.trusted.example https://re1.trusted.example);

sub valid_origin {
    my ($o) = @_;
    return $o =~ m{^[a-z][a-z0-9+.-]*://(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(:[1-9][0-9]*)?$}i
        && $o !~ /\.\./ && $o !~ /\.(:|$)/;
}

# refused($trust, $method, $upgrade, $sfs, $origin): true if step 1-5
# refuse; $trust says whether the section's patterns count.
sub refused {
    my ($trust, $method, $ws, $sfs, $origin) = @_;
    return 0 if $method =~ /^(GET|HEAD|OPTIONS)$/ && !$ws;       # 1
    return 0 if $trust && defined $origin && $trusted{$origin};  # 2
    $sfs = undef if defined $sfs && $sfs eq '';
    return !($sfs eq 'same-origin' || $sfs eq 'none')            # 3
        if defined $sfs;
    return 0 if !defined $origin;                                # 4
    if (valid_origin($origin)) {                                 # 5
        my ($hp) = $origin =~ m{^[^:]+://(.*)$};
        return 0 if lc $hp eq lc $hostport;
    }
    return 1;
}

# --- the table ---------------------------------------------------------------

my @methods = qw(GET HEAD OPTIONS POST PUT DELETE PATCH);
my @sites = (undef, 'same-origin', 'none', 'same-site', 'cross-site',
             'Cross-Site', 'garbage', '');
my @origins = (undef, "http://$hostport", 'http://other.example',
               'https://a.trusted.example', 'https://re1.trusted.example',
               'null', "http://evil\@$hostport",
               # host[:port] a prefix of Host: step 5 compares it whole
               'http://' . substr($hostport, 0, -1), 'http://127.0.0.1');
# [ mode, path, refuses at all, patterns trusted ]
my @modes = (
    [ 'On', '/prot/on/index.html', 1, 1 ],
    [ 'inherited', '/prot/on/inherit/index.html', 1, 1 ],
    [ 'exempted sub-section', '/prot/on/exempt/index.html', 0, 1 ],
    [ 'ReportOnly', '/prot/report/index.html', 0, 1 ],
    [ 'Off', '/prot/off/index.html', 0, 1 ],
    [ 'On, no origins', '/prot/only/index.html', 1, 0 ],
    [ 'On, CORSAllowOrigin *', '/prot/star/index.html', 1, 0 ],
);

my (%report_ids, $n);
for my $m (@modes) {
    my ($mode, $path, $refuses, $trust) = @$m;
    for my $method (@methods) {
        for my $sfs (@sites) {
            for my $origin (@origins) {
                my $want = $refuses && refused($trust, $method, 0, $sfs,
                                               $origin);
                my $id = 'prot-' . $$ . '-' . ++$n;
                my @h = ('X-Test-Id' => $id);
                push @h, 'Sec-Fetch-Site' => $sfs if defined $sfs;
                push @h, Origin => $origin if defined $origin;
                my $res = request($method, $path, @h);
                my $label = sprintf '%s: %s, Sec-Fetch-Site %s, Origin %s',
                    $mode, $method, $sfs // '(none)', $origin // '(none)';
                if ($want) {
                    ok($res->code == 403 && no_ac_headers($res)
                       && vary_count($res, 'Origin') == 1
                       && vary_count($res, 'Sec-Fetch-Site') == 1,
                       "$label: refused") or diag($res->as_string);
                }
                else {
                    ok($res->code != 403 && $res->code < 500
                       && !vary_count($res, 'Sec-Fetch-Site'),
                       "$label: passes") or diag($res->as_string);
                }
                $report_ids{$id} = refused(1, $method, 0, $sfs, $origin)
                    if $mode eq 'ReportOnly';
            }
        }
    }
}

# ReportOnly: the note says protect:report exactly where On would refuse.
{
    my $log = catfile(Apache::Test::vars('t_logs'), 'prot_log');
    my %note;
    for (1 .. 50) {
        %note = map { split / /, $_, 2 } grep { /^prot-$$-/ }
                file_lines($log);
        last if keys %note >= $n;
        sleep 0.1;
    }
    my $wrong = grep {
        ($note{$_} // '') eq 'protect:report' xor $report_ids{$_}
    } keys %report_ids;
    is($wrong, 0, 'ReportOnly: protect:report noted exactly where On '
                  . 'refuses (' . scalar(keys %report_ids) . ' requests)');
}

# --- WebSocket handshakes are unsafe ----------------------------------------

for my $c (['websocket', 1], ['WebSocket', 1], ['h2c', 0],
           ['foo, websocket', 1]) {
    my ($upgrade, $unsafe) = @$c;
    my $res = request('GET', '/prot/on/index.html', Upgrade => $upgrade,
                       Connection => 'Upgrade',
                       'Sec-Fetch-Site' => 'cross-site',
                       Origin => 'https://evil.example');
    if ($unsafe) {
        is($res->code, 403, "GET with Upgrade: $upgrade, cross-site: "
                            . 'refused (cross-site WebSocket hijacking)');
    }
    else {
        isnt($res->code, 403, "GET with Upgrade: $upgrade: a safe GET");
    }
}
{
    my $res = request('GET', '/prot/on/index.html', Upgrade => 'websocket',
                       Connection => 'Upgrade',
                       'Sec-Fetch-Site' => 'same-origin');
    isnt($res->code, 403, 'a same-origin WebSocket handshake passes');
}

# An OPTIONS request is no WebSocket handshake, whatever its Upgrade says:
# under ReportOnly a preflight keeps its own answer and note.
for my $c (['null', 204, 'preflight:allowed'],
           ['https://other.example', 403, 'preflight:denied:origin']) {
    my ($origin, $code, $note) = @$c;
    my $id = "prot-ws-$$-$origin";
    my $res = request('OPTIONS', '/prot/report/index.html',
                       Origin => $origin,
                       'Access-Control-Request-Method' => 'GET',
                       Upgrade => 'websocket', Connection => 'Upgrade',
                       'Sec-Fetch-Site' => 'cross-site', 'X-Test-Id' => $id);
    is($res->code, $code, "ReportOnly, preflight from $origin with Upgrade: "
                          . "websocket: answered as a preflight");
    is(note_for($id, 'prot_log'), $note, "... and noted $note");
}

# --- never reaches the handler, never asks for a password -------------------

{
    my $record = catfile(Apache::Test::vars('t_logs'), 'prot_record');
    my $res = request('POST', '/prot/on/cgi/int-record',
                       'Sec-Fetch-Site' => 'cross-site',
                       Origin => 'https://evil.example',
                       'Content-Type' => 'application/x-www-form-urlencoded');
    sleep 0.3;
    ok($res->code == 403 && !file_lines($record),
       'a refused POST to a CGI script: 403, the script never ran');
    $res = request('POST', '/prot/on/cgi/int-record',
                    'Sec-Fetch-Site' => 'same-origin');
    sleep 0.3;
    ok($res->code == 200 && scalar(file_lines($record)) == 1,
       '... the same POST from the same origin runs it');

    $res = request('POST', '/prot/on/auth/index.html',
                    'Sec-Fetch-Site' => 'cross-site');
    ok($res->code == 403 && !defined $res->header('WWW-Authenticate'),
       'behind Require valid-user: 403 without a 401 challenge');
    $res = request('POST', '/prot/on/auth/index.html',
                    'Sec-Fetch-Site' => 'same-origin');
    is($res->code, 401, '... a passing request still meets authentication');
}

# --- exemptions follow httpd's own <Location> matching -----------------------

# <Location "/prot/on/hook"> sets X-In-Hook: the request is exempt
# exactly when httpd says it is in that section.
for my $p ('/prot/on/hook', '/prot/on/hook/', '/prot/on/hook/x',
           '/prot/on/hookx', '/prot/on/%68ook', '/prot/on//hook',
           '/prot/on/a/../hook', '/prot/on/HOOK') {
    my $res = request('POST', $p, 'Sec-Fetch-Site' => 'cross-site');
    my $in = defined $res->header('X-In-Hook');
    ok($in ? $res->code != 403 : $res->code == 403,
       "$p: " . ($in ? 'inside <Location /prot/on/hook>, exempt'
                     : 'outside it, refused') . ' (' . $res->code . ')');
}

# An encoded slash never reaches any module: httpd answers 404 itself
# (AllowEncodedSlashes Off), so it cannot widen an exemption either.
is(request('POST', '/prot/on/hook%2f', 'Sec-Fetch-Site' => 'cross-site')
       ->code, 404, '/prot/on/hook%2f: httpd\'s own 404');

# --- bad input ----------------------------------------------------------------

for my $c ([ 'two Sec-Fetch-Site lines',
             ['Sec-Fetch-Site: same-origin', 'Sec-Fetch-Site: cross-site'] ],
           [ 'two same-origin lines',
             ['Sec-Fetch-Site: same-origin', 'Sec-Fetch-Site: same-origin'] ],
           [ 'an enormous value', ['Sec-Fetch-Site: ' . ('x' x 7000)] ],
           [ 'Same-Origin', ['Sec-Fetch-Site: Same-Origin'] ],
           [ 'a list', ['Sec-Fetch-Site: same-origin, none'] ],
           [ 'an Origin list', ["Origin: http://$hostport, http://$hostport"] ],
           [ 'userinfo', ["Origin: http://x\@$hostport"] ]) {
    my ($label, $lines) = @$c;
    my $res = raw('POST', '/prot/on/index.html', 'Content-Length: 0', @$lines);
    is($res->code, 403, "$label: refused, no 5xx");
}

done_testing();
