/* Licensed under the Apache License, Version 2.0. */

/*
 * Unit tests for cors_match.c, derived from the manual
 * (docs/mod_cors.html: #origins, #requests, #checks, #safety).  No
 * framework: every check that fails prints one line with file:line and
 * its input, and the last line
 * is "N passed, N failed".  The exit status is 1 if any check failed.
 *
 * Inputs to the functions that take a length are copied into a malloc'd
 * buffer of exactly that length, without a NUL, so that AddressSanitizer
 * reports any read past the end.
 *
 * The sections that parse Origin values with a port run last, so that an
 * over-read there (an ASan abort) does not hide the other results.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"
#include "apr_tables.h"

#include "cors_match.h"

/* A string literal and its length, embedded NULs included. */
#define S(lit) (lit), sizeof(lit) - 1

static int n_passed, n_failed;
static apr_pool_t *pool;

static void check(int ok, int line, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        n_passed++;
        return;
    }
    n_failed++;
    printf("%s:%d: ", __FILE__, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

/* s/len quoted, every byte visible; long values are cut short. */
static const char *show(const char *s, apr_size_t len)
{
    static char bufs[4][600];
    static int next;
    char *buf = bufs[next++ % 4];
    apr_size_t i, n = 0;

    if (s == NULL) {
        return "(null)";
    }
    buf[n++] = '"';
    for (i = 0; i < len && i < 100; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '"' || c == '\\') {
            n += sprintf(buf + n, "\\%c", c);
        }
        else if (c == '\r') {
            n += sprintf(buf + n, "\\r");
        }
        else if (c == '\n') {
            n += sprintf(buf + n, "\\n");
        }
        else if (c == '\t') {
            n += sprintf(buf + n, "\\t");
        }
        else if (c < 0x20 || c >= 0x7f) {
            n += sprintf(buf + n, "\\x%02x", c);
        }
        else {
            buf[n++] = c;
        }
    }
    buf[n++] = '"';
    buf[n] = '\0';
    if (i < len) {
        sprintf(buf + n, "... (%lu bytes)", (unsigned long)len);
    }
    return buf;
}

static const char *showz(const char *s)
{
    return s ? show(s, strlen(s)) : "(null)";
}

/* A copy of s/len in a buffer of exactly len bytes, no NUL. */
static char *exact(const char *s, apr_size_t len)
{
    char *b = malloc(len);

    if (b == NULL && len > 0) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    if (len > 0) {
        memcpy(b, s, len);
    }
    return b;
}

/* An input of len bytes and the result wanted for it. */
typedef struct {
    int line;
    const char *in;
    apr_size_t len;
    int want;
} bytes_row;

/*
 * cors_is_token (RFC 9110 tchar)
 */

static const bytes_row token_rows[] = {
    {__LINE__, S("a"), 1},
    {__LINE__, S("X-Custom-Header"), 1},
    {__LINE__, S("Content-Type"), 1},
    {__LINE__, S("!#$%&'*+-.^_`|~"), 1},
    {__LINE__, S("0123456789"), 1},
    {__LINE__, S("AZaz09"), 1},
    {__LINE__, S("*"), 1},
    {__LINE__, S(""), 0},
    {__LINE__, S("a b"), 0},
    {__LINE__, S(" a"), 0},
    {__LINE__, S("a,b"), 0},
    {__LINE__, S("a:b"), 0},
    {__LINE__, S("a;b"), 0},
    {__LINE__, S("a=b"), 0},
    {__LINE__, S("a/b"), 0},
    {__LINE__, S("a\"b"), 0},
    {__LINE__, S("(a)"), 0},
    {__LINE__, S("<a>"), 0},
    {__LINE__, S("[a]"), 0},
    {__LINE__, S("{a}"), 0},
    {__LINE__, S("a?b"), 0},
    {__LINE__, S("a@b"), 0},
    {__LINE__, S("a\\b"), 0},
    {__LINE__, S("a\tb"), 0},
    {__LINE__, S("a\r\n"), 0},
    {__LINE__, S("a\x7f"), 0},
    {__LINE__, S("\xc3\xa9t\xc3\xa9"), 0},
    {__LINE__, S("a\0b"), 0},
    {__LINE__, S("\0"), 0},
};

static void test_is_token(void)
{
    apr_size_t i;

    for (i = 0; i < sizeof(token_rows) / sizeof(token_rows[0]); i++) {
        const bytes_row *r = &token_rows[i];
        char *b = exact(r->in, r->len);
        int got = cors_is_token(b, r->len);

        check(got == r->want, r->line, "cors_is_token(%s) = %d, want %d",
              show(r->in, r->len), got, r->want);
        free(b);
    }
}

/*
 * cors_list_next: the elements as "[a][b]", then "$" at the end (with *p
 * at the end of the value), or "!<bad>" for a malformed element.
 */

typedef struct {
    int line;
    const char *in;
    apr_size_t len;
    const char *toks[6];        /* the elements, NULL after the last */
    const char *bad;            /* the malformed element that ends it */
    apr_size_t badlen;
} list_row;

static const list_row list_rows[] = {
    {__LINE__, S("a, b,,c"), {"a", "b", "c"}, NULL, 0},
    {__LINE__, S("  ,, , a ,\t b"), {"a", "b"}, NULL, 0},
    {__LINE__, S(""), {NULL}, NULL, 0},
    {__LINE__, S(",,,,"), {NULL}, NULL, 0},
    {__LINE__, S(" \t , \t"), {NULL}, NULL, 0},
    {__LINE__, S("a b"), {NULL}, S("a b")},
    {__LINE__, S("a"), {"a"}, NULL, 0},
    {__LINE__, S(" a "), {"a"}, NULL, 0},
    {__LINE__, S("\ta\t"), {"a"}, NULL, 0},
    {__LINE__, S("a,"), {"a"}, NULL, 0},
    {__LINE__, S("X-A , x-b"), {"X-A", "x-b"}, NULL, 0},
    {__LINE__, S("a,,,,,,,,,,,,b,,,,,,,,"), {"a", "b"}, NULL, 0},
    {__LINE__, S("a, b c, d"), {"a"}, S("b c")},
    {__LINE__, S("a;b, c"), {NULL}, S("a;b")},
    {__LINE__, S("a, \"b\""), {"a"}, S("\"b\"")},
    {__LINE__, S("a, b\r\n c"), {"a"}, S("b\r\n c")},
    {__LINE__, S("a, b\0"), {"a"}, S("b\0")},
    {__LINE__, S("x-a,x-b,x-c,x-d,x-e"), {"x-a", "x-b", "x-c", "x-d", "x-e"},
     NULL, 0},
    /* OWS after a token, then something other than a comma */
    {__LINE__, S("a b ,c"), {NULL}, S("a b")},
    {__LINE__, S("a b\t"), {NULL}, S("a b")},
    {__LINE__, S("a ;b,c"), {NULL}, S("a ;b")},
    {__LINE__, S("a\t,b"), {"a", "b"}, NULL, 0},
    {__LINE__, S("a, ;"), {"a"}, S(";")},
    {__LINE__, S("a,\x80" "b"), {"a"}, S("\x80" "b")},
};

static void list_case(int line, const char *in, apr_size_t len,
                      const char *const *toks, const char *bad,
                      apr_size_t badlen)
{
    char *b = exact(in, len);
    const char *p = b, *end = b + len, *tok;
    char got[2000], want[2000];
    apr_size_t n = 0, k, toklen;
    int rv;

    want[0] = '\0';
    for (k = 0; toks[k] != NULL; k++) {
        n += snprintf(want + n, sizeof(want) - n, "[%s]", showz(toks[k]));
    }
    if (bad) {
        snprintf(want + n, sizeof(want) - n, "!%s", show(bad, badlen));
    }
    else {
        snprintf(want + n, sizeof(want) - n, "$");
    }

    n = 0;
    got[0] = '\0';
    for (k = 0; k < 10 && n < sizeof(got) - 700; k++) {
        tok = NULL;
        toklen = 0;
        rv = cors_list_next(&p, end, &tok, &toklen);
        if (rv == 0) {
            n += snprintf(got + n, sizeof(got) - n, p == end ? "$" : "$?");
            break;
        }
        if (tok == NULL || tok < b || tok + toklen > end) {
            n += snprintf(got + n, sizeof(got) - n, "(outside)");
            break;
        }
        if (rv < 0) {
            n += snprintf(got + n, sizeof(got) - n, "!%s",
                          show(tok, toklen));
            break;
        }
        n += snprintf(got + n, sizeof(got) - n, "[%s]", show(tok, toklen));
    }
    check(strcmp(got, want) == 0, line, "cors_list_next(%s) gives %s, want %s",
          show(in, len), got, want);
    free(b);
}

static void test_list_next(void)
{
    static const char *const none[] = {NULL};
    static const char *const ab[] = {"a", "b", NULL};
    char *in;
    apr_size_t i;

    for (i = 0; i < sizeof(list_rows) / sizeof(list_rows[0]); i++) {
        const list_row *r = &list_rows[i];

        list_case(r->line, r->in, r->len, r->toks, r->bad, r->badlen);
    }

    /* Hundreds of empty elements, with and without whitespace. */
    in = malloc(2000);
    memset(in, ',', 500);
    list_case(__LINE__, in, 500, none, NULL, 0);
    memset(in, ',', 500);
    in[500] = 'a';
    memset(in + 501, ',', 500);
    in[1001] = 'b';
    memset(in + 1002, ',', 500);
    list_case(__LINE__, in, 1502, ab, NULL, 0);
    for (i = 0; i < 1500; i += 3) {
        memcpy(in + i, " ,\t", 3);
    }
    list_case(__LINE__, in, 1500, none, NULL, 0);
    free(in);
}

