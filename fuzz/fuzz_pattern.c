/* Licensed under the Apache License, Version 2.0. */

/*
 * libFuzzer target: configuration patterns.  A pattern that parses
 * writes back to a form that parses again to the same pattern.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apr_general.h"
#include "apr_strings.h"

#include "cors_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    apr_pool_t *p;
    cors_pattern pat, again;
    const char *text, *back;

    if (!ready) {
        apr_initialize();
        ready = 1;
    }
    apr_pool_create(&p, NULL);
    /* a directive argument is a C string: stop at the first NUL */
    text = apr_pstrndup(p, (const char *)data, size);
    if (cors_pattern_parse(p, text, &pat) == NULL) {
        back = cors_pattern_unparse(p, &pat);
        if (cors_pattern_parse(p, back, &again) != NULL
            || strcmp(pat.scheme, again.scheme) || strcmp(pat.host, again.host)
            || pat.port != again.port || pat.wildcard != again.wildcard) {
            abort();
        }
        (void)cors_pattern_is_local(&pat);
        (void)cors_pattern_under_public_suffix(&pat);
    }
    apr_pool_destroy(p);
    return 0;
}
