# Cross-origin protection is judged under the configuration of every URL
# a request is served through, not only the one it asked for
# (docs/mod_cors.html#protection): a <FilesMatch>, <Files> or <Location>
# that protects a script holds when the script is reached through
# DirectoryIndex, MultiViews, a front controller's RewriteRule in
# .htaccess or a rewrite into the protected <Location>.  A cross-site form
# POST is refused with 403 before the script runs (it leaves no mark); a
# same-origin POST on the same route runs it.  Configuration:
# t/conf/served.conf.in.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestUtil qw(t_write_file);
use File::Spec::Functions qw(catfile);

use lib 't/lib';
use CorsTest qw(request note_for file_lines needs_modules);

needs_modules(qw(cgid rewrite negotiation dir));

my $docroot = Apache::Test::vars('documentroot');
my $record = catfile(Apache::Test::vars('t_logs'), 'served_record');

# a front controller, as WordPress and Laravel install it, and a rewrite
# from an open directory into the protected <Location>
t_write_file(catfile($docroot, qw(served front .htaccess)),
             "RewriteEngine On\nRewriteRule ^ /served/files/app.cgi [L]\n");
t_write_file(catfile($docroot, qw(served open .htaccess)),
             "RewriteEngine On\nRewriteRule ^go\$ /served/locked/run.cgi "
             . "[L]\n");

# [ route, the URL requested, the script that answers it ]
my @routes = (
    [ 'DirectoryIndex into <FilesMatch>', '/served/files/',
      '/served/files/index.cgi' ],
    [ 'MultiViews into <FilesMatch>', '/served/files/app',
      '/served/files/app.cgi' ],
    [ 'the script itself, <FilesMatch>', '/served/files/app.cgi',
      '/served/files/app.cgi' ],
    [ 'DirectoryIndex into <Files>', '/served/one/', '/served/one/app.cgi' ],
    [ 'a front controller in .htaccess into <FilesMatch>',
      '/served/front/any/route', '/served/files/app.cgi' ],
    [ 'a rewrite in .htaccess into a protected <Location>',
      '/served/open/go', '/served/locked/run.cgi' ],
);

my $n = 0;
for my $r (@routes) {
    my ($route, $url, $script) = @$r;
    my @before = file_lines($record);
    my $id = "served-$$-" . ++$n;
    my $res = request('POST', $url, Origin => 'https://evil.example',
                      'Sec-Fetch-Site' => 'cross-site', 'X-Test-Id' => $id,
                      'Content-Type' => 'application/x-www-form-urlencoded');
    is($res->code, 403, "$route: a cross-site POST to $url is refused")
        or diag($res->as_string);
    my @now = file_lines($record);
    is(scalar(@now), scalar(@before), "$route: $script did not run");
    is(note_for($id, 'served_log'), 'protect:refused',
       "$route: noted protect:refused");

    $res = request('POST', $url, 'Sec-Fetch-Site' => 'same-origin',
                   'Content-Type' => 'application/x-www-form-urlencoded');
    my @after = file_lines($record);
    ok($res->code == 200 && @after == @before + 1
       && $after[-1] eq "POST $script",
       "$route: a same-origin POST to $url runs $script")
        or diag($res->as_string, "record: @after");
}
unlink map { catfile($docroot, 'served', $_, '.htaccess') } qw(front open);

done_testing();