/*
 * cors_names_add, cors_names_has
 */

/* Against the list built in test_names: x-custom content-type x-cust */
static const bytes_row has_rows[] = {
    {__LINE__, S("x-custom"), 1},
    {__LINE__, S("X-CUSTOM"), 1},
    {__LINE__, S("X-Custom"), 1},
    {__LINE__, S("Content-type"), 1},
    {__LINE__, S("x-cust"), 1},
    {__LINE__, S("X-CUST"), 1},
    {__LINE__, S("x-cus"), 0},
    {__LINE__, S("x-customx"), 0},
    {__LINE__, S("x-custom2"), 0},
    {__LINE__, S("content-typ"), 0},
    {__LINE__, S("content-types"), 0},
    {__LINE__, S("x"), 0},
    {__LINE__, S(""), 0},
    {__LINE__, S("authorization"), 0},
    /* same length, another first byte */
    {__LINE__, S("y-custom"), 0},
    {__LINE__, S("_-custom"), 0},
    /* only len bytes of the token count */
    {__LINE__, "x-customer", 8, 1},
    {__LINE__, "x-customer", 6, 1},
    {__LINE__, "x-customer", 7, 0},
};

/* Add name to names; want 1 if it is new, 0 if it is there already. */
static void names_add_case(int line, apr_array_header_t *names,
                           const char *name, int want)
{
    int rv = cors_names_add(names, name);

    check(rv == want, line, "cors_names_add(%s) = %d, want %d", showz(name),
          rv, want);
}

static void test_names(void)
{
    apr_pool_t *p;
    apr_array_header_t *names;
    char *b;
    apr_size_t i;
    int rv;

    apr_pool_create(&p, pool);
    names = apr_array_make(p, 2, sizeof(const char *));

    names_add_case(__LINE__, names, "X-Custom", 1);
    names_add_case(__LINE__, names, "x-custom", 0);
    names_add_case(__LINE__, names, "X-CUSTOM", 0);
    check(names->nelts == 1, __LINE__, "one name after three adds of "
          "X-Custom: %d names", names->nelts);
    check(names->nelts >= 1
          && strcmp(APR_ARRAY_IDX(names, 0, const char *), "X-Custom") == 0,
          __LINE__, "cors_names_add(\"X-Custom\") stored %s, want "
          "\"X-Custom\" as first written", names->nelts >= 1
          ? showz(APR_ARRAY_IDX(names, 0, const char *)) : "nothing");
    names_add_case(__LINE__, names, "Content-Type", 1);
    check(names->nelts == 2
          && strcmp(APR_ARRAY_IDX(names, 1, const char *),
                    "Content-Type") == 0,
          __LINE__, "cors_names_add(\"Content-Type\") stored %s, want "
          "\"Content-Type\"", names->nelts == 2
          ? showz(APR_ARRAY_IDX(names, 1, const char *)) : "nothing");
    names_add_case(__LINE__, names, "X-Cust", 1);    /* prefix of x-custom */
    names_add_case(__LINE__, names, "CONTENT-TYPE", 0);
    check(names->nelts == 3, __LINE__, "3 distinct names added, list "
          "holds %d", names->nelts);

    for (i = 0; i < sizeof(has_rows) / sizeof(has_rows[0]); i++) {
        const bytes_row *r = &has_rows[i];

        b = exact(r->in, strlen(r->in));
        rv = cors_names_has(names, b, r->len);
        check(rv == r->want, r->line, "cors_names_has([x-custom, "
              "content-type, x-cust], %s, len %lu) = %d, want %d",
              showz(r->in), (unsigned long)r->len, rv, r->want);
        free(b);
    }

    apr_pool_destroy(p);
}

/*
 * cors_request_headers_allowed
 */

typedef struct {
    int line;
    const char *in;
    apr_size_t len;
    const char *names;          /* allowed names, space separated */
    int star;
    int want;
    const char *bad;            /* the refused element */
    apr_size_t badlen;
} acrh_row;

#define NAMES "x-custom Content-Type x-requested-with"

static const acrh_row acrh_rows[] = {
    {__LINE__, S(""), NAMES, 0, 1, NULL, 0},
    {__LINE__, S(""), "", 0, 1, NULL, 0},
    {__LINE__, S(" , ,\t,"), "", 0, 1, NULL, 0},
    {__LINE__, S("x-custom"), NAMES, 0, 1, NULL, 0},
    {__LINE__, S("X-Custom"), NAMES, 0, 1, NULL, 0},
    {__LINE__, S("content-type"), NAMES, 0, 1, NULL, 0},
    {__LINE__, S("x-custom, content-type"), NAMES, 0, 1, NULL, 0},
    {__LINE__, S("Content-Type,X-CUSTOM,,  "), NAMES, 0, 1, NULL, 0},
    {__LINE__, S(" , ,x-custom,,\t,x-requested-with,"), NAMES, 0, 1, NULL, 0},
    {__LINE__, S("x-other"), NAMES, 0, 0, S("x-other")},
    {__LINE__, S("x-custom, x-other"), NAMES, 0, 0, S("x-other")},
    {__LINE__, S("x-other, x-another"), NAMES, 0, 0, S("x-other")},
    {__LINE__, S("x-custom, x-cust"), NAMES, 0, 0, S("x-cust")},
    {__LINE__, S("x-custom,x-customs"), NAMES, 0, 0, S("x-customs")},
    {__LINE__, S("x-custom"), "", 0, 0, S("x-custom")},
    {__LINE__, S("x-custom, bad header"), NAMES, 0, 0, S("bad header")},
    {__LINE__, S("x-custom, (bad)"), NAMES, 0, 0, S("(bad)")},
    {__LINE__, S("x-custom;q=1"), NAMES, 0, 0, S("x-custom;q=1")},
    {__LINE__, S("authorization"), NAMES, 0, 0, S("authorization")},
    {__LINE__, S("Authorization"), "authorization", 0, 1, NULL, 0},
    /* star: anything but Authorization */
    {__LINE__, S("x-anything, y"), "", 1, 1, NULL, 0},
    {__LINE__, S("x-custom, content-type, z"), NAMES, 1, 1, NULL, 0},
    {__LINE__, S(""), "", 1, 1, NULL, 0},
    {__LINE__, S(",,,"), "", 1, 1, NULL, 0},
    {__LINE__, S("authorizations"), "", 1, 1, NULL, 0},
    {__LINE__, S("x-authorization"), "", 1, 1, NULL, 0},
    {__LINE__, S("authorization"), "", 1, 0, S("authorization")},
    {__LINE__, S("Authorization"), NAMES, 1, 0, S("Authorization")},
    {__LINE__, S("x-a, AUTHORIZATION, x-b"), "", 1, 0, S("AUTHORIZATION")},
    {__LINE__, S("x-a,\tAuthorization\t"), "", 1, 0, S("Authorization")},
    {__LINE__, S("Authorization"), "authorization", 1, 1, NULL, 0},
    {__LINE__, S("x-a, AUTHORIZATION"), "Authorization", 1, 1, NULL, 0},
    {__LINE__, S("x-a, bad header"), "", 1, 0, S("bad header")},
    {__LINE__, S("x-a, b@d"), "", 1, 0, S("b@d")},
    {__LINE__, S("x-a\0b"), "", 1, 0, S("x-a\0b")},
};

static void acrh_case(int line, const char *in, apr_size_t len,
                      const char *namelist, int star, int want,
                      const char *wantbad, apr_size_t wantbadlen)
{
    apr_pool_t *p;
    apr_array_header_t *names;
    char *copy, *name, *last;
    char *b = exact(in, len);
    const char *bad = NULL;
    apr_size_t badlen = 0;
    int rv, ok;

    apr_pool_create(&p, pool);
    names = apr_array_make(p, 4, sizeof(const char *));
    copy = apr_pstrdup(p, namelist);
    for (name = apr_strtok(copy, " ", &last); name != NULL;
         name = apr_strtok(NULL, " ", &last)) {
        cors_names_add(names, name);
    }

    rv = cors_request_headers_allowed(b, len, names, star, &bad, &badlen);
    ok = rv == want;
    if (ok && !want) {
        ok = bad != NULL && bad >= b && bad + badlen <= b + len
            && badlen == wantbadlen && memcmp(bad, wantbad, badlen) == 0;
    }
    check(ok, line, "cors_request_headers_allowed(%s, [%s], star %d) = %d "
          "bad %s, want %d bad %s", show(in, len), namelist, star, rv,
          rv == 0 ? show(bad, badlen) : "-", want,
          want ? "-" : show(wantbad, wantbadlen));
    free(b);
    apr_pool_destroy(p);
}

static void test_request_headers(void)
{
    apr_size_t i, n;
    char *in;

    for (i = 0; i < sizeof(acrh_rows) / sizeof(acrh_rows[0]); i++) {
        const acrh_row *r = &acrh_rows[i];

        acrh_case(r->line, r->in, r->len, r->names, r->star, r->want,
                  r->bad, r->badlen);
    }

    /* "empty elements ignored whatever their number" */
    in = malloc(20000);
    n = 0;
    memset(in, ',', 10000);
    n += 10000;
    memcpy(in + n, "x-custom", 8);
    n += 8;
    memset(in + n, ',', 5000);
    n += 5000;
    memcpy(in + n, " Content-Type ", 14);
    n += 14;
    memset(in + n, ',', 10);
    n += 10;
    acrh_case(__LINE__, in, n, NAMES, 0, 1, NULL, 0);
    memcpy(in + n, "x-no", 4);
    acrh_case(__LINE__, in, n + 4, NAMES, 0, 0, "x-no", 4);
    free(in);
}

/*
 * cors_pattern_parse, cors_pattern_unparse
 */

