#!/usr/bin/perl
# The application behind the API: like many frameworks' CORS middleware,
# it sets Access-Control-Allow-Origin itself.  X-App shows that it ran.
print "Content-Type: application/json\r\n";
print "Access-Control-Allow-Origin: https://app.example.com\r\n";
print "X-App: ran for $ENV{REQUEST_METHOD}\r\n";
print "\r\n";
print "{\"from\": \"app\"}\n";
