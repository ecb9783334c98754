# The module is loaded from the build directory and the server answers.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);

my $res = GET '/', Origin => 'https://load.example';
is($res->code, 200, 'server answers');
ok(scalar(grep { /^LoadModule cors_module / } do {
    open my $fh, '<', 't/conf/extra.conf' or die $!; <$fh> }),
   'extra.conf loads cors_module from the build directory');

done_testing();