typedef struct {
    int line;
    const char *in;
    const char *scheme;
    const char *host;
    int port;
    int wildcard;
    int host_is_ip;
    const char *unparsed;
} pattern_row;

static const pattern_row pattern_rows[] = {
    {__LINE__, "https://a.example.com", "https", "a.example.com", 0, 0, 0,
     "https://a.example.com"},
    {__LINE__, "HTTPS://A.Example.COM", "https", "a.example.com", 0, 0, 0,
     "https://a.example.com"},
    {__LINE__, "https://a.example:443", "https", "a.example", 0, 0, 0,
     "https://a.example"},
    {__LINE__, "HTTPS://a.example:443", "https", "a.example", 0, 0, 0,
     "https://a.example"},
    {__LINE__, "http://a:80", "http", "a", 0, 0, 0, "http://a"},
    {__LINE__, "http://a:443", "http", "a", 443, 0, 0, "http://a:443"},
    {__LINE__, "https://a:80", "https", "a", 80, 0, 0, "https://a:80"},
    {__LINE__, "http://localhost:3000", "http", "localhost", 3000, 0, 0,
     "http://localhost:3000"},
    {__LINE__, "http://localhost:*", "http", "localhost", CORS_PORT_ANY, 0,
     0, "http://localhost:*"},
    {__LINE__, "https://a.example:1", "https", "a.example", 1, 0, 0,
     "https://a.example:1"},
    {__LINE__, "https://a.example:65535", "https", "a.example", 65535, 0, 0,
     "https://a.example:65535"},
    {__LINE__, "https://*.example.com", "https", ".example.com", 0, 1, 0,
     "https://*.example.com"},
    {__LINE__, "https://*.Example.COM:*", "https", ".example.com",
     CORS_PORT_ANY, 1, 0, "https://*.example.com:*"},
    {__LINE__, "https://*.example.com:8443", "https", ".example.com", 8443,
     1, 0, "https://*.example.com:8443"},
    {__LINE__, "https://*.example.com:443", "https", ".example.com", 0, 1,
     0, "https://*.example.com"},
    {__LINE__, "https://*.com", "https", ".com", 0, 1, 0, "https://*.com"},
    {__LINE__, "https://[::1]:8443", "https", "[::1]", 8443, 0, 1,
     "https://[::1]:8443"},
    {__LINE__, "https://[::1]:443", "https", "[::1]", 0, 0, 1,
     "https://[::1]"},
    {__LINE__, "https://[::ABCD]", "https", "[::abcd]", 0, 0, 1,
     "https://[::abcd]"},
    {__LINE__, "http://127.0.0.1:8080", "http", "127.0.0.1", 8080, 0, 1,
     "http://127.0.0.1:8080"},
    {__LINE__, "http://127.0.0.1:*", "http", "127.0.0.1", CORS_PORT_ANY, 0,
     1, "http://127.0.0.1:*"},
    {__LINE__, "chrome-extension://abcdef", "chrome-extension", "abcdef", 0,
     0, 0, "chrome-extension://abcdef"},
    {__LINE__, "https://xn--bcher-kva.example", "https",
     "xn--bcher-kva.example", 0, 0, 0, "https://xn--bcher-kva.example"},
    {__LINE__, "https://a_b.example", "https", "a_b.example", 0, 0, 0,
     "https://a_b.example"},
    {__LINE__, "https://a.1a", "https", "a.1a", 0, 0, 0, "https://a.1a"},
};

static const char *const pattern_errors[] = {
    "",
    "https://a.com/x",
    "https://a.com/",
    "https://a.com:8443/",
    "https://a.com?q",
    "https://a.com?",
    "https://a.com#f",
    "https://a.com#",
    "https://user@a.com",
    "https://user:pw@a.com",
    "https://@a.com",
    "https://a.com ",
    " https://a.com",
    "https://a .com",
    "https://a.com\t",
    "https://a.com\r\n",
    "a.com",
    "*.example.com",
    "//a.com",
    "://a.com",
    "https:/a.com",
    "https:a.com",
    "1http://a.com",
    "ht_tp://a.com",
    "*://a.com",
    "https://",
    "https://:443",
    "https://a..com",
    "https://.a.com",
    "https://a.com.",
    "https://a.com:0",
    "https://a.com:00",
    "https://a.com:65536",
    "https://a.com:99999999",
    "https://a.com:",
    "https://a.com:-1",
    "https://a.com:+80",
    "https://a.com:8a",
    "https://a.com:80:80",
    "https://*",
    "https://*.",
    "https://*:443",
    "https://a*.com",
    "https://a.*.com",
    "https://*a.com",
    "https://**.a.com",
    "https://*.*.a.com",
    "https://a.com.*",
    "https://a.com:8*",
    "https://a.com:*8",
    "https://a.com:**",
    "https://*.1.2.3.4",
    "https://*.2.3.4",
    "https://*.[::1]",
    "https://1.2.3.256",
    "https://1.2.3",
    "https://01.2.3.4",
    "https://a.1",
    "https://0x7f.1",
    "https://[::1",
    "https://[zz::1]",
    "https://[::1]x",
    "https://[::1]:0",
    "https://[]",
    "https://a`b.com",
    "https://a{b}.com",
    "https://a%2e.com",
    "https://a.com,https://b.com",
};

static void test_pattern_parse(void)
{
    apr_pool_t *p;
    cors_pattern pat, again;
    const char *err, *un;
    char *s;
    apr_size_t i;
    int ok;

    apr_pool_create(&p, pool);
    for (i = 0; i < sizeof(pattern_rows) / sizeof(pattern_rows[0]); i++) {
        const pattern_row *r = &pattern_rows[i];

        err = cors_pattern_parse(p, r->in, &pat);
        check(err == NULL, r->line, "cors_pattern_parse(%s): error %s",
              showz(r->in), showz(err));
        if (err != NULL) {
            check(0, r->line, "cors_pattern_parse(%s): fields not checked",
                  showz(r->in));
            check(0, r->line, "cors_pattern_unparse(%s): not checked",
                  showz(r->in));
            continue;
        }
        ok = pat.scheme && strcmp(pat.scheme, r->scheme) == 0
            && pat.host && strcmp(pat.host, r->host) == 0
            && pat.port == r->port && pat.wildcard == r->wildcard
            && pat.host_is_ip == r->host_is_ip;
        check(ok, r->line, "cors_pattern_parse(%s) = {%s, %s, port %d, "
              "wildcard %d, ip %d}, want {%s, %s, port %d, wildcard %d, "
              "ip %d}", showz(r->in), showz(pat.scheme), showz(pat.host),
              pat.port, pat.wildcard, pat.host_is_ip, r->scheme, r->host,
              r->port, r->wildcard, r->host_is_ip);

        /* Written back, then read again: the same pattern. */
        un = cors_pattern_unparse(p, &pat);
        err = cors_pattern_parse(p, un ? un : "", &again);
        ok = un && strcmp(un, r->unparsed) == 0 && err == NULL
            && strcmp(again.scheme, pat.scheme) == 0
            && strcmp(again.host, pat.host) == 0 && again.port == pat.port
            && again.wildcard == pat.wildcard
            && again.host_is_ip == pat.host_is_ip;
        check(ok, r->line, "cors_pattern_unparse(%s) = %s, want %s, "
              "parsed again: %s", showz(r->in), showz(un), r->unparsed,
              err ? err : "same");
    }

    for (i = 0; i < sizeof(pattern_errors) / sizeof(pattern_errors[0]);
         i++) {
        err = cors_pattern_parse(p, pattern_errors[i], &pat);
        check(err != NULL && *err != '\0', __LINE__, "cors_pattern_parse(%s)"
              " accepted, want an error", showz(pattern_errors[i]));
    }

    /* A label of 63 bytes is fine, 64 is not. */
    s = apr_pstrcat(p, "https://", apr_psprintf(p, "%063d", 0),
                    ".example", NULL);
    err = cors_pattern_parse(p, s, &pat);
    check(err == NULL && pat.host && strlen(pat.host) == 71, __LINE__,
          "cors_pattern_parse(%s): %s", showz(s), err ? err : "bad host");
    s = apr_pstrcat(p, "https://", apr_psprintf(p, "%064d", 0),
                    ".example", NULL);
    err = cors_pattern_parse(p, s, &pat);
    check(err != NULL, __LINE__, "cors_pattern_parse(%s) accepted a "
          "64-byte label", showz(s));
    s = apr_pstrcat(p, "https://*.a", apr_psprintf(p, "%063d", 0), NULL);
    err = cors_pattern_parse(p, s, &pat);
    check(err != NULL, __LINE__, "cors_pattern_parse(%s) accepted a "
          "64-byte label", showz(s));
    apr_pool_destroy(p);
}

/*
 * cors_pattern_is_local, cors_pattern_under_public_suffix
 */

typedef struct {
    int line;
    const char *in;
    int want;
} flag_row;

static const flag_row local_rows[] = {
    {__LINE__, "http://localhost", 1},
    {__LINE__, "http://localhost:3000", 1},
    {__LINE__, "http://localhost:*", 1},
    {__LINE__, "http://LOCALHOST", 1},
    {__LINE__, "http://a.localhost", 1},
    {__LINE__, "http://127.0.0.1", 1},
    {__LINE__, "http://127.0.0.1:8080", 1},
    {__LINE__, "http://127.1.2.3", 1},
    {__LINE__, "https://[::1]:8443", 1},
    {__LINE__, "http://localhost.example.com", 0},
    {__LINE__, "http://evillocalhost", 0},
    {__LINE__, "http://localhostx", 0},
    {__LINE__, "http://127.example.com", 0},
    {__LINE__, "http://128.0.0.1", 0},
    {__LINE__, "http://10.0.0.1", 0},
    {__LINE__, "http://[::2]", 0},
    {__LINE__, "https://example.com", 0},
    {__LINE__, "http://*.example.com", 0},
};

