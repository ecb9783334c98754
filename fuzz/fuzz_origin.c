/* Licensed under the Apache License, Version 2.0. */

/*
 * libFuzzer target: a request's Origin value through the syntax check
 * and the origin set.  Whatever the bytes, a value is allowed only if it
 * parsed, and the parse never points outside the input.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apr_general.h"

#include "cors_match.h"

static cors_origin_set *set;

static void fuzz_add(apr_pool_t *p, const char *text)
{
    cors_pattern pat;

    if (cors_pattern_parse(p, text, &pat) != NULL) {
        abort();
    }
    cors_set_add(p, set, &pat);
}

static void fuzz_setup(void)
{
    apr_pool_t *p;

    apr_initialize();
    apr_pool_create(&p, NULL);
    set = cors_set_make(p);
    fuzz_add(p, "https://app.example.com");
    fuzz_add(p, "https://*.example.org");
    fuzz_add(p, "http://localhost:*");
    fuzz_add(p, "http://*.dev.example.net:8080");
    fuzz_add(p, "https://[::1]:8443");
    fuzz_add(p, "http://127.0.0.1:3000");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cors_origin o;
    const char *s = (const char *)data;

    if (set == NULL) {
        fuzz_setup();
    }
    if (!cors_origin_parse(s, size, &o)) {
        return 0;
    }
    /* one serialized origin: no list, no space, no path, in bounds */
    if (size > CORS_ORIGIN_MAX || memchr(s, ',', size) || memchr(s, ' ', size)
        || memchr(s, '\0', size)) {
        abort();
    }
    if (!o.is_null
        && (o.scheme != s || o.scheme_len + 3 > size
            || memcmp(s + o.scheme_len, "://", 3) != 0
            || o.host != s + o.scheme_len + 3
            || o.host + o.host_len > s + size
            || memchr(o.host, '/', size - (o.host - s)) != NULL
            || (o.host + o.host_len < s + size) != (o.port != 0)
            || o.port < 0 || o.port > 65535)) {
        abort();
    }
    (void)cors_set_match(set, &o);
    return 0;
}
