/* Licensed under the Apache License, Version 2.0. */

/*
 * Unit tests of cors_decide.c, the one decision for a request
 * (docs/mod_cors.html#requests, #protection, #limits): policies built the
 * way cors_config.c builds them, from cors_match.c's parsers, and inputs
 * as the request path reads them.  Each row names the manual's rule it
 * checks.  The Apache::Test suite proves the same rules through a real
 * httpd; these rows pin the decision itself, and run under ASan and UBSan.
 *
 * cors_decide.c calls one function of cors_config.c, cors_regex_matches
 * (PCRE2's JIT or ap_regexec, under the match limits), and cors_file.c's
 * three for origin list files: no row here has a regex or a file, and the
 * definitions below fail any row that reaches them.  Files are tested in
 * t/origin_file.t against httpd.  Regexes are tested in
 * t/safety.t and t/origin_patterns.t against httpd.
 *
 * Prints "N passed, N failed"; exits 1 if any check failed.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "apr_general.h"
#include "apr_strings.h"

#include "cors_internal.h"

/* What a preflight varies on (docs/mod_cors.html#requests). */
#define CORS_PREFLIGHT_VARY_TEXT \
    "Origin,Access-Control-Request-Method,Access-Control-Request-Headers"

static int n_passed, n_failed, regex_calls;   /* regexes and files */
static apr_pool_t *pool;

int cors_regex_matches(const cors_regex_text *t, const char *s,
                       apr_size_t len, int *limited)
{
    regex_calls++;
    *limited = 0;
    return 0;
}

const cors_file_set *cors_file_acquire(cors_origin_file *f)
{
    regex_calls++;
    return NULL;
}

void cors_file_release(const cors_file_set *v)
{
    regex_calls++;
}

int cors_file_find(const cors_file_set *v, const cors_origin *o,
                   int *untrusted)
{
    regex_calls++;
    return -1;
}

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
}

static const cors_where where = { "CORSTest", "test.conf", 1 };

/* A single value, as cors_value_make sets it. */
static const cors_value *value(int v, const char *text)
{
    cors_value *cv = apr_pcalloc(pool, sizeof(*cv));

    cv->value = v;
    cv->text = text;
    cv->where = where;
    return cv;
}

/* A list directive's value, space-separated ("*" alone or with names). */
static cors_list *list(const char *text, int methods)
{
    cors_list *l = apr_pcalloc(pool, sizeof(*l));
    char *copy = apr_pstrdup(pool, text), *last, *tok;

    l->names = apr_array_make(pool, 4, sizeof(const char *));
    for (tok = apr_strtok(copy, " ", &last); tok;
         tok = apr_strtok(NULL, " ", &last)) {
        if (!strcmp(tok, "*")) {
            l->star = 1;
        }
        else {
            cors_names_add(l->names, methods ? cors_method_normalize(tok)
                                             : tok);
        }
    }
    l->value = apr_array_pstrcat(pool, l->names, ',');
    if (l->star) {
        l->value = "*";
    }
    l->where = where;
    return l;
}

/* An origin set from CORSAllowOrigin's values ("*", "null", patterns). */
static cors_origins *origins(const char *text)
{
    cors_origins *o = apr_pcalloc(pool, sizeof(*o));
    char *copy = apr_pstrdup(pool, text), *last, *tok;

    o->set = cors_set_make(pool);
    o->suffix_set = cors_set_make(pool);
    o->patterns = apr_array_make(pool, 4, sizeof(cors_pattern));
    o->regexes = apr_array_make(pool, 1, sizeof(cors_regex));
    o->text = text;
    o->section = "test.conf:1";
    o->where = where;
    for (tok = apr_strtok(copy, " ", &last); tok;
         tok = apr_strtok(NULL, " ", &last)) {
        cors_pattern pat;

        o->allows = 1;
        if (!strcmp(tok, "*")) {
            o->any = 1;
            o->unsafe = "CORSAllowOrigin *";
        }
        else if (!strcmp(tok, "null")) {
            o->null = 1;
            o->unsafe = "CORSAllowOrigin null";
        }
        else if (cors_pattern_parse(pool, tok, &pat) == NULL) {
            if (cors_pattern_under_public_suffix(&pat)) {
                cors_set_add(pool, o->suffix_set, &pat);
                o->unsafe = "a public suffix";
            }
            else {
                cors_set_add(pool, o->set, &pat);
            }
        }
        else {
            fprintf(stderr, "bad pattern in a row: %s\n", tok);
        }
    }
    return o;
}