static const flag_row psl_rows[] = {
    {__LINE__, "https://*.com", 1},
    {__LINE__, "https://*.COM", 1},
    {__LINE__, "https://*.co.uk", 1},
    {__LINE__, "https://*.uk", 1},
    {__LINE__, "https://*.github.io", 1},
    {__LINE__, "https://*.github.io:*", 1},
    {__LINE__, "https://*.example.com", 0},
    {__LINE__, "https://*.example.com:*", 0},
    {__LINE__, "https://*.bbc.co.uk", 0},
    {__LINE__, "https://*.a.github.io", 0},
    {__LINE__, "https://com", 0},
    {__LINE__, "https://co.uk", 0},
    {__LINE__, "https://github.io", 0},
    {__LINE__, "https://a.example.com", 0},
};

/* Each row's pattern parsed, then fn's verdict on it (-1: no parse). */
static void flag_cases(const flag_row *rows, apr_size_t n,
                       int (*fn)(const cors_pattern *), const char *name)
{
    apr_pool_t *p;
    cors_pattern pat;
    const char *err;
    apr_size_t i;
    int got;

    apr_pool_create(&p, pool);
    for (i = 0; i < n; i++) {
        const flag_row *r = &rows[i];

        err = cors_pattern_parse(p, r->in, &pat);
        got = err ? -1 : fn(&pat);
        check(got == r->want, r->line, "%s(%s) = %d, want %d%s%s", name,
              showz(r->in), got, r->want, err ? ": " : "", err ? err : "");
    }
    apr_pool_destroy(p);
}

static void test_pattern_flags(void)
{
    flag_cases(local_rows, sizeof(local_rows) / sizeof(local_rows[0]),
               cors_pattern_is_local, "cors_pattern_is_local");
    flag_cases(psl_rows, sizeof(psl_rows) / sizeof(psl_rows[0]),
               cors_pattern_under_public_suffix,
               "cors_pattern_under_public_suffix");
}

/*
 * cors_origin_parse
 */

typedef struct {
    int line;
    const char *in;
    apr_size_t len;
    apr_size_t scheme_len;
    const char *host;
    int port;
    int host_is_ip;
} origin_row;

static const origin_row origin_rows[] = {
    {__LINE__, S("https://a.example.com"), 5, "a.example.com", 0, 0},
    {__LINE__, S("http://localhost:3000"), 4, "localhost", 3000, 0},
    {__LINE__, S("https://[::1]:8443"), 5, "[::1]", 8443, 1},
    {__LINE__, S("https://[::1]"), 5, "[::1]", 0, 1},
    {__LINE__, S("http://[2001:db8::1]"), 4, "[2001:db8::1]", 0, 1},
    {__LINE__, S("http://127.0.0.1:8080"), 4, "127.0.0.1", 8080, 1},
    {__LINE__, S("http://0.0.0.0"), 4, "0.0.0.0", 0, 1},
    {__LINE__, S("https://255.255.255.255:65535"), 5, "255.255.255.255",
     65535, 1},
    {__LINE__, S("HTTPS://A.EXAMPLE.COM"), 5, "A.EXAMPLE.COM", 0, 0},
    {__LINE__, S("HTTP://LOCALHOST:8080"), 4, "LOCALHOST", 8080, 0},
    {__LINE__, S("https://xn--bcher-kva.example"), 5,
     "xn--bcher-kva.example", 0, 0},
    {__LINE__, S("http://a_b.example"), 4, "a_b.example", 0, 0},
    {__LINE__, S("https://a-b.example"), 5, "a-b.example", 0, 0},
    {__LINE__, S("https://a.example:65535"), 5, "a.example", 65535, 0},
    {__LINE__, S("https://a.example:1"), 5, "a.example", 1, 0},
    {__LINE__, S("https://a.example:10000"), 5, "a.example", 10000, 0},
    {__LINE__, S("https://a.example:80"), 5, "a.example", 80, 0},
    {__LINE__, S("http://a.example:443"), 4, "a.example", 443, 0},
    {__LINE__, S("chrome-extension://abcdef"), 16, "abcdef", 0, 0},
    {__LINE__, S("git+ssh.x-y://h"), 11, "h", 0, 0},
    {__LINE__, S("http://localhost"), 4, "localhost", 0, 0},
    {__LINE__, S("https://intranet:8443"), 5, "intranet", 8443, 0},
    {__LINE__, S("https://123.example"), 5, "123.example", 0, 0},
    {__LINE__, S("https://a.1a"), 5, "a.1a", 0, 0},
};

typedef struct {
    int line;
    const char *in;
    apr_size_t len;
} bad_row;

static const bad_row origin_bad_rows[] = {
    {__LINE__, S("")},
    {__LINE__, S("Null")},
    {__LINE__, S("NULL")},
    {__LINE__, S("nul")},
    {__LINE__, S("null ")},
    {__LINE__, S(" null")},
    {__LINE__, S("null\0")},
    {__LINE__, S("null, null")},
    {__LINE__, S(" https://a.com")},
    {__LINE__, S("https://a.com ")},
    {__LINE__, S("https://a.com/")},
    {__LINE__, S("https://a.com/x")},
    {__LINE__, S("https://a.com?q")},
    {__LINE__, S("https://a.com#f")},
    {__LINE__, S("https://user@a.com")},
    {__LINE__, S("https://user:pw@a.com")},
    {__LINE__, S("https://a.com:443")},
    {__LINE__, S("HTTPS://a.com:443")},
    {__LINE__, S("http://a.com:80")},
    {__LINE__, S("Http://a.com:80")},
    {__LINE__, S("https://[::1]:443")},
    {__LINE__, S("https://a.com:0")},
    {__LINE__, S("https://a.com:00")},
    {__LINE__, S("https://a.com:65536")},
    {__LINE__, S("https://a.com:99999")},
    {__LINE__, S("https://a.com:100000")},
    {__LINE__, S("https://a.com:0443")},
    {__LINE__, S("https://a.com:08443")},
    {__LINE__, S("https://a.com:")},
    {__LINE__, S("https://a.com:+80")},
    {__LINE__, S("https://a.com:-1")},
    {__LINE__, S("https://a.com:8a")},
    {__LINE__, S("https://a.com:80:80")},
    {__LINE__, S("https://a.com:*")},
    {__LINE__, S("https://a..com")},
    {__LINE__, S("https://.a.com")},
    {__LINE__, S("https://a.com.")},
    {__LINE__, S("https://a.com.:8443")},
    {__LINE__, S("https://a com")},
    {__LINE__, S("https://a.com, https://b.com")},
    {__LINE__, S("https://a.com,https://b.com")},
    {__LINE__, S("https://a.com%60.evil")},
    {__LINE__, S("https://a`b.com")},
    {__LINE__, S("https://a{b}.com")},
    {__LINE__, S("https://a\"b.com")},
    {__LINE__, S("https://*.a.com")},
    {__LINE__, S("https://b\xc3\xbc" "cher.example")},
    {__LINE__, S("https://[::1")},
    {__LINE__, S("https://[zz::1]")},
    {__LINE__, S("https://[::1]x")},
    {__LINE__, S("https://[::1]:")},
    {__LINE__, S("https://[]")},
    {__LINE__, S("https://::1")},
    {__LINE__, S("https://[::1\0]")},
    {__LINE__, S("https://1.2.3.256")},
    {__LINE__, S("https://1.2.3")},
    {__LINE__, S("https://1.2.3.4.5")},
    {__LINE__, S("https://01.2.3.4")},
    {__LINE__, S("https://1.2.3.04")},
    {__LINE__, S("https://a.1")},
    {__LINE__, S("https://0x7f.1")},
    {__LINE__, S("https://0x7f000001")},
    {__LINE__, S("https://a.0x1")},
    {__LINE__, S("https://4294967295")},
    {__LINE__, S("://a.com")},
    {__LINE__, S("1http://a.com")},
    {__LINE__, S("-http://a.com")},
    {__LINE__, S("ht_tp://a.com")},
    {__LINE__, S("https:/a.com")},
    {__LINE__, S("https:a.com")},
    {__LINE__, S("https//a.com")},
    {__LINE__, S("https://")},
    {__LINE__, S("https://:8080")},
    {__LINE__, S("https:///a.com")},
    {__LINE__, S("https://a.com\0")},
    {__LINE__, S("https://a\0.com")},
    {__LINE__, S("\0https://a.com")},
    {__LINE__, S("https://a.com\r")},
    {__LINE__, S("https://a.com\n")},
    {__LINE__, S("https://a.com\r\nX-Evil: 1")},
    {__LINE__, S("https://a.com\t")},
    {__LINE__, S("\thttps://a.com")},
    {__LINE__, S("https://a.com:8443\r\n")},
};

static void origin_case(int line, const char *in, apr_size_t len, int want,
                        const origin_row *w)
{
    char *b = exact(in, len);
    cors_origin o;
    apr_size_t hl;
    int rv, ok;

    rv = cors_origin_parse(b, len, &o);
    check(rv == want, line, "cors_origin_parse(%s) = %d, want %d",
          show(in, len), rv, want);
    if (w != NULL) {
        hl = strlen(w->host);
        ok = rv == 1 && o.scheme == b && o.scheme_len == w->scheme_len
            && o.host != NULL && o.host >= b && o.host + hl <= b + len
            && o.host_len == hl && memcmp(o.host, w->host, hl) == 0
            && o.port == w->port && o.host_is_ip == w->host_is_ip
            && !o.is_null;
        check(ok, line, "cors_origin_parse(%s) = {scheme_len %lu, host %s, "
              "port %d, ip %d, null %d}, want {%lu, %s, %d, %d, 0}, "
              "pointing into the value", show(in, len),
              (unsigned long)o.scheme_len, show(o.host, o.host_len), o.port,
              o.host_is_ip, o.is_null, (unsigned long)w->scheme_len,
              showz(w->host), w->port, w->host_is_ip);
    }
    free(b);
}

