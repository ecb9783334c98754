/* Licensed under the Apache License, Version 2.0. */

/*
 * micro: nanoseconds per CORS decision, linked directly against
 * cors_match.c (no httpd).
 *
 *   make -C bench micro
 *   (cc -O2 -I. $(apr-1-config --includes) bench/micro.c cors_match.c
 *       $(apr-1-config --link-ld) -lpsl -o bench/micro; bench/micro)
 *
 * Origin decisions (cors_origin_parse + cors_set_match, what
 * cors_allow_origin does for an exact or "*." policy) for sets of 1, 100,
 * 10,000 and 100,000 patterns, half exact, half "*.", against an allowed
 * Origin (matched exactly, or through a "*." pattern), denied ones, and
 * malformed ones; then cors_request_headers_allowed for a typical
 * Access-Control-Request-Headers and hostile ones.
 *
 * Each figure is the best of ROUNDS rounds.  A round measures every cell
 * once, in turn, so that a slow spell of the machine hits all of them
 * rather than one row; each measurement runs enough calls (calibrated in
 * a first round) to last about MIN_NS.  Results go to a volatile sink, and
 * the functions live in cors_match.c, another translation unit, so no call
 * can be dropped or hoisted out of the loop.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apr_general.h"
#include "apr_strings.h"

#include "cors_match.h"

#ifndef ROUNDS
#define ROUNDS 11
#endif
#ifndef MIN_NS
#define MIN_NS 10000000.0       /* 10 ms per measurement */
#endif
#define ROTATE 1024             /* distinct Origins in a "rotating" cell */
#define NSIZES 4
#define NCOLS 7
#define NACRH 5

static volatile long sink;

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One origin decision, as cors_allow_origin makes it: 0 denied, 1
 * allowed, 2 malformed, 3 null. */
static int decide(const cors_origin_set *set, const char *origin,
                  apr_size_t len)
{
    cors_origin o;

    if (!cors_origin_parse(origin, len, &o)) {
        return 2;
    }
    return o.is_null ? 3 : cors_set_match(set, &o);
}

/* One measurement: an origin cell or an ACRH cell. */
typedef struct {
    /* origin cells */
    const cors_origin_set *set;
    const char **origins;
    apr_size_t *lens;
    int n;
    /* ACRH cells */
    const char *acrh;
    apr_size_t acrh_len;
    const apr_array_header_t *names;
    int star;

    int expect;
    long iters;
    double best;
} cell;

static long run(const cell *c, long iters)
{
    long k, acc = 0;
    int j = 0;

    if (c->acrh) {
        const char *bad;
        apr_size_t badlen;

        for (k = 0; k < iters; k++) {
            acc += cors_request_headers_allowed(c->acrh, c->acrh_len,
                                                c->names, c->star, &bad,
                                                &badlen);
        }
        return acc;
    }
    for (k = 0; k < iters; k++) {
        acc += decide(c->set, c->origins[j], c->lens[j]);
        if (++j == c->n) {
            j = 0;
        }
    }
    return acc;
}

static void check(const cell *c)
{
    const char *bad;
    apr_size_t badlen;
    int i, got;

    if (c->acrh) {
        got = cors_request_headers_allowed(c->acrh, c->acrh_len, c->names,
                                           c->star, &bad, &badlen);
        if (got != c->expect) {
            fprintf(stderr, "micro: ACRH of %lu bytes: %d, expected %d\n",
                    (unsigned long)c->acrh_len, got, c->expect);
            exit(1);
        }
        return;
    }
    for (i = 0; i < c->n; i++) {
        got = decide(c->set, c->origins[i], c->lens[i]);
        if (got != c->expect) {
            fprintf(stderr, "micro: '%s': %d, expected %d\n", c->origins[i],
                    got, c->expect);
            exit(1);
        }
    }
}

/* First round: find how many calls last MIN_NS. */
static void calibrate(cell *c)
{
    long iters = 16;

    for (;;) {
        double t0 = now_ns(), t;

        sink += run(c, iters);
        t = now_ns() - t0;
        if (t >= MIN_NS / 4) {
            c->iters = (long)(iters * MIN_NS / t) + 1;
            c->best = 1e30;
            return;
        }
        iters *= 2;
    }
}

static void measure(cell *c)
{
    double t0 = now_ns(), t;

    sink += run(c, c->iters);
    t = (now_ns() - t0) / c->iters;
    if (t < c->best) {
        c->best = t;
    }
}