/* What the rows expect; NULL: absent. */
typedef struct {
    int line;
    const char *what;
    /* the policy */
    const char *origins, *methods, *headers, *expose;
    int credentials;
    const char *protect;        /* NULL, "On", "ReportOnly" */
    /* the request */
    const char *method, *origin, *acrm, *acrh, *sfs, *host;
    int websocket, unanswered;
    /* the decision */
    const char *note;           /* "-": the module does nothing */
    const char *acao, *acac, *acam, *acah, *aceh, *vary;
    int refused, withheld;
} row;

#define R(...) { __LINE__, __VA_ARGS__ }

static const row rows[] = {
    /* #requests: actual requests */
    R("actual, allowed exact origin, credentials",
      "https://app.example", NULL, NULL, "X-Total", 1, NULL,
      "GET", "https://app.example", NULL, NULL, NULL, NULL, 0, 0,
      "actual:allowed", "https://app.example", "true", NULL, NULL,
      "X-Total", "Origin", 0, 0),
    R("actual, scheme and host in upper case: ACAO repeats the request",
      "https://app.example", NULL, NULL, NULL, 0, NULL,
      "GET", "HTTPS://APP.EXAMPLE", NULL, NULL, NULL, NULL, 0, 0,
      "actual:allowed", "HTTPS://APP.EXAMPLE", NULL, NULL, NULL, NULL,
      "Origin", 0, 0),
    R("actual, an origin not in the set",
      "https://app.example", NULL, NULL, "X-Total", 1, NULL,
      "GET", "https://evil.example", NULL, NULL, NULL, NULL, 0, 0,
      "actual:denied:origin", NULL, NULL, NULL, NULL, NULL, "Origin", 0, 0),
    R("actual, a path is not an origin",
      "https://app.example", NULL, NULL, NULL, 0, NULL,
      "GET", "https://app.example/", NULL, NULL, NULL, NULL, 0, 0,
      "actual:denied:malformed-origin", NULL, NULL, NULL, NULL, NULL,
      "Origin", 0, 0),
    R("actual, a default port is never sent by a browser",
      "https://app.example", NULL, NULL, NULL, 0, NULL,
      "GET", "https://app.example:443", NULL, NULL, NULL, NULL, 0, 0,
      "actual:denied:malformed-origin", NULL, NULL, NULL, NULL, NULL,
      "Origin", 0, 0),
    R("actual, *.: any label in front, not the bare domain",
      "https://*.example.org", NULL, NULL, NULL, 0, NULL,
      "GET", "https://a.b.example.org", NULL, NULL, NULL, NULL, 0, 0,
      "actual:allowed", "https://a.b.example.org", NULL, NULL, NULL, NULL,
      "Origin", 0, 0),
    R("actual, *. does not match the bare domain",
      "https://*.example.org", NULL, NULL, NULL, 0, NULL,
      "GET", "https://example.org", NULL, NULL, NULL, NULL, 0, 0,
      "actual:denied:origin", NULL, NULL, NULL, NULL, NULL, "Origin", 0, 0),
    R("actual, the set is *: ACAO * and no Vary",
      "*", NULL, NULL, NULL, 0, NULL,
      "GET", "https://any.example", NULL, NULL, NULL, NULL, 0, 0,
      "actual:any", "*", NULL, NULL, NULL, NULL, NULL, 0, 0),
    R("actual, no Origin: not CORS, Vary only",
      "https://app.example", NULL, NULL, NULL, 0, NULL,
      "GET", NULL, NULL, NULL, NULL, NULL, 0, 0,
      "none", NULL, NULL, NULL, NULL, NULL, "Origin", 0, 0),
    /* #checks: credentials withheld beside an inherited unsafe pattern */
    R("credentials beside a public suffix wildcard: withheld",
      "https://*.github.io", NULL, NULL, NULL, 1, NULL,
      "GET", "https://a.github.io", NULL, NULL, NULL, NULL, 0, 0,
      "actual:allowed", "https://a.github.io", NULL, NULL, NULL, NULL,
      "Origin", 0, 1),
    R("credentials beside *: withheld, ACAO *",
      "*", NULL, NULL, NULL, 1, NULL,
      "GET", "https://any.example", NULL, NULL, NULL, NULL, 0, 0,
      "actual:any", "*", NULL, NULL, NULL, NULL, NULL, 0, 1),
    /* #requests: preflights */
    R("preflight, listed method, listed header",
      "https://app.example", "PUT DELETE", "X-Token", NULL, 1, NULL,
      "OPTIONS", "https://app.example", "PUT", "x-token", NULL, NULL, 0, 0,
      "preflight:allowed", "https://app.example", "true", "PUT,DELETE",
      "X-Token", NULL, CORS_PREFLIGHT_VARY_TEXT, 0, 0),
    R("preflight, GET needs no listing and no ACAM without the directive",
      "https://app.example", NULL, NULL, NULL, 0, NULL,
      "OPTIONS", "https://app.example", "GET", NULL, NULL, NULL, 0, 0,
      "preflight:allowed", "https://app.example", NULL, NULL, NULL, NULL,
      CORS_PREFLIGHT_VARY_TEXT, 0, 0),
    R("preflight, methods are case-sensitive: Post is not POST",
      "https://app.example", NULL, NULL, NULL, 0, NULL,
      "OPTIONS", "https://app.example", "Post", NULL, NULL, NULL, 0, 0,
      "preflight:denied:method", NULL, NULL, NULL, NULL, NULL,
      CORS_PREFLIGHT_VARY_TEXT, 0, 0),
    R("preflight, a header not listed",
      "https://app.example", "PUT", "X-Token", NULL, 0, NULL,
      "OPTIONS", "https://app.example", "PUT", "x-token, x-other", NULL,
      NULL, 0, 0,
      "preflight:denied:headers", NULL, NULL, NULL, NULL, NULL,
      CORS_PREFLIGHT_VARY_TEXT, 0, 0),
    R("preflight, * with credentials echoes the method and headers",
      "https://app.example", "*", "*", NULL, 1, NULL,
      "OPTIONS", "https://app.example", "PATCH", "x-a, x-b", NULL, NULL,
      0, 0,
      "preflight:allowed", "https://app.example", "true", "PATCH",
      "x-a, x-b", NULL, CORS_PREFLIGHT_VARY_TEXT, 0, 0),
    R("preflight, Authorization needs its name even under *",
      "https://app.example", NULL, "*", NULL, 0, NULL,
      "OPTIONS", "https://app.example", "GET", "authorization", NULL, NULL,
      0, 0,
      "preflight:denied:headers", NULL, NULL, NULL, NULL, NULL,
      CORS_PREFLIGHT_VARY_TEXT, 0, 0),
    /* #limits: a preflight httpd answered itself */
    R("preflight answered by httpd first: unanswered, nothing written",
      "https://app.example", "PUT", NULL, NULL, 1, "On",
      "OPTIONS", "https://app.example", "PUT", NULL, "cross-site", NULL,
      0, 1,
      "preflight:unanswered", NULL, NULL, NULL, NULL, NULL, NULL, 0, 0),
    R("actual answered by httpd first: keeps ACAO, protection not judged",
      "https://app.example", NULL, NULL, NULL, 0, "On",
      "POST", "https://evil.example", NULL, NULL, "cross-site", NULL, 0, 1,
      "actual:denied:origin", NULL, NULL, NULL, NULL, NULL, "Origin", 0, 0),
    R("a request whose line httpd could not read: no method",
      "https://app.example", NULL, NULL, NULL, 0, "On",
      NULL, NULL, NULL, NULL, NULL, NULL, 0, 1,
      "none", NULL, NULL, NULL, NULL, NULL, "Origin", 0, 0),
    /* #protection: the five steps */
    R("protection step 1: GET passes",
      NULL, NULL, NULL, NULL, 0, "On",
      "GET", "https://evil.example", NULL, NULL, "cross-site", NULL, 0, 0,
      "-", NULL, NULL, NULL, NULL, NULL, NULL, 0, 0),
    R("protection step 1: a WebSocket handshake is unsafe",
      NULL, NULL, NULL, NULL, 0, "On",
      "GET", "https://evil.example", NULL, NULL, "cross-site", NULL, 1, 0,
      "protect:refused", NULL, NULL, NULL, NULL, NULL,
      "Origin,Sec-Fetch-Site", 1, 0),
    R("protection step 2: a trusted origin passes",
      "https://app.example", NULL, NULL, NULL, 0, "On",
      "POST", "https://app.example", NULL, NULL, "cross-site", NULL, 0, 0,
      "actual:allowed", "https://app.example", NULL, NULL, NULL, NULL,
      "Origin", 0, 0),
    R("protection step 3: cross-site is refused",
      "https://app.example", NULL, NULL, NULL, 0, "On",
      "POST", "https://evil.example", NULL, NULL, "cross-site", NULL, 0, 0,
      "protect:refused", NULL, NULL, NULL, NULL, NULL,
      "Origin,Sec-Fetch-Site", 1, 0),
    R("protection step 3: same-origin passes",
      NULL, NULL, NULL, NULL, 0, "On",
      "POST", NULL, NULL, NULL, "same-origin", NULL, 0, 0,
      "-", NULL, NULL, NULL, NULL, NULL, NULL, 0, 0),
    R("protection step 4: no Sec-Fetch-Site, no Origin passes",
      NULL, NULL, NULL, NULL, 0, "On",
      "POST", NULL, NULL, NULL, NULL, NULL, 0, 0,
      "-", NULL, NULL, NULL, NULL, NULL, NULL, 0, 0),
    R("protection step 5: Origin host equal to Host passes",
      NULL, NULL, NULL, NULL, 0, "On",
      "POST", "https://app.example.com", NULL, NULL, NULL,
      "app.example.com", 0, 0,
      "-", NULL, NULL, NULL, NULL, NULL, NULL, 0, 0),
    R("protection step 5: an Origin host that is a prefix of Host",
      NULL, NULL, NULL, NULL, 0, "On",
      "POST", "https://app.example.co", NULL, NULL, NULL,
      "app.example.com", 0, 0,
      "protect:refused", NULL, NULL, NULL, NULL, NULL,
      "Origin,Sec-Fetch-Site", 1, 0),
    R("protection ReportOnly: noted, the request goes on",
      "https://app.example", NULL, NULL, NULL, 0, "ReportOnly",
      "POST", "https://evil.example", NULL, NULL, "cross-site", NULL, 0, 0,
      "protect:report", NULL, NULL, NULL, NULL, NULL, "Origin", 0, 0),
};