/* Only len bytes count, whatever follows them in memory. */
typedef struct {
    int line;
    const char *buf;            /* NUL-terminated, longer than len */
    apr_size_t len;
    int want;
    int port;
} prefix_row;

static const prefix_row prefix_rows[] = {
    {__LINE__, "https://a.com:123", 15, 1, 1},
    {__LINE__, "https://a.com:65536", 18, 1, 6553},
    {__LINE__, "http://a.com:800", 14, 1, 8},
    {__LINE__, "https://a.com:8443x", 18, 1, 8443},
    {__LINE__, "https://a.com:8443", 13, 1, 0},
    {__LINE__, "https://a.com/x", 13, 1, 0},
    {__LINE__, "https://a.com.", 13, 1, 0},
    {__LINE__, "https://a.com:443", 14, 0, 0},
};

static void test_origin_parse(void)
{
    static const origin_row h63 = {0, NULL, 0, 5, NULL, 0, 0};
    origin_row w;
    cors_origin o;
    char in[400], host[300];
    char *b;
    apr_size_t i;
    int rv;

    for (i = 0; i < sizeof(prefix_rows) / sizeof(prefix_rows[0]); i++) {
        const prefix_row *r = &prefix_rows[i];

        b = exact(r->buf, strlen(r->buf) + 1);
        rv = cors_origin_parse(b, r->len, &o);
        check(rv == r->want && (rv == 0 || (o.port == r->port
                                            && o.host_len == 5)),
              r->line, "cors_origin_parse(%s, len %lu) = %d, port %d, "
              "want %d, port %d", showz(r->buf), (unsigned long)r->len, rv,
              o.port, r->want, r->port);
        free(b);
    }

    b = exact(S("nullx"));
    rv = cors_origin_parse(b, 4, &o);
    check(rv == 1 && o.is_null, __LINE__, "cors_origin_parse(\"nullx\", "
          "len 4) = %d, null %d, want 1, 1", rv, o.is_null);
    free(b);

    b = exact(S("null"));
    rv = cors_origin_parse(b, 4, &o);
    check(rv == 1 && o.is_null == 1 && o.host_len == 0 && o.port == 0,
          __LINE__, "cors_origin_parse(\"null\") = %d, null %d, host_len "
          "%lu, want 1, 1, 0", rv, o.is_null, (unsigned long)o.host_len);
    free(b);

    for (i = 0; i < sizeof(origin_rows) / sizeof(origin_rows[0]); i++) {
        const origin_row *r = &origin_rows[i];

        origin_case(r->line, r->in, r->len, 1, r);
    }
    for (i = 0; i < sizeof(origin_bad_rows) / sizeof(origin_bad_rows[0]);
         i++) {
        const bad_row *r = &origin_bad_rows[i];

        origin_case(r->line, r->in, r->len, 0, NULL);
    }

    /* Labels of 63 bytes are fine, 64 are not, first or last. */
    w = h63;
    memset(host, 'a', 63);
    strcpy(host + 63, ".example");
    w.host = host;
    sprintf(in, "https://%s", host);
    origin_case(__LINE__, in, strlen(in), 1, &w);
    strcpy(host, "example.");
    memset(host + 8, 'b', 63);
    host[71] = '\0';
    sprintf(in, "https://%s:8443", host);
    w.port = 8443;
    origin_case(__LINE__, in, strlen(in), 1, &w);
    memset(host, 'a', 64);
    strcpy(host + 64, ".example");
    sprintf(in, "https://%s", host);
    origin_case(__LINE__, in, strlen(in), 0, NULL);
    strcpy(host, "example.");
    memset(host + 8, 'b', 64);
    host[72] = '\0';
    sprintf(in, "https://%s", host);
    origin_case(__LINE__, in, strlen(in), 0, NULL);

    /* 300 bytes is the limit: 4 labels of 63, then 36 or 37 bytes. */
    for (i = 0; i < 4; i++) {
        memset(host + i * 64, 'c' + i, 63);
        host[i * 64 + 63] = '.';
    }
    memset(host + 256, 'x', 36);
    host[292] = '\0';
    sprintf(in, "https://%s", host);
    w = h63;
    w.host = host;
    if (strlen(in) != 300) {
        fprintf(stderr, "%s:%d: test bug\n", __FILE__, __LINE__);
        exit(2);
    }
    origin_case(__LINE__, in, 300, 1, &w);
    memset(host + 256, 'x', 37);
    host[293] = '\0';
    sprintf(in, "https://%s", host);
    origin_case(__LINE__, in, 301, 0, NULL);
    /* 300 bytes with a port, and one more */
    host[256 + 31] = '\0';
    sprintf(in, "https://%s:8443", host);
    w.port = 8443;
    origin_case(__LINE__, in, 300, 1, &w);
    sprintf(in, "https://%s:18443", host);
    origin_case(__LINE__, in, 301, 0, NULL);
}

/*
 * cors_set_make, cors_set_add, cors_set_match
 */

typedef struct {
    int line;
    const char *patterns;       /* space separated */
    const char *origin;
    int want;
} set_row;

#define A "https://a.example.com"
#define W "https://*.example.com"

static const set_row set_rows[] = {
    {__LINE__, A, "https://a.example.com", 1},
    {__LINE__, A, "HTTPS://A.EXAMPLE.COM", 1},
    {__LINE__, A, "https://A.Example.Com", 1},
    {__LINE__, A, "Https://a.example.com", 1},
    {__LINE__, A, "http://a.example.com", 0},
    {__LINE__, A, "httpss://a.example.com", 0},
    {__LINE__, A, "httpx://a.example.com", 0},
    {__LINE__, A, "wss12://a.example.com", 0},
    {__LINE__, A, "https://a.example.com:8443", 0},
    {__LINE__, A, "https://b.example.com", 0},
    {__LINE__, A, "https://example.com", 0},
    {__LINE__, A, "https://x.a.example.com", 0},
    {__LINE__, A, "https://a.example.co", 0},
    {__LINE__, A, "https://a.example.comm", 0},
    {__LINE__, A, "https://aa.example.com", 0},
    {__LINE__, "HTTPS://A.EXAMPLE.COM", "https://a.example.com", 1},
    {__LINE__, "https://a.example.com:443", "https://a.example.com", 1},
    {__LINE__, "http://a.example.com:80", "http://a.example.com", 1},
    {__LINE__, "http://a.example.com:443", "http://a.example.com", 0},
    {__LINE__, "http://a.example.com:443", "http://a.example.com:443", 1},
    {__LINE__, "http://a", "https://a", 0},
    {__LINE__, "http://a", "wxyz://a", 0},
    {__LINE__, "ws://a:*", "ws://a:8080", 1},
    {__LINE__, "ws://a:*", "wx://a:8080", 0},
    {__LINE__, "https://a", "http://a", 0},
    {__LINE__, "https://a.example.com:8443", "https://a.example.com:8443", 1},
    {__LINE__, "https://a.example.com:8443", "https://a.example.com", 0},
    {__LINE__, "https://a.example.com:8443", "https://a.example.com:8444",
     0},
    {__LINE__, "https://a.example.com:8443", "https://a.example.com:844", 0},
    {__LINE__, "http://localhost:*", "http://localhost", 1},
    {__LINE__, "http://localhost:*", "http://localhost:3000", 1},
    {__LINE__, "http://localhost:*", "http://localhost:65535", 1},
    {__LINE__, "http://localhost:*", "http://LocalHost:1", 1},
    {__LINE__, "http://localhost:*", "https://localhost:3000", 0},
    {__LINE__, "http://localhost:*", "http://a.localhost:3000", 0},
    {__LINE__, "http://localhost:*", "http://localhost.evil.com:3000", 0},
    {__LINE__, W, "https://a.example.com", 1},
    {__LINE__, W, "https://a.b.example.com", 1},
    {__LINE__, W, "https://A.B.C.EXAMPLE.COM", 1},
    {__LINE__, W, "https://a-b_c.example.com", 1},
    {__LINE__, W, "https://example.com", 0},
    {__LINE__, W, "https://evilexample.com", 0},
    {__LINE__, W, "https://aexample.com", 0},
    {__LINE__, W, "https://example.com.evil.net", 0},
    {__LINE__, W, "https://a.example.com.evil.net", 0},
    {__LINE__, W, "https://a.example.co", 0},
    {__LINE__, W, "https://a.xexample.com", 0},
    {__LINE__, W, "http://a.example.com", 0},
    {__LINE__, W, "httpz://a.example.com", 0},
    {__LINE__, W, "https://a.example.com:8443", 0},
    {__LINE__, W, "https://com", 0},
    {__LINE__, "https://*.example.com:*", "https://a.example.com:8443", 1},
    {__LINE__, "https://*.example.com:*", "https://a.example.com", 1},
    {__LINE__, "https://*.example.com:*", "https://example.com:8443", 0},
    {__LINE__, "https://*.example.com:*", "http://a.example.com:8443", 0},
    {__LINE__, "https://*.example.com:8443", "https://a.example.com:8443",
     1},
    {__LINE__, "https://*.example.com:8443", "https://a.example.com", 0},
    {__LINE__, "https://*.example.com:443", "https://a.example.com", 1},
    {__LINE__, "https://*.b.example.com", "https://a.b.example.com", 1},
    {__LINE__, "https://*.b.example.com", "https://a.example.com", 0},
    {__LINE__, "https://*.b.example.com", "https://b.example.com", 0},
    {__LINE__, "https://*.co.uk", "https://a.co.uk", 1},
    {__LINE__, "https://*.co.uk", "https://co.uk", 0},
    {__LINE__, W " https://example.com", "https://example.com", 1},
    {__LINE__, W " https://example.com", "https://a.example.com", 1},
    {__LINE__, W " https://example.com", "https://example.com:8443", 0},
    {__LINE__, A " http://a.example.com:8080", "http://a.example.com:8080",
     1},
    {__LINE__, A " http://a.example.com:8080", "https://a.example.com", 1},
    {__LINE__, A " http://a.example.com:8080", "http://a.example.com", 0},
    {__LINE__, A " http://a.example.com:8080", "https://a.example.com:8080",
     0},
    {__LINE__, "http://a:1 http://a:2 http://a:3", "http://a:2", 1},
    {__LINE__, "http://a:1 http://a:2 http://a:3", "http://a:4", 0},
    {__LINE__, "http://127.0.0.1:8080", "http://127.0.0.1:8080", 1},
    {__LINE__, "http://127.0.0.1:8080", "http://127.0.0.2:8080", 0},
    {__LINE__, "https://[::1]:8443", "https://[::1]:8443", 1},
    {__LINE__, "https://[::1]:8443", "https://[::1]", 0},
    {__LINE__, "https://[::ABCD]", "https://[::abcd]", 1},
    {__LINE__, "https://[::abcd]", "https://[::ABCD]", 1},
    {__LINE__, "", "https://a.example.com", 0},
    {__LINE__, "", "null", 0},
    {__LINE__, A " " W " http://localhost:*", "null", 0},
    /* suffixes are looked up only for label counts some "*." has */
    {__LINE__, "https://*.example.com https://*.b.c.d.e.example.org",
     "https://a.b.c.d.e.example.org", 1},
    {__LINE__, "https://*.example.com https://*.b.c.d.e.example.org",
     "https://b.c.d.e.example.org", 0},
    {__LINE__, "https://*.example.com https://*.b.c.d.e.example.org",
     "https://x.c.d.e.example.org", 0},
    {__LINE__, "https://*.com.example.com", "https://a.com.example.com", 1},
    {__LINE__, "https://*.example.com",
     "https://a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a"
     ".a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a"
     ".a.a.a.a.a.a.a.a.a.a.a.example.com", 1},
    {__LINE__, "https://*.example.com",
     "https://a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a"
     ".a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a"
     ".a.a.a.a.a.a.a.a.a.a.a.example.org", 0},
};

