/* Licensed under the Apache License, Version 2.0. */

/*
 * libFuzzer target: Access-Control-Request-Headers values.  Every element
 * the list walk returns lies inside the input, is a token when reported
 * as one, and the walk always ends.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apr_general.h"

#include "cors_match.h"

static apr_array_header_t *names;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *p = s, *tok, *bad;
    apr_size_t len, badlen, steps = 0;
    int rv;

    if (names == NULL) {
        apr_pool_t *pool;

        apr_initialize();
        apr_pool_create(&pool, NULL);
        names = apr_array_make(pool, 4, sizeof(const char *));
        cors_names_add(names, "Content-Type");
        cors_names_add(names, "X-Requested-With");
        cors_names_add(names, "Authorization");
    }
    while ((rv = cors_list_next(&p, s + size, &tok, &len)) != 0) {
        if (tok < s || tok + len > s + size || p > s + size
            || (rv > 0 && !cors_is_token(tok, len)) || ++steps > size) {
            abort();
        }
    }
    (void)cors_request_headers_allowed(s, size, names, 0, &bad, &badlen);
    (void)cors_request_headers_allowed(s, size, names, 1, &bad, &badlen);
    {
        /* the log's list of every refused name stays within its bound */
        apr_pool_t *p;
        const char *all;

        apr_pool_create(&p, NULL);
        all = cors_request_headers_refused(p, s, size, names, 0, 200);
        if (strlen(all) > 203) {
            abort();
        }
        apr_pool_destroy(p);
    }
    return 0;
}