static int same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && !strcmp(a, b));
}

static const char *show(const char *s)
{
    return s ? apr_psprintf(pool, "\"%s\"", s) : "(none)";
}

static void test_rows(void)
{
    apr_size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const row *t = &rows[i];
        cors_dir_conf conf;
        cors_input in;
        cors_decision d;
        const char *note;
        int calls = regex_calls;

        memset(&conf, 0, sizeof(conf));
        conf.set = 1;
        conf.origins = t->origins ? origins(t->origins) : NULL;
        conf.methods = t->methods ? list(t->methods, 1) : NULL;
        conf.headers = t->headers ? list(t->headers, 0) : NULL;
        conf.expose = t->expose ? list(t->expose, 0) : NULL;
        conf.credentials = t->credentials ? value(1, "On") : NULL;
        if (t->protect) {
            conf.protect = value(!strcmp(t->protect, "On")
                                 ? CORS_PROTECT_ON : CORS_PROTECT_REPORT,
                                 t->protect);
        }
        memset(&in, 0, sizeof(in));
        in.method = t->method;
        in.origin = t->origin;
        in.acrm = t->acrm;
        in.acrh = t->acrh;
        in.sec_fetch_site = t->sfs;
        in.host = t->host;
        in.websocket = t->websocket;
        in.unanswered = t->unanswered;

        cors_decide(pool, &conf, &in, &d);
        note = d.note == CORS_NOTE_UNSET ? "-" : cors_note_names[d.note];
        check(same(note, t->note), t->line, "%s: note %s, want %s",
              t->what, note, t->note);
        check(same(d.field[CORS_ACAO], t->acao), t->line, "%s: ACAO %s, "
              "want %s", t->what, show(d.field[CORS_ACAO]), show(t->acao));
        check(same(d.field[CORS_ACAC], t->acac), t->line, "%s: ACAC %s, "
              "want %s", t->what, show(d.field[CORS_ACAC]), show(t->acac));
        check(same(d.field[CORS_ACAM], t->acam), t->line, "%s: ACAM %s, "
              "want %s", t->what, show(d.field[CORS_ACAM]), show(t->acam));
        check(same(d.field[CORS_ACAH], t->acah), t->line, "%s: ACAH %s, "
              "want %s", t->what, show(d.field[CORS_ACAH]), show(t->acah));
        check(same(d.field[CORS_ACEH], t->aceh), t->line, "%s: ACEH %s, "
              "want %s", t->what, show(d.field[CORS_ACEH]), show(t->aceh));
        check(same(d.vary, t->vary), t->line, "%s: Vary %s, want %s",
              t->what, show(d.vary), show(t->vary));
        check(d.refused == t->refused, t->line, "%s: refused %d, want %d",
              t->what, d.refused, t->refused);
        check((d.withheld != NULL) == t->withheld, t->line, "%s: withheld "
              "%s", t->what, show(d.withheld));
        check(regex_calls == calls, t->line, "%s: reached a regex or a file",
              t->what);
    }
}