static void add(apr_pool_t *p, cors_origin_set *set, const char *text)
{
    cors_pattern pat;
    const char *err = cors_pattern_parse(p, text, &pat);

    if (err) {
        fprintf(stderr, "micro: pattern '%s': %s\n", text, err);
        exit(1);
    }
    cors_set_add(p, set, &pat);
}

/* The i-th filler pattern: even ones exact, odd ones "*.". */
static const char *filler(apr_pool_t *p, int i)
{
    return i % 2 ? apr_psprintf(p, "https://*.tenant%d.example.net", i)
                 : apr_psprintf(p, "https://app%d.customer%d.example.com", i,
                                i % 997);
}

/* A set of n patterns: the one under test, then fillers. */
static cors_origin_set *make_set(apr_pool_t *p, const char *first, int n)
{
    cors_origin_set *set = cors_set_make(p);
    int i;

    add(p, set, first);
    for (i = 1; i < n; i++) {
        add(p, set, filler(p, i));
    }
    if (set->count != n) {
        fprintf(stderr, "micro: %d patterns, not %d\n", set->count, n);
        exit(1);
    }
    return set;
}

static void origin_cell(apr_pool_t *p, cell *c, const cors_origin_set *set,
                        const char *origin, int expect)
{
    memset(c, 0, sizeof(*c));
    c->set = set;
    c->origins = apr_palloc(p, sizeof(char *));
    c->lens = apr_palloc(p, sizeof(apr_size_t));
    c->origins[0] = origin;
    c->lens[0] = strlen(origin);
    c->n = 1;
    c->expect = expect;
}

/* Up to ROTATE different allowed Origins: the target and exact fillers. */
static void rotating_cell(apr_pool_t *p, cell *c, const cors_origin_set *set,
                          const char *target, int n)
{
    int i;

    memset(c, 0, sizeof(*c));
    c->set = set;
    c->origins = apr_palloc(p, ROTATE * sizeof(char *));
    c->lens = apr_palloc(p, ROTATE * sizeof(apr_size_t));
    c->origins[c->n++] = target;
    for (i = 2; i < n && c->n < ROTATE; i += 2 * (n / 2 / ROTATE + 1)) {
        c->origins[c->n++] = filler(p, i);      /* i even: exact */
    }
    for (i = 0; i < c->n; i++) {
        c->lens[i] = strlen(c->origins[i]);
    }
    c->expect = 1;
}

static void acrh_cell(cell *c, const char *acrh,
                      const apr_array_header_t *names, int star)
{
    memset(c, 0, sizeof(*c));
    c->acrh = acrh;
    c->acrh_len = strlen(acrh);
    c->names = names;
    c->star = star;
    c->expect = 1;
}

