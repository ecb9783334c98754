/* Licensed under the Apache License, Version 2.0. */

/*
 * libFuzzer target: the domain set of a CORSAllowOriginMatch regex
 * (docs/mod_cors.html#trust).  Any text a tenant can write in .htaccess
 * reaches cors_regex_domains(): it must end, read only its input, hold
 * at most 16 names, and never return a public suffix -- each domain is
 * its own registrable domain.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apr_general.h"
#include "apr_strings.h"

#include "cors_match.h"

static apr_pool_t *pool;

/* Four dotted numbers: the domain set keeps an IPv4 host as it is. */
static int cors_fuzz_is_ipv4(const char *d)
{
    int dots = 0;

    for (; *d; d++) {
        if (*d == '.') {
            dots++;
        }
        else if (*d < '0' || *d > '9') {
            return 0;
        }
    }
    return dots == 3;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    apr_array_header_t *set;
    int i;

    if (pool == NULL) {
        apr_initialize();
        apr_pool_create(&pool, NULL);
        cors_match_init(pool);
    }
    apr_pool_create(&p, pool);
    set = cors_regex_domains(p, apr_pstrmemdup(p, (const char *)data, size));
    if (set == NULL || set->nelts > 16) {
        abort();
    }
    for (i = 0; i < set->nelts; i++) {
        const char *d = APR_ARRAY_IDX(set, i, const char *);
        const char *r = cors_registrable_domain(d, cors_fuzz_is_ipv4(d));

        if (*d == '\0' || r == NULL || strcmp(r, d)) {
            abort();
        }
    }
    apr_pool_destroy(p);
    return 0;
}
