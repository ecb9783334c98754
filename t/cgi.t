# CGI scripts under the /int/ policy (t/conf/integration.conf.in,
# t/cgi-bin/int-*).  int-headers prints its own Access-Control-* headers
# (ACAO https://evil.example, ACAC false, ACAM, ACMA, Access-Control-Foo)
# and Vary: Cookie; httpd puts CGI headers in err_headers_out.
# int-record appends "METHOD /path" to t/logs/int_record for every
# request it runs for.
#
# docs/mod_cors.html#requests: the module is "the only source of Access-Control-* response
# headers where it is active: any that a ... CGI script ... set are
# removed"; "Vary is merged, never replaced, and Origin appears in it
# once"; a preflight is answered "without reaching the handler (no CGI
# ...)".
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET OPTIONS);
use HTTP::Request ();

use lib 't/lib';
use CorsTest qw(vary_count ac_names preflight file_lines int_actual_allowed
                int_preflight_allowed int_denied int_not_granted);

my $app    = 'https://app.example';
my $sub    = 'https://x.y.example.org';
my $evil   = 'https://evil.example';
my $record = Apache::Test::vars('t_logs') . '/int_record';
my $tag    = "c$$";

my @scripts = (
    ['/int/cgi/int-headers', 200],
    ['/int/cgi/int-headers?status=404', 404],
    ['/int/cgi/int-headers?status=503', 503],
    ['/int/cgi/int-headers?vary-origin', 200],
);

for my $s (@scripts) {
    my ($path, $status) = @$s;
    for my $origin ($app, $sub) {
        my $label = "$path, allowed $origin";
        my $res = GET $path, Origin => $origin;
        is($res->code, $status, "$label: status");
        # the module's headers, not the script's ACAO, ACAC false, ACAM,
        # ACMA or Access-Control-Foo
        int_actual_allowed($res, $origin, $label);
        is(vary_count($res, 'Cookie'), 1, "$label: Vary keeps Cookie");
        is_deeply([$res->header('X-Total')], ['3'],
                  "$label: other headers untouched");
        like($res->content, qr/int-headers body/, "$label: the script ran");
    }
    for (int_not_granted($path, $status, $path, 'Cookie')) {
        my ($label, $res) = @$_;
        is_deeply([$res->header('X-Total')], ['3'],
                  "$label: other headers untouched");
    }
}

# Preflights never run the script.
my $pre = "/int/cgi/int-record/$tag-pre";
{
    my $label = 'allowed preflight to a CGI script';
    my $res = preflight($pre, $app, 'DELETE',
                        'Access-Control-Request-Headers' => 'content-type');
    int_preflight_allowed($res, $app, 'DELETE', $label);
    ok(!defined $res->header('Content-Type'), "$label: no Content-Type");
}
for my $h ([Origin => $evil, 'Access-Control-Request-Method' => 'PUT'],
           [Origin => $app, 'Access-Control-Request-Method' => 'PATCH']) {
    my $label = "denied preflight to a CGI script ($h->[1] $h->[3])";
    my $res = OPTIONS $pre, @$h;
    int_denied($res, 403, $label);
    unlike($res->content, qr/recorded/, "$label: the script did not answer");
    ok(!defined $res->header('Access-Control-Foo'),
       "$label: no script header");
}

# An OPTIONS that is not a preflight (no Access-Control-Request-Method,
# or no Origin) runs the script: the record can show OPTIONS.
{
    my $res = OPTIONS "/int/cgi/int-record/$tag-ctl", Origin => $app;
    is($res->code, 200, 'OPTIONS without ACRM: 200 from the script');
    like($res->content, qr/recorded OPTIONS/,
         'OPTIONS without ACRM: the script ran');
    is_deeply([$res->header('Access-Control-Allow-Origin')], [$app],
              'OPTIONS without ACRM: actual-request ACAO');
    $res = OPTIONS "/int/cgi/int-record/$tag-ctl2",
                   'Access-Control-Request-Method' => 'PUT';
    like($res->content, qr/recorded OPTIONS/,
         'OPTIONS with ACRM but no Origin: the script ran');
}

# Actual requests run the script, whatever the origin.
my @actual = (
    [GET    => [Origin => $app]],
    [POST   => [Origin => $sub, 'Content-Type' => 'text/plain']],
    [PUT    => [Origin => $app, 'Content-Type' => 'application/json']],
    [DELETE => [Origin => $evil]],
);
my $ua = Apache::TestRequest::user_agent();
for my $a (@actual) {
    my ($method, $h) = @$a;
    my $url = Apache::TestRequest::resolve_url("/int/cgi/int-record/$tag-act");
    $ua->request(HTTP::Request->new($method, $url, $h, ''));
}
my @lines = file_lines($record);
for my $want ("OPTIONS /int/cgi/int-record/$tag-ctl",
              "OPTIONS /int/cgi/int-record/$tag-ctl2",
              map { "$_->[0] /int/cgi/int-record/$tag-act" } @actual) {
    ok(scalar(grep { $_ eq $want } @lines), "the script saw $want");
}
ok(scalar(@lines) > 0, 'the record is not empty');
is_deeply([grep { /\Q$tag\E-pre$/ } @lines], [],
          'the script saw none of the preflights');

done_testing();