/* [patterns, Origin value, cors_set_match_exact()] */
static const set_row exact_rows[] = {
    {__LINE__, "https://a.example.com", "https://a.example.com", 1},
    {__LINE__, "https://a.example.com", "HTTPS://A.Example.COM", 1},
    {__LINE__, "https://a.example:443", "https://a.example", 1},
    {__LINE__, "http://localhost:3000", "http://localhost:3000", 1},
    {__LINE__, "https://[::1]:8443", "https://[::1]:8443", 1},
    /* not here does not mean denied: these go on to the parser */
    {__LINE__, "https://a.example.com", "https://a.example.com:443", 0},
    {__LINE__, "https://a.example.com", "https://a.example.com/", 0},
    {__LINE__, "https://a.example.com", "https://a.example.co", 0},
    {__LINE__, "http://localhost:3000", "http://localhost:3001", 0},
    {__LINE__, "http://localhost:*", "http://localhost:3000", 0},
    {__LINE__, "https://*.example.com", "https://a.example.com", 0},
    {__LINE__, "https://a.example.com", "", 0},
    {__LINE__, "", "https://a.example.com", 0},
};

/* A set from space-separated patterns, each parsed and checked. */
static cors_origin_set *make_set(apr_pool_t *p, int line,
                                 const char *patterns)
{
    cors_origin_set *set = cors_set_make(p);
    cors_pattern pat;
    char *copy = apr_pstrdup(p, patterns), *text, *last;
    const char *err;

    for (text = apr_strtok(copy, " ", &last); text != NULL;
         text = apr_strtok(NULL, " ", &last)) {
        err = cors_pattern_parse(p, text, &pat);
        if (err != NULL) {
            check(0, line, "cors_pattern_parse(%s): %s", showz(text), err);
            continue;
        }
        cors_set_add(p, set, &pat);
    }
    return set;
}

/* Parse origin from an exact buffer and match; -1 if it does not parse. */
static int set_match(const cors_origin_set *set, const char *origin,
                     apr_size_t len)
{
    char *b = exact(origin, len);
    cors_origin o;
    int rv = -1;

    if (cors_origin_parse(b, len, &o)) {
        rv = cors_set_match(set, &o);
    }
    free(b);
    return rv;
}

/* A check that origin (parsed from an exact buffer) matches set or not;
 * what names the set in the message. */
static void set_case(int line, const cors_origin_set *set, const char *what,
                     const char *origin, int want)
{
    int got = set_match(set, origin, strlen(origin));

    check(got == want, line, "cors_set_match([%s], %s) = %d, want %d", what,
          showz(origin), got, want);
}

static void test_set(void)
{
    apr_pool_t *p;
    cors_origin_set *set;
    cors_pattern pat;
    char buf[100];
    const char *miss;
    apr_size_t i;
    int n, bad;

    apr_pool_create(&p, pool);
    for (i = 0; i < sizeof(set_rows) / sizeof(set_rows[0]); i++) {
        const set_row *r = &set_rows[i];

        set = make_set(p, r->line, r->patterns);
        set_case(r->line, set, r->patterns, r->origin, r->want);
        apr_pool_clear(p);
    }

    /*
     * IP-address origins never match a "*." rule, even one whose suffix
     * is textually theirs (the parser refuses such patterns, so build
     * them by hand).
     */
    set = make_set(p, __LINE__, "https://10.1.2.3");
    memset(&pat, 0, sizeof(pat));
    pat.scheme = "https";
    pat.wildcard = 1;
    pat.host = ".2.3.4";
    cors_set_add(p, set, &pat);
    pat.host = ".4";
    cors_set_add(p, set, &pat);
    pat.host = ".0.0.1";
    pat.port = CORS_PORT_ANY;
    cors_set_add(p, set, &pat);
    set_case(__LINE__, set, "*.2.3.4, *.4", "https://1.2.3.4", 0);
    set_case(__LINE__, set, "*.0.0.1:*", "https://127.0.0.1:8443", 0);
    set_case(__LINE__, set, "*.2.3.4", "https://a.2.3.4a", 0);
    set_case(__LINE__, set, "https://10.1.2.3", "https://10.1.2.3", 1);
    apr_pool_clear(p);

    /* 10,000 exact origins, every other one with a port. */
    set = cors_set_make(p);
    for (n = 0; n < 10000; n++) {
        const char *text = n % 2
            ? apr_psprintf(p, "https://h%d.example.com:%d", n, 1000 + n)
            : apr_psprintf(p, "https://h%d.example.com", n);
        const char *err = cors_pattern_parse(p, text, &pat);

        if (err != NULL) {
            check(0, __LINE__, "cors_pattern_parse(%s): %s", text, err);
            break;
        }
        cors_set_add(p, set, &pat);
    }
    check(set->count == 10000, __LINE__, "10000 patterns added, count %d",
          set->count);

    bad = -1;
    for (n = 0; n < 10000 && bad < 0; n++) {
        if (n % 2) {
            sprintf(buf, "https://H%d.example.com:%d", n, 1000 + n);
        }
        else {
            sprintf(buf, "https://h%d.EXAMPLE.com", n);
        }
        if (set_match(set, buf, strlen(buf)) != 1) {
            bad = n;
        }
    }
    check(bad < 0, __LINE__, "10000 patterns: %s does not match", buf);

    miss = NULL;
    for (n = 0; n < 10000 && miss == NULL; n++) {
        int k;

        for (k = 0; k < 6 && miss == NULL; k++) {
            switch (k) {
            case 0:
                sprintf(buf, n % 2 ? "https://h%d.example.com"
                                   : "https://h%d.example.com:8443", n);
                break;
            case 1:
                sprintf(buf, "http://h%d.example.com:%d", n, 1000 + n);
                break;
            case 2:
                sprintf(buf, "https://h%d.example.co", n);
                break;
            case 3:
                sprintf(buf, "https://xh%d.example.com", n);
                break;
            case 4:
                sprintf(buf, "https://a.h%d.example.com", n);
                break;
            case 5:
                sprintf(buf, "https://h%d.example.com:%d", n + 10000,
                        11000 + n);
                break;
            }
            if (set_match(set, buf, strlen(buf)) != 0) {
                miss = buf;
            }
        }
    }
    check(miss == NULL, __LINE__, "10000 patterns: near miss %s matches",
          miss ? miss : "");
    set_case(__LINE__, set, "10000 patterns", "https://h10000.example.com",
             0);
    set_case(__LINE__, set, "10000 patterns", "null", 0);

    /* Exact patterns do not act as "*.": add one and try a subdomain. */
    pat.scheme = "https";
    pat.host = "example.com";
    pat.port = 0;
    pat.wildcard = 0;
    pat.host_is_ip = 0;
    cors_set_add(p, set, &pat);
    set_case(__LINE__, set, "10001 patterns", "https://example.com", 1);
    set_case(__LINE__, set, "10001 patterns", "https://q.example.com", 0);
    apr_pool_destroy(p);
}

