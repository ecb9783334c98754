/* Licensed under the Apache License, Version 2.0. */

/*
 * libFuzzer target: lookalike probes of a CORSAllowOriginMatch regex
 * (docs/mod_cors.html#safety).  Any text a tenant can write in .htaccess
 * reaches cors_regex_probes(): it must end, read only its input, and
 * produce probes that are origins built around the host it read.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apr_general.h"
#include "apr_strings.h"

#include "cors_match.h"

static apr_pool_t *pool;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    apr_array_header_t *probes;
    const char *host, *err;
    char *re;
    int i;

    if (pool == NULL) {
        apr_initialize();
        apr_pool_create(&pool, NULL);
    }
    apr_pool_create(&p, pool);
    re = apr_pstrmemdup(p, (const char *)data, size);
    err = cors_regex_probes(p, re, &host, &probes);
    if ((err == NULL) != (probes != NULL) || (err == NULL && host == NULL)) {
        abort();
    }
    for (i = 0; probes && i < probes->nelts; i++) {
        const char *probe = APR_ARRAY_IDX(probes, i, const char *);

        if (!strstr(probe, "://") || strlen(probe) > strlen(host) + 32) {
            abort();
        }
    }
    apr_pool_destroy(p);
    return 0;
}