int main(void)
{
    static const int sizes[NSIZES] = { 1, 100, 10000, 100000 };
    static const char *const cols[NCOLS] = {
        "allowed exact", "allowed `*.`", "denied", "denied, `*.` set",
        "malformed", "hostile (299 B, 141 labels)", "allowed, rotating"
    };
    static const char *const exact = "https://app.partner-portal.example.org";
    static const char *const wild = "https://*.cdn.example.org";
    cell oc[NSIZES][NCOLS], ac[NACRH];
    const char *acrh_text[NACRH] = { 0 };
    apr_pool_t *p;
    char *hostile;
    int s, i, round;

    apr_initialize();
    apr_pool_create(&p, NULL);

    hostile = apr_palloc(p, 300);
    strcpy(hostile, "https://");
    for (i = 0; i < 140; i++) {
        strcat(hostile, "a.");
    }
    strcat(hostile, "example.org");

    for (s = 0; s < NSIZES; s++) {
        /* set A: an exact target first; set W: a "*." target first */
        cors_origin_set *a = make_set(p, exact, sizes[s]);
        cors_origin_set *w = make_set(p, wild, sizes[s]);

        origin_cell(p, &oc[s][0], a, exact, 1);
        origin_cell(p, &oc[s][1], w, "https://eu-west.static.cdn.example.org",
                    1);
        origin_cell(p, &oc[s][2], a, "https://app.partner-portal.attacker."
                    "test", 0);
        origin_cell(p, &oc[s][3], w, "https://eu-west.static.cdn.attacker."
                    "test", 0);
        /* two Origin lines, joined by httpd */
        origin_cell(p, &oc[s][4], a, "https://app.partner-portal.example.org"
                    ", https://evil.test", 2);
        origin_cell(p, &oc[s][5], w, hostile, 0);
        rotating_cell(p, &oc[s][6], a, exact, sizes[s]);
    }

    {
        apr_array_header_t *two = apr_array_make(p, 2, sizeof(char *));
        apr_array_header_t *fifty = apr_array_make(p, 50, sizeof(char *));
        char *commas = apr_palloc(p, 8193);
        char *list500 = apr_palloc(p, 500 * 20);
        char *last500 = apr_palloc(p, 500 * 20);
        char *o;

        cors_names_add(two, "Content-Type");
        cors_names_add(two, "X-Requested-With");
        for (i = 0; i < 49; i++) {
            cors_names_add(fifty, apr_psprintf(p, "X-Custom-Header-%d", i));
        }
        cors_names_add(fifty, "Content-Type");
        memset(commas, ',', 8192);
        commas[8192] = '\0';
        /* 500 elements, every one allowed by the two names */
        for (o = list500, i = 0; i < 500; i++) {
            o += sprintf(o, "%s%s", i ? "," : "",
                         i % 2 ? "x-requested-with" : "content-type");
        }
        /* 500 elements, every one the last of the fifty names */
        for (o = last500, i = 0; i < 500; i++) {
            o += sprintf(o, "%scontent-type", i ? "," : "");
        }
        acrh_cell(&ac[0], "content-type, x-requested-with", two, 0);
        acrh_text[0] = "`content-type, x-requested-with` | 2 listed";
        acrh_cell(&ac[1], commas, two, 0);
        acrh_text[1] = "8,192 commas | 2 listed";
        acrh_cell(&ac[2], list500, two, 0);
        acrh_text[2] = "500 elements, each allowed | 2 listed";
        acrh_cell(&ac[3], list500, NULL, 1);
        acrh_text[3] = "500 elements, each allowed | `*`";
        acrh_cell(&ac[4], last500, fifty, 0);
        acrh_text[4] = "500 elements, each the 50th name | 50 listed";
    }

    for (s = 0; s < NSIZES; s++) {
        for (i = 0; i < NCOLS; i++) {
            check(&oc[s][i]);
            calibrate(&oc[s][i]);
        }
    }
    for (i = 0; i < NACRH; i++) {
        check(&ac[i]);
        calibrate(&ac[i]);
    }
    for (round = 0; round < ROUNDS; round++) {
        for (s = 0; s < NSIZES; s++) {
            for (i = 0; i < NCOLS; i++) {
                measure(&oc[s][i]);
            }
        }
        for (i = 0; i < NACRH; i++) {
            measure(&ac[i]);
        }
    }

    printf("Origin decision (cors_origin_parse + cors_set_match), ns per "
           "call, best of %d rounds\n\n| patterns |", ROUNDS);
    for (i = 0; i < NCOLS; i++) {
        printf(" %s |", cols[i]);
    }
    printf("\n|---:|");
    for (i = 0; i < NCOLS; i++) {
        printf("---:|");
    }
    printf("\n");
    for (s = 0; s < NSIZES; s++) {
        printf("| %d |", sizes[s]);
        for (i = 0; i < NCOLS; i++) {
            printf(" %.0f |", oc[s][i].best);
        }
        printf("\n");
    }
    printf("| **100,000 / 1** |");
    for (i = 0; i < NCOLS; i++) {
        printf(" **%.2f** |", oc[NSIZES - 1][i].best / oc[0][i].best);
    }
    printf("\n\nallowed exact: %s; allowed `*.`: "
           "https://eu-west.static.cdn.example.org against %s; denied: "
           "https://app.partner-portal.attacker.test (set with the exact "
           "target; it has no `*.` pattern at 1) and "
           "https://eu-west.static.cdn.attacker.test (set with the `*.` "
           "target); malformed: two Origin lines joined by httpd; hostile: "
           "https://a.a.(140 labels).example.org against the `*.` set; "
           "rotating: up to %d different allowed Origins in turn.\n",
           exact, wild, ROTATE);

    printf("\ncors_request_headers_allowed, ns per call, best of %d "
           "rounds\n\n| Access-Control-Request-Headers | allowed names | "
           "bytes | ns |\n|---|---|---:|---:|\n", ROUNDS);
    for (i = 0; i < NACRH; i++) {
        printf("| %s | %lu | %.0f |\n", acrh_text[i],
               (unsigned long)ac[i].acrh_len, ac[i].best);
    }

    apr_pool_destroy(p);
    apr_terminate();
    return sink == 42 ? 1 : 0;
}