/* The fast path: a hit is always an origin the full match allows too. */
static void test_set_exact(void)
{
    apr_pool_t *p;
    apr_size_t i;

    apr_pool_create(&p, pool);
    for (i = 0; i < sizeof(exact_rows) / sizeof(exact_rows[0]); i++) {
        const set_row *r = &exact_rows[i];
        cors_origin_set *set = make_set(p, r->line, r->patterns);
        apr_size_t len = strlen(r->origin);
        char *b = exact(r->origin, len);
        int got = cors_set_match_exact(set, b, len);

        free(b);
        check(got == r->want, r->line, "cors_set_match_exact([%s], %s) = "
              "%d, want %d", r->patterns, showz(r->origin), got, r->want);
        if (r->want) {
            set_case(r->line, set, r->patterns, r->origin, 1);
        }
        apr_pool_clear(p);
    }
    apr_pool_destroy(p);
}

/* ---- methods (docs/mod_cors.html#requests, #checks) ---- */

static void test_methods(void)
{
    static const struct {
        int line;
        const char *m;
        int simple, forbidden, safe;
        const char *normal;
    } rows[] = {
        { __LINE__, "GET", 1, 0, 1, "GET" },
        { __LINE__, "HEAD", 1, 0, 1, "HEAD" },
        { __LINE__, "POST", 1, 0, 0, "POST" },
        { __LINE__, "OPTIONS", 0, 0, 1, "OPTIONS" },
        { __LINE__, "get", 0, 0, 0, "GET" },
        { __LINE__, "post", 0, 0, 0, "POST" },
        { __LINE__, "put", 0, 0, 0, "PUT" },
        { __LINE__, "Delete", 0, 0, 0, "DELETE" },
        { __LINE__, "options", 0, 0, 0, "OPTIONS" },
        { __LINE__, "patch", 0, 0, 0, "patch" },
        { __LINE__, "PATCH", 0, 0, 0, "PATCH" },
        { __LINE__, "CONNECT", 0, 1, 0, "CONNECT" },
        { __LINE__, "connect", 0, 1, 0, "connect" },
        { __LINE__, "Trace", 0, 1, 0, "Trace" },
        { __LINE__, "TRACK", 0, 1, 0, "TRACK" },
        { __LINE__, "TRACKS", 0, 0, 0, "TRACKS" },
        { __LINE__, "GETS", 0, 0, 0, "GETS" },
        { __LINE__, "HEADER", 0, 0, 0, "HEADER" },
        { __LINE__, "", 0, 0, 0, "" },
    };
    apr_size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        check(cors_method_is_simple(rows[i].m) == rows[i].simple,
              rows[i].line, "cors_method_is_simple(%s)", rows[i].m);
        check(cors_method_is_forbidden(rows[i].m) == rows[i].forbidden,
              rows[i].line, "cors_method_is_forbidden(%s)", rows[i].m);
        check(cors_method_is_safe(rows[i].m) == rows[i].safe,
              rows[i].line, "cors_method_is_safe(%s)", rows[i].m);
        check(!strcmp(cors_method_normalize(rows[i].m), rows[i].normal),
              rows[i].line, "cors_method_normalize(%s) = %s, want %s",
              rows[i].m, cors_method_normalize(rows[i].m), rows[i].normal);
    }
}

/* listed methods are compared case-sensitively: patch is not PATCH */
static void test_method_listed(void)
{
    apr_array_header_t *names = apr_array_make(pool, 2, sizeof(char *));

    APR_ARRAY_PUSH(names, const char *) = "PUT";
    APR_ARRAY_PUSH(names, const char *) = "patch";
    check(cors_method_listed(names, "PUT"), __LINE__, "PUT listed");
    check(cors_method_listed(names, "patch"), __LINE__, "patch listed");
    check(!cors_method_listed(names, "PATCH"), __LINE__, "PATCH is not patch");
    check(!cors_method_listed(names, "put"), __LINE__, "put is not PUT");
    check(!cors_method_listed(names, "PU"), __LINE__, "PU is not PUT");
    check(!cors_method_listed(names, ""), __LINE__, "empty is not listed");
}

/* ---- every refused header, for the log (docs/mod_cors.html#logging) ---- */

static void test_headers_refused(void)
{
    static const struct {
        int line;
        const char *acrh;
        int star;
        apr_size_t max;
        const char *want;
    } rows[] = {
        { __LINE__, "x-a, X-B,,x-c , x-a", 0, 200, "X-B x-c" },
        { __LINE__, "X-B", 0, 200, "X-B" },
        { __LINE__, "x-b, bad header, x-c", 0, 200, "x-b bad header x-c" },
        { __LINE__, "x-b, x-c, x-d", 0, 5, "x-b..." },
        { __LINE__, "x-b, x-c, x-d", 0, 7, "x-b x-c..." },
        { __LINE__, "authorization, x-b, Authorization", 1, 200,
          "authorization Authorization" },
        { __LINE__, ",,,x-b,,,", 0, 200, "x-b" },
    };
    apr_array_header_t *names = apr_array_make(pool, 2, sizeof(char *));
    apr_size_t i;

    cors_names_add(names, "X-A");
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        apr_size_t len = strlen(rows[i].acrh);
        char *in = exact(rows[i].acrh, len);
        const char *got = cors_request_headers_refused(pool, in, len, names,
                                                       rows[i].star,
                                                       rows[i].max);

        check(!strcmp(got, rows[i].want), rows[i].line,
              "cors_request_headers_refused(%s, max %d) = %s, want %s",
              showz(rows[i].acrh), (int)rows[i].max, showz(got),
              showz(rows[i].want));
        free(in);
    }
}

/* ---- lookalike probes of a regex (docs/mod_cors.html#safety) ---- */

static void test_regex_probes(void)
{
    static const struct {
        int line;
        const char *re;
        const char *host;           /* NULL: none can be read */
        const char *probes;         /* space-separated, in order */
    } rows[] = {
        { __LINE__, "^https://(.+\\.)?api\\.example\\.com$",
          "api.example.com",
          "https://evilapi.example.com https://api.example.com.evil.test "
          "http://api.example.com https://api.example.com." },
        { __LINE__, "^https://[a-z.]+example.com$", "example.com",
          "https://evilexample.com https://example.com.evil.test "
          "https://examplexcom http://example.com https://example.com." },
        { __LINE__, "^https://app.example.com$", "app.example.com",
          "https://evilapp.example.com https://app.example.com.evil.test "
          "https://appxexample.com https://app.examplexcom "
          "http://app.example.com https://app.example.com." },
        { __LINE__, "^http://localhost:[0-9]+$", "localhost",
          "http://evillocalhost http://localhost.evil.test "
          "http://localhost." },
        { __LINE__, "^https?://([a-z]+\\.)?Example\\.COM$", "example.com",
          "https://evilexample.com https://example.com.evil.test "
          "http://example.com https://example.com." },
        { __LINE__, "^(http|https)://[a-z]{2,3}\\.example\\.org(:8443)?$",
          "example.org",
          "https://evilexample.org https://example.org.evil.test "
          "http://example.org https://example.org." },
        /* a quantified letter is not literal */
        { __LINE__, "^https://ab?c\\.example\\.net$", "c.example.net",
          "https://evilc.example.net https://c.example.net.evil.test "
          "http://c.example.net https://c.example.net." },
        { __LINE__, "^https://[a-z]+$", NULL, NULL },
        { __LINE__, "^https://\\d+$", NULL, NULL },
        { __LINE__, "example\\.com", NULL, NULL },
    };
    apr_size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        apr_array_header_t *probes;
        const char *host, *joined;
        const char *err = cors_regex_probes(pool, rows[i].re, &host,
                                            &probes);

        if (rows[i].host == NULL) {
            check(err != NULL && probes == NULL, rows[i].line,
                  "cors_regex_probes(%s): read host %s", showz(rows[i].re),
                  showz(host));
            continue;
        }
        check(err == NULL && host && !strcmp(host, rows[i].host),
              rows[i].line, "cors_regex_probes(%s): host %s, want %s (%s)",
              showz(rows[i].re), showz(host), rows[i].host, showz(err));
        joined = probes ? apr_array_pstrcat(pool, probes, ' ') : "";
        check(!strcmp(joined, rows[i].probes), rows[i].line,
              "cors_regex_probes(%s) = %s, want %s", showz(rows[i].re),
              showz(joined), rows[i].probes);
    }
}

/* The Fetch standard's forbidden request-header names, in any case. */
static void test_forbidden_headers(void)
{
    static const struct { const char *name; int forbidden; } rows[] = {
        { "Cookie", 1 }, { "cookie", 1 }, { "Host", 1 }, { "Connection", 1 },
        { "Sec-Fetch-Site", 1 }, { "sec-ch-ua", 1 },
        { "Proxy-Authorization", 1 },
        { "Access-Control-Request-Method", 1 }, { "Origin", 1 }, { "DNT", 1 },
        { "Content-Type", 0 }, { "Authorization", 0 }, { "X-Token", 0 },
        { "Cookies", 0 }, { "Secret", 0 }, { "Proxy", 0 }, { "Sec", 0 },
        { "Access-Control-Allow-Origin", 0 }, { "Hostname", 0 },
    };
    apr_size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        check(cors_header_is_forbidden(rows[i].name) == rows[i].forbidden,
              __LINE__, "cors_header_is_forbidden(%s) != %d", rows[i].name,
              rows[i].forbidden);
    }
}

/* Safelisted whatever the value's type: not Content-Type, not Range. */
static void test_safelisted_headers(void)
{
    static const struct { const char *name; int safelisted; } rows[] = {
        { "Accept", 1 }, { "accept", 1 }, { "Accept-Language", 1 },
        { "CONTENT-LANGUAGE", 1 }, { "Content-Type", 0 }, { "Range", 0 },
        { "Accept-Encoding", 0 }, { "Accept-Charset", 0 },
        { "Authorization", 0 }, { "Acceptx", 0 }, { "Accep", 0 },
    };
    apr_size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        check(cors_header_is_safelisted(rows[i].name) == rows[i].safelisted,
              __LINE__, "cors_header_is_safelisted(%s) != %d", rows[i].name,
              rows[i].safelisted);
    }
}