/*
 * CORSShadow's comparison (docs/mod_cors.html#shadow): a decision against
 * what a response carries, in its two tables.  Each row: a decision's
 * note, ACAO, ACAM and Vary; the response's status and fields ("name:
 * value" pairs, a '|' starting err_headers_out); the differences expected
 * (NULL: they agree).
 */
static void test_shadow(void)
{
    static const struct {
        int line, note;
        const char *acao, *acam, *vary;
        int status;
        const char *response[6];
        const char *want;
    } rows[] = {
        { __LINE__, CORS_NOTE_ACTUAL_ALLOWED, "https://a.example", NULL,
          "Origin", 200,
          { "Access-Control-Allow-Origin", "https://a.example",
            "Vary", "Accept-Encoding, origin" }, NULL },
        { __LINE__, CORS_NOTE_ACTUAL_ALLOWED, "https://a.example", NULL,
          "Origin", 200, { "Vary", "*" },
          "would send ACAO \"https://a.example\", the response has none" },
        /* a field sent twice counts with both values */
        { __LINE__, CORS_NOTE_ACTUAL_ANY, "*", NULL, NULL, 200,
          { "Access-Control-Allow-Origin", "*",
            "|Access-Control-Allow-Origin", "*" },
          "would send ACAO \"*\", the response has \"*,*\"" },
        { __LINE__, CORS_NOTE_ACTUAL_ORIGIN, NULL, NULL, "Origin", 404,
          { "Access-Control-Allow-Origin", "https://evil.example" },
          "would send no ACAO, the response has \"https://evil.example\"; "
          "would send Origin in Vary, the response has none" },
        /* methods are a set, in their own case */
        { __LINE__, CORS_NOTE_PREFLIGHT_ALLOWED, "*", "PUT,DELETE", NULL,
          204, { "Access-Control-Allow-Origin", "*",
                 "Access-Control-Allow-Methods", " DELETE , PUT" }, NULL },
        { __LINE__, CORS_NOTE_PREFLIGHT_ALLOWED, "*", "PUT", NULL, 204,
          { "Access-Control-Allow-Origin", "*",
            "Access-Control-Allow-Methods", "put" },
          "would send ACAM \"PUT\", the response has \"put\"" },
        { __LINE__, CORS_NOTE_PREFLIGHT_ORIGIN, NULL, NULL, NULL, 200, {},
          "would answer 403, the response has status 200" },
        { __LINE__, CORS_NOTE_PREFLIGHT_ALLOWED, "*", NULL, NULL, 401, {},
          "would answer with a 2xx status, the response has status 401; "
          "would send ACAO \"*\", the response has none" },
    };
    apr_size_t i;
    int k;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        apr_table_t *out = apr_table_make(pool, 4);
        apr_table_t *err = apr_table_make(pool, 4);
        cors_decision d;
        const char *got;

        memset(&d, 0, sizeof(d));
        d.note = rows[i].note;
        d.nfields = rows[i].note <= CORS_NOTE_PREFLIGHT_UNANSWERED
                    ? CORS_NFIELDS : CORS_NACTUAL;
        d.field[CORS_ACAO] = rows[i].acao;
        d.field[CORS_ACAM] = rows[i].acam;
        d.vary = rows[i].vary;
        for (k = 0; k < 6 && rows[i].response[k]; k += 2) {
            const char *name = rows[i].response[k];

            apr_table_add(*name == '|' ? err : out, name + (*name == '|'),
                          rows[i].response[k + 1]);
        }
        got = cors_shadow_compare(pool, &d, rows[i].status, out, err);
        check(rows[i].want ? got && !strcmp(got, rows[i].want) : !got,
              rows[i].line, "shadow: got %s, want %s", got ? got : "NULL",
              rows[i].want ? rows[i].want : "NULL");
    }
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
    test_rows();
    test_shadow();
    apr_pool_destroy(pool);
    apr_terminate();
    printf("%d passed, %d failed\n", n_passed, n_failed);
    return n_failed != 0;
}
