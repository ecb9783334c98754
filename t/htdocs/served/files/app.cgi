#!/usr/bin/perl
# Appends "METHOD /path" for every request it runs for to $INT_RECORD.
use strict;
use warnings;

my $path = ($ENV{SCRIPT_NAME} // '') . ($ENV{PATH_INFO} // '');
open my $fh, '>>', $ENV{INT_RECORD} or die "INT_RECORD: $!";
print $fh "$ENV{REQUEST_METHOD} $path\n";
close $fh or die $!;
print "Content-Type: text/plain\r\n\r\nrecorded $ENV{REQUEST_METHOD}\n";