/*
 * The domain set of a regex (docs/mod_cors.html#trust): the manual's
 * table, the regexes of t/, the red team's, and the corners of the
 * reading (IP hosts, ports, punycode, alternations, nested groups).
 * Expected: the domains joined by ",", in the order found.
 */
static void test_regex_domains(void)
{
    static const struct { const char *re, *want; } rows[] = {
        /* the manual's table */
        { "^https://([a-z0-9-]+\\.)*example\\.com$", "example.com" },
        { "^https://.*myapp\\.(com|net)$", "myapp.com,myapp.net" },
        { "^https://app\\.example\\.co\\.uk(:\\d+)?$", "example.co.uk" },
        { "^https://.*example[.]com$", "example.com" },
        { "^https://[a-z]+\\.github\\.io$", "" },
        { "^https://.*$", "" },
        { "https?://[^/]+", "" },
        /* the red team's */
        { "^https://.*example(\\.com)$", "example.com" },
        { "^https://.*example\\x2ecom$", "example.com" },
        { "^https://.*example\\x2Ecom$", "example.com" },
        { "^https://.*example\\x{2e}com$", "example.com" },
        { "^https://.*example\\056com$", "example.com" },
        { ".+\\.example\\.com", "example.com" },
        { "^https?://.+[.](com|net|org|io)$", "" },
        { "^https://.*", "" },
        /* regexes of t/ */
        { "^https://pr-[0-9]+\\.preview\\.example\\.com$", "example.com" },
        { "https://pr-[0-9]+\\.preview\\.example\\.com", "example.com" },
        { "^https://(www\\.)?example\\.org$", "example.org" },
        { "^https://[a-z]+\\.example\\.com$", "example.com" },
        { "^https://alt[0-9]\\.test$", "" },
        { "https://alt1\\.test|https://alt2\\.test", "alt1.test,alt2.test" },
        { "^(null|https://app\\.example\\.com)$", "example.com" },
        { "https://[a-z0-9-]+\\.partner\\.example\\.net", "example.net" },
        { "^https://re[0-9]\\.merge\\.example$", "merge.example" },
        { "^https://\\Kapp\\.example\\.com$", "example.com" },
        { "^https://app\\.example\\.com(*ACCEPT)", "" },
        { "^https?://.+[.](net|org)$", "" },
        /* names under localhost are registrable domains of their own, so
         * this set trusts none of the origins the regex matches */
        { "http://(foo|bar)\\.localhost:[0-9]+", "localhost" },
        { "^http://.*app\\.localhost(:[0-9]+)?$", "app.localhost" },
        { "^https://app\\.example\\.com$|^https://app\\.example\\.net$",
          "example.com,example.net" },
        /* ports */
        { "^https://app\\.example\\.com:8443$", "example.com" },
        { "^https://app\\.example\\.com(?::\\d+)?$", "example.com" },
        { "^https://app\\.example\\.com(:[0-9]{2,5})?$", "example.com" },
        { "^https://.*myapp\\.(com|net)(:\\d+)?$", "myapp.com,myapp.net" },
        /* IP hosts and localhost: the host itself */
        { "^https?://localhost(:\\d+)?$", "localhost" },
        { "^http://127\\.0\\.0\\.1(:\\d+)?$", "127.0.0.1" },
        { "^http://192\\.168\\.1\\.\\d+$", "" },
        { "^http://10\\.0\\.0\\.[0-9]+(:\\d+)?$", "" },
        /* punycode, case */
        { "^https://xn--bcher-kva\\.example\\.de$", "example.de" },
        { "^https://([a-z]+\\.)?xn--bcher-kva\\.de$", "xn--bcher-kva.de" },
        { "^HTTPS://APP\\.EXAMPLE\\.COM$", "example.com" },
        /* alternations and groups */
        { "^https://(a|b)\\.(example\\.com|example\\.org)$",
          "example.com,example.org" },
        { "^https://(?:app|api)\\.example\\.com$", "example.com" },
        { "^https://(a\\.(example\\.com|example\\.org))$",
          "example.com,example.org" },
        { "^(https://a\\.example\\.com|https://b\\.example\\.net)$",
          "example.com,example.net" },
        { "^https://(?<sub>[a-z]+)\\.example\\.com$", "example.com" },
        /* only a final group is expanded: here ".com" ends the name */
        { "^https://(?:[a-z]+\\.)?(?:example|sample)\\.com$", "" },
        { "^https://(?:[a-z]+\\.)?(?:example\\.com|sample\\.com)$",
          "example.com,sample.com" },
        { "^https://example\\.com(?!x)$", "" },
        { "^https://x\\.(a1|a2|a3|a4|a5|a6|a7|a8|a9|b1|b2|b3|b4|b5|b6|b7|"
          "b8)\\.com$", "" },
        /* public suffixes, and what is not a host */
        { "^https://.*\\.co\\.uk$", "" },
        { "^https://[a-z0-9-]+\\.s3\\.amazonaws\\.com$", "" },
        { "^https://(foo|bar)$", "" },
        { "^https://example\\.com/$", "" },
        { "^https://.*\\d$", "" },
        { "^https://app\\dexample\\.com$", "example.com" },
        { "^https://examples?\\.com$", "" },
        { "", "" },
        { "(", "" },
        { "\\", "" },
    };
    apr_size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        apr_array_header_t *set = cors_regex_domains(pool, rows[i].re);
        const char *got = apr_array_pstrcat(pool, set, ',');

        check(!strcmp(got, rows[i].want), __LINE__,
              "cors_regex_domains(%s) = \"%s\", not \"%s\"", rows[i].re, got,
              rows[i].want);
    }
}

/* The registrable domain of an origin's host: eTLD+1, the host itself
 * for an IP address or localhost, none for a public suffix. */
static void test_registrable_domain(void)
{
    static const struct { const char *host; int ip; const char *want; }
    rows[] = {
        { "app.example.com", 0, "example.com" },
        { "example.com", 0, "example.com" },
        { "a.b.example.co.uk", 0, "example.co.uk" },
        { "evilmyapp.com", 0, "evilmyapp.com" },
        { "a.github.io", 0, "a.github.io" },
        { "github.io", 0, NULL },
        { "com", 0, NULL },
        { "localhost", 0, "localhost" },
        { "127.0.0.1", 1, "127.0.0.1" },
        { "[::1]", 1, "[::1]" },
    };
    apr_size_t i;

    int pass;

    /* twice: the second pass asks each host right after itself (the
     * thread's memo answers) and after another host */
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
            char copy[64];
            const char *got;

            /* the memo answers for a host in another buffer too */
            strcpy(copy, rows[i].host);
            got = cors_registrable_domain(copy, rows[i].ip);
            if (pass) {
                got = cors_registrable_domain(copy, rows[i].ip);
            }
            check(rows[i].want ? got && !strcmp(got, rows[i].want)
                               && got >= copy && got < copy + sizeof(copy)
                               : got == NULL,
                  __LINE__, "cors_registrable_domain(%s) = %s, not %s",
                  rows[i].host, got ? got : "NULL",
                  rows[i].want ? rows[i].want : "NULL");
        }
    }
}

/* A counter goes past 2^32 without wrapping, and prints whole. */
/*
 * Hosts are lowered eight bytes at a time: every byte value, at every
 * position of a host long enough for two words and a tail, comes out
 * lowered exactly when it is 'A' to 'Z' (the registrable domain is looked
 * up in the lowered copy).
 */
static void test_lower(void)
{
    const char *host = "abcdefghij-klmnopq.example.com";
    apr_size_t len = strlen(host), at;
    int c, wrong = 0;

    for (c = 1; c < 256; c++) {
        for (at = 0; at < len; at++) {
            char origin[64], buf[CORS_ORIGIN_MAX + 1];
            cors_origin o;

            memset(&o, 0, sizeof(o));
            apr_snprintf(origin, sizeof(origin), "https://%s", host);
            origin[8 + at] = (char)c;
            o.host = origin + 8;
            o.host_len = len;
            cors_origin_domain(&o, buf);
            wrong += (unsigned char)buf[at]
                     != ((c >= 'A' && c <= 'Z') ? c + 32 : c)
                     || memcmp(buf, host, at)
                     || strcmp(buf + at + 1, host + at + 1);
        }
    }
    check(wrong == 0, __LINE__, "%d hosts lowered wrong", wrong);
}

static void test_counter(void)
{
    cors_counter c = 0;
    const char *text;

    cors_counter_add(&c, APR_UINT64_C(0xffffffff));
    cors_counter_add(&c, 1);
    cors_counter_add(&c, 1);
    text = apr_psprintf(pool, "%" APR_UINT64_T_FMT, cors_counter_read(&c));
    check(!strcmp(text, "4294967297"), __LINE__,
          "a counter past 2^32 prints %s, want 4294967297", text);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (apr_initialize() != APR_SUCCESS
        || apr_pool_create(&pool, NULL) != APR_SUCCESS) {
        fprintf(stderr, "cannot initialize APR\n");
        return 2;
    }
    cors_match_init(NULL);

    test_is_token();
    test_list_next();
    test_names();
    test_request_headers();
    test_pattern_parse();
    test_pattern_flags();
    test_origin_parse();
    test_set();
    test_set_exact();
    test_methods();
    test_method_listed();
    test_headers_refused();
    test_regex_probes();
    test_counter();
    test_forbidden_headers();
    test_safelisted_headers();
    test_regex_domains();
    test_registrable_domain();
    test_lower();

    apr_pool_destroy(pool);
    apr_terminate();
    printf("%d passed, %d failed\n", n_passed, n_failed);
    return n_failed != 0;
}
