/* Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 */

/*
 * cors_decide: the one decision for a request (docs/mod_cors.html#requests,
 * #protection), shared by real requests and the cors-status checker.  It
 * reads a policy and what a request brings (cors_input) and says what to
 * answer (cors_decision); it has no request_rec, logs nothing and keeps
 * no state: what must be logged (credentials withheld, a regex at its
 * limit) it returns for the caller.
 *
 * Calls cors_config (cors_regex_matches) and cors_match.
 */

#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"

#include "cors_internal.h"

/*
 * Written as httpd sends them: its HTTP header filter (fixup_vary) joins
 * the tokens of Vary with a bare comma, so the checker shows the line a
 * real response carries.
 */
#define CORS_PREFLIGHT_VARY \
    "Origin,Access-Control-Request-Method,Access-Control-Request-Headers"
#define CORS_PROTECT_VARY "Origin,Sec-Fetch-Site"

/* What cross-origin protection lets through (docs/mod_cors.html#protection),
 * for the log line and the checker. */
#define CORS_PROTECT_ALLOWS "unsafe requests from the same origin, from " \
    "the section's trusted origins and from clients that are not browsers"

/* What a section's origin set says about one Origin value. */
enum {
    CORS_ORIGIN_MALFORMED,      /* not one serialized origin */
    CORS_ORIGIN_DENIED,
    CORS_ORIGIN_ALLOWED,        /* and trusted, where trust was asked */
    CORS_ORIGIN_UNTRUSTED       /* allowed, but not trusted
                                 * (docs/mod_cors.html#trust) */
};

const char *const cors_field_names[CORS_NFIELDS] = {
    [CORS_ACAO] = "Access-Control-Allow-Origin",
    [CORS_ACAC] = "Access-Control-Allow-Credentials",
    [CORS_ACEH] = "Access-Control-Expose-Headers",
    [CORS_ACAM] = "Access-Control-Allow-Methods",
    [CORS_ACAH] = "Access-Control-Allow-Headers",
    [CORS_ACMA] = "Access-Control-Max-Age",
    [CORS_ACAPN] = "Access-Control-Allow-Private-Network"
};

/* The same, as the shadow line abbreviates them (docs/mod_cors.html#shadow) */
static const char *const cors_field_short[CORS_NFIELDS] = {
    [CORS_ACAO] = "ACAO", [CORS_ACAC] = "ACAC", [CORS_ACEH] = "ACEH",
    [CORS_ACAM] = "ACAM", [CORS_ACAH] = "ACAH", [CORS_ACMA] = "ACMA",
    [CORS_ACAPN] = "ACAPN"
};

const char *const cors_note_names[CORS_NNOTES] = {
    "none",
    "preflight:allowed",
    "preflight:denied:origin",
    "preflight:denied:malformed-origin",
    "preflight:denied:method",
    "preflight:denied:headers",
    "preflight:unanswered",
    "actual:allowed",
    "actual:any",
    "actual:denied:origin",
    "actual:denied:malformed-origin",
    "protect:refused",
    "protect:report",
    "shadow:agree",
    "shadow:differ"
};

/*
 * Does a regex's match trust the origin: is the registrable domain of its
 * host in the regex's domain set?  Only here does a request pay for the
 * public suffix list.
 */
static int cors_regex_trusts(const cors_regex *cr, const cors_origin *o)
{
    char host[CORS_ORIGIN_MAX + 1];

    return !cr->is->unsafe
           && cors_domains_has(cr->is->domains, cors_origin_domain(o, host));
}

/*
 * How the origin set judges an Origin value; with need_trust, whether it
 * is trusted too (a regex match is then checked against its domain set).
 * The syntax check comes before any "*." pattern or regex, so they never
 * see a value a browser would not send; the exact-origin hash is looked
 * up first because a value found there is valid by construction.  "*" is
 * the caller's.
 */
static void cors_decided_by(cors_decision *d, const char *directive,
                            const cors_where *by, const char *allows)
{
    d->directive = directive;
    d->by = by;
    d->allows = allows;
}

/*
 * Is the origin listed in one of the section's files
 * (docs/mod_cors.html#origin-files)?  Each file's version in force is
 * held while it is looked up; the line that allows it decides.
 */
static int cors_judge_files(const cors_origins *o, const cors_origin *parsed,
                            int *untrusted, cors_decision *d)
{
    int i, line;

    for (i = 0; i < o->files->nelts; i++) {
        cors_origin_file *f = APR_ARRAY_IDX(o->files, i, cors_origin_file *);
        const cors_file_set *v = cors_file_acquire(f);

        if (v == NULL) {
            continue;
        }
        line = cors_file_find(v, parsed, untrusted);
        cors_file_release(v);
        if (line >= 0) {
            d->from_file.directive = "CORSAllowOriginFile";
            d->from_file.file = f->path;
            d->from_file.line = line;
            cors_decided_by(d, "CORSAllowOriginFile", &d->from_file,
                            f->allows);
            return 1;
        }
    }
    return 0;
}

static int cors_judge_origin(const cors_origins *o, const char *origin,
                             int need_trust, cors_decision *d)
{
    apr_size_t len = strlen(origin);
    cors_origin parsed;
    const cors_regex *first = NULL;
    int i, untrusted = 0, limited;

    if (cors_set_match_exact(o->set, origin, len)) {
        return CORS_ORIGIN_ALLOWED;
    }
    if (!cors_origin_parse(origin, len, &parsed)) {
        return CORS_ORIGIN_MALFORMED;
    }
    if (parsed.is_null) {
        /* regexes never see "null": only CORSAllowOrigin null allows it */
        return o->null ? CORS_ORIGIN_UNTRUSTED : CORS_ORIGIN_DENIED;
    }
    if (cors_set_match(o->set, &parsed)) {
        return CORS_ORIGIN_ALLOWED;
    }
    untrusted = cors_set_match(o->suffix_set, &parsed);
    if (o->files && cors_judge_files(o, &parsed, &untrusted, d)) {
        return CORS_ORIGIN_ALLOWED;
    }
    for (i = 0; i < o->regexes->nelts; i++) {
        const cors_regex *cr = &APR_ARRAY_IDX(o->regexes, i, cors_regex);

        if (untrusted && (cr->is->unsafe || !need_trust)) {
            continue;           /* it could add nothing */
        }
        if (cors_regex_matches(cr->is, origin, len, &limited)) {
            if (!need_trust || cors_regex_trusts(cr, &parsed)) {
                return CORS_ORIGIN_ALLOWED;
            }
            first = untrusted ? first : cr;
            untrusted = 1;
        }
        else if (limited) {
            d->limited = cr;    /* the caller logs it */
        }
    }
    d->untrusted = first;       /* the caller logs it */
    return untrusted ? CORS_ORIGIN_UNTRUSTED : CORS_ORIGIN_DENIED;
}

/*
 * Cross-origin protection (docs/mod_cors.html#protection), after Go's
 * net/http.CrossOriginProtection.  Returns NULL if the request passes,
 * else why it is refused.
 */
static CORS_HOT const char *cors_protect_refuses(const cors_dir_conf *conf,
                                                 const cors_input *in,
                                                 int *verdict,
                                                 cors_decision *d)
{
    const char *sfs = in->sec_fetch_site, *host = in->host, *o = in->origin;
    cors_origin parsed;

    /* step 2: an origin the section allows and trusts */
    if (o && cors_has_origins(conf) && strcmp(o, "null")
        && !conf->origins->any) {
        *verdict = cors_judge_origin(conf->origins, o, 1, d);
        if (*verdict == CORS_ORIGIN_ALLOWED) {
            return NULL;
        }
    }
    if (in->headers) {
        sfs = apr_table_get(in->headers, "Sec-Fetch-Site");
    }
    if (sfs && *sfs) {
        if (!strcmp(sfs, "same-origin") || !strcmp(sfs, "none")) {
            return NULL;
        }
        return "Sec-Fetch-Site";
    }
    if (o == NULL) {
        return NULL;
    }
    if (in->headers) {
        host = apr_table_get(in->headers, "Host");
    }
    if (cors_origin_parse(o, strlen(o), &parsed) && !parsed.is_null
        && host) {
        const char *hostport = parsed.host;
        apr_size_t len = strlen(o) - (hostport - o);

        if (strlen(host) == len && !strncasecmp(hostport, host, len)) {
            return NULL;
        }
    }
    return "Origin";
}

/*
 * The Access-Control-Allow-Origin value, or NULL; *malformed tells the
 * two reasons for NULL apart.  verdict is the origin's judgement when
 * cross-origin protection has made it already (else -1); need_trust asks
 * for trust (credentials, private network access), and *untrusted says
 * it was not given.
 */
static const char *cors_allow_origin(const cors_dir_conf *conf,
                                     const cors_input *in, int verdict,
                                     int need_trust, int *untrusted,
                                     int *malformed, cors_decision *d)
{
    const char *origin = in->origin;
    int v = verdict;

    if (conf->origins->any) {
        *untrusted = 1;
        return "*";
    }
    if (v < 0) {
        v = cors_judge_origin(conf->origins, origin, need_trust, d);
    }
    *untrusted = v == CORS_ORIGIN_UNTRUSTED;
    if (v == CORS_ORIGIN_ALLOWED || v == CORS_ORIGIN_UNTRUSTED) {
        return origin;
    }
    *malformed = v == CORS_ORIGIN_MALFORMED;
    return NULL;
}

/*
 * Credentials go to trusted origins only: never beside "*", "null", a
 * public suffix, or to a regex's match outside its domain set, wherever
 * the directives were set (docs/mod_cors.html#trust).
 */
static int cors_credentials(const cors_dir_conf *conf, int untrusted,
                            cors_decision *d)
{
    if (!cors_credentials_on(conf)) {
        return 0;
    }
    if (untrusted) {
        /* a regex's match is the caller's to name */
        d->withheld = d->untrusted ? NULL : conf->origins->unsafe;
        return 0;
    }
    return 1;
}

static void cors_decide_preflight(apr_pool_t *p, const cors_dir_conf *conf,
                                  const cors_input *in, int verdict,
                                  cors_decision *d)
{
    const cors_list *methods = conf->methods, *headers = conf->headers;
    const char *method = in->acrm, *acrh = in->acrh, *bad;
    apr_size_t badlen;
    int credentials, untrusted = 0, malformed = 0;
    /* Chrome 104-137 asked, mostly in a warning-only mode: the answer
     * never fails the preflight (docs/mod_cors.html#private-network) */
    int pna = in->acrpn && !strcmp(in->acrpn, "true");
    int pna_on = conf->private_network && conf->private_network->value;

    d->vary = CORS_PREFLIGHT_VARY;
    d->nfields = CORS_NFIELDS;
    /* the section's first origin line names the set */
    cors_decided_by(d, conf->origins->where.directive,
                    &conf->origins->where, conf->origins->text);
    d->field[CORS_ACAO] = cors_allow_origin(conf, in, verdict,
                                            cors_credentials_on(conf)
                                            || (pna && pna_on),
                                            &untrusted, &malformed, d);
    if (d->field[CORS_ACAO] == NULL) {
        d->note = malformed ? CORS_NOTE_PREFLIGHT_MALFORMED
                            : CORS_NOTE_PREFLIGHT_ORIGIN;
        return;
    }
    /* A listed method is a token and not forbidden (the directive checked
     * it): only "*" needs these checks. */
    if (!(cors_method_is_simple(method)
          || (methods && cors_method_listed(methods->names, method))
          || (methods && methods->star
              && cors_is_token(method, strlen(method))
              && !cors_method_is_forbidden(method)))) {
        d->note = CORS_NOTE_PREFLIGHT_METHOD;
        d->offending = method;
        cors_decided_by(d, "CORSAllowMethods", methods ? &methods->where
                        : NULL, methods ? methods->value
                        : "GET, HEAD and POST only");
        goto denied;
    }
    if (acrh && !cors_request_headers_allowed(acrh, strlen(acrh),
                                              headers ? headers->names
                                                      : NULL,
                                              headers && headers->star,
                                              &bad, &badlen)) {
        d->note = CORS_NOTE_PREFLIGHT_HEADERS;
        d->offending = cors_request_headers_refused(p, acrh, strlen(acrh),
                                                    headers ? headers->names
                                                            : NULL,
                                                    headers && headers->star,
                                                    200);
        cors_decided_by(d, "CORSAllowHeaders", headers ? &headers->where
                        : NULL, headers ? headers->value
                        : "the CORS-safelisted headers only");
        goto denied;
    }
    if (pna) {
        if (!pna_on) {
            d->pna_refused = "CORSAllowPrivateNetwork is not On here";
        }
        else if (untrusted) {
            d->pna_refused = "the origin is not trusted "
                             "(docs/mod_cors.html#trust)";
        }
        else {
            d->field[CORS_ACAPN] = "true";
        }
    }

    /* With credentials, browsers read "*" as a name: echo the request. */
    credentials = cors_credentials(conf, untrusted, d);
    d->field[CORS_ACAC] = credentials ? "true" : NULL;
    if (methods) {
        d->field[CORS_ACAM] = methods->star && credentials ? method
                                                           : methods->value;
    }
    if (acrh && headers) {
        d->field[CORS_ACAH] = headers->star && credentials ? acrh
                                                           : headers->value;
    }
    d->field[CORS_ACMA] = conf->max_age ? conf->max_age->text : NULL;
    d->note = CORS_NOTE_PREFLIGHT_ALLOWED;
    return;

denied:
    memset(d->field, 0, sizeof(d->field));
}

static void cors_decide_actual(const cors_dir_conf *conf,
                               const cors_input *in, int verdict,
                               cors_decision *d)
{
    int untrusted = 0, malformed = 0;

    d->nfields = CORS_NACTUAL;
    /* the section's first origin line names the set */
    cors_decided_by(d, conf->origins->where.directive,
                    &conf->origins->where, conf->origins->text);
    if (conf->origins->any) {
        /* The same answer for everyone: nothing to vary on. */
        d->field[CORS_ACAO] = "*";
        if (in->origin) {
            cors_credentials(conf, 1, d);   /* warns if inherited */
        }
        d->note = CORS_NOTE_ACTUAL_ANY;
    }
    else {
        d->vary = "Origin";
        if (in->origin) {
            d->field[CORS_ACAO] = cors_allow_origin(conf, in,
                                                    verdict,
                                                    cors_credentials_on(conf),
                                                    &untrusted, &malformed,
                                                    d);
        }
        if (d->field[CORS_ACAO] && cors_credentials(conf, untrusted, d)) {
            d->field[CORS_ACAC] = "true";
        }
        d->note = d->field[CORS_ACAO] ? CORS_NOTE_ACTUAL_ALLOWED
                  : malformed ? CORS_NOTE_ACTUAL_MALFORMED
                  : CORS_NOTE_ACTUAL_ORIGIN;
    }
    if (d->field[CORS_ACAO] && conf->expose) {
        d->field[CORS_ACEH] = conf->expose->value;
    }
    if (in->origin == NULL) {
        d->note = CORS_NOTE_NONE;
    }
}

/*
 * Does cross-origin protection judge the request at all?  Not httpd's
 * own answer (a 400, a Redirect: it reached no handler, and may have no
 * method).  Step 1: a safe method passes, but a WebSocket handshake,
 * which carries cookies to any origin, is unsafe.  Inline: most
 * protected requests stop here.
 */
static APR_INLINE int cors_protect_judges(const cors_dir_conf *conf,
                                          const cors_input *in)
{
    return conf->protect && conf->protect->value != CORS_PROTECT_OFF
           && !in->unanswered
           && (in->websocket || !cors_method_is_safe(in->method));
}

/*
 * Cross-origin protection's part of a decision, where it judges: 1 when it
 * refuses (d is complete), else 0, with *report set when ReportOnly lets
 * a refusal through.  *verdict keeps the origin's judgement for what
 * follows.  Out of line: most policies have no protection.
 */
static CORS_APART int cors_protect(const cors_dir_conf *conf,
                                   const cors_input *in, int *verdict,
                                   int *report, cors_decision *d)
{
    const char *why = cors_protect_refuses(conf, in, verdict, d);

    if (why == NULL) {
        return 0;
    }
    d->offending = why;
    cors_decided_by(d, "CORSCrossOriginProtection", &conf->protect->where,
                    CORS_PROTECT_ALLOWS);
    /* under CORSShadow, protection only reports */
    if (conf->protect->value == CORS_PROTECT_REPORT || cors_shadow_on(conf)) {
        *report = 1;
        return 0;
    }
    d->note = CORS_NOTE_PROTECT_REFUSED;
    d->refused = d->write = 1;
    d->vary = CORS_PROTECT_VARY;
    return 1;
}

/* Under CORSShadow the decision is only compared, and nothing of it
 * written (docs/mod_cors.html#shadow). */
static void cors_decide_shadow(const cors_dir_conf *conf, cors_decision *d)
{
    if (cors_shadow_on(conf)) {
        d->shadow = 1;
        d->write = 0;
    }
}

/*
 * The one decision for a request, for real requests and the policy
 * checker alike.  d->note stays CORS_NOTE_UNSET where the module does
 * nothing.
 */
void cors_decide(apr_pool_t *p, const cors_dir_conf *conf,
                 const cors_input *in, cors_decision *d)
{
    int report = 0, verdict = -1;

    memset(d, 0, CORS_DECISION_CLEAR);
    d->note = CORS_NOTE_UNSET;
    d->conf = conf;
    if (cors_protect_judges(conf, in)
        && cors_protect(conf, in, &verdict, &report, d)) {
        return;
    }
    /* where only cross-origin protection is on, the module touches no
     * header of a request it lets through */
    if (cors_has_origins(conf)) {
        d->write = 1;
        if (in->origin && in->acrm && in->method
            && !strcmp(in->method, "OPTIONS")) {
            if (in->unanswered) {
                /* not ours to answer: every Access-Control-* field of
                 * httpd's answer goes, and none is written */
                d->note = CORS_NOTE_PREFLIGHT_UNANSWERED;
            }
            else {
                cors_decide_preflight(p, conf, in, verdict, d);
            }
        }
        else {
            cors_decide_actual(conf, in, verdict, d);
        }
    }
    if (report) {
        d->note = CORS_NOTE_PROTECT_REPORT;
        cors_decided_by(d, "CORSCrossOriginProtection",
                        &conf->protect->where, CORS_PROTECT_ALLOWS);
    }
    cors_decide_shadow(conf, d);
}

void cors_decide_protection(const cors_dir_conf *conf, const cors_input *in,
                            cors_decision *d)
{
    int report = 0, verdict = -1;

    memset(d, 0, CORS_DECISION_CLEAR);
    d->note = CORS_NOTE_UNSET;
    d->conf = conf;
    if (cors_protect_judges(conf, in)
        && !cors_protect(conf, in, &verdict, &report, d) && report) {
        d->note = CORS_NOTE_PROTECT_REPORT;
    }
    cors_decide_shadow(conf, d);
}

/* --- CORSShadow: the decision against what the response carries --- */

/* A list longer than this is compared as a string: the work stays
 * bounded whatever a backend echoes. */
#define CORS_SHADOW_TOKENS 64

typedef struct {
    apr_array_header_t *values;
} cors_values;

static int cors_value_add(void *ctx, const char *key, const char *value)
{
    APR_ARRAY_PUSH(((cors_values *)ctx)->values, const char *) = value;
    return 1;
}

/* Every value of name in the two tables, joined as one list, or NULL. */
static const char *cors_response_field(apr_pool_t *p, apr_table_t *a,
                                       apr_table_t *b, const char *name)
{
    cors_values v;

    v.values = apr_array_make(p, 1, sizeof(const char *));
    apr_table_do(cors_value_add, &v, a, name, NULL);
    apr_table_do(cors_value_add, &v, b, name, NULL);
    if (v.values->nelts == 0) {
        return NULL;
    }
    return v.values->nelts == 1 ? APR_ARRAY_IDX(v.values, 0, const char *)
                                : apr_array_pstrcat(p, v.values, ',');
}

/* Does the list hold the token tok/len (in any case, with fold)? */
static int cors_list_has(const char *list, const char *tok, apr_size_t len,
                         int fold)
{
    const char *at = list, *end = list + strlen(list), *t;
    apr_size_t n;

    while (cors_list_next(&at, end, &t, &n)) {
        if (n == len && (fold ? !strncasecmp(t, tok, len)
                              : !strncmp(t, tok, len))) {
            return 1;
        }
    }
    return 0;
}

/* Are the two lists the same set?  A list of more than
 * CORS_SHADOW_TOKENS elements must be the same string. */
static int cors_same_set(const char *a, const char *b, int fold)
{
    const char *lists[2] = { a, b };
    int i, count = 0;

    for (i = 0; i < 2; i++) {
        const char *at = lists[i], *end = at + strlen(at), *t;
        apr_size_t n;

        while (cors_list_next(&at, end, &t, &n)) {
            if (++count > 2 * CORS_SHADOW_TOKENS
                || !cors_list_has(lists[1 - i], t, n, fold)) {
                return count > 2 * CORS_SHADOW_TOKENS
                       && (fold ? !strcasecmp(a, b) : !strcmp(a, b));
            }
        }
    }
    return 1;
}

/* Origin in a Vary list, or "*" (which covers it). */
static int cors_varies_on_origin(const char *vary)
{
    return vary && (cors_list_has(vary, "Origin", 6, 1)
                    || cors_list_has(vary, "*", 1, 0));
}

const char *cors_shadow_compare(apr_pool_t *p, const cors_decision *d,
                                int status, apr_table_t *headers_out,
                                apr_table_t *err_headers_out)
{
    static const int preflight_fields[] = {
        CORS_ACAO, CORS_ACAC, CORS_ACAM, CORS_ACAH, CORS_ACMA, CORS_ACAPN
    };
    static const int actual_fields[] = { CORS_ACAO, CORS_ACAC, CORS_ACEH };
    int preflight = d->note >= CORS_NOTE_PREFLIGHT_ALLOWED
                    && d->note <= CORS_NOTE_PREFLIGHT_UNANSWERED;
    const int *fields = preflight ? preflight_fields : actual_fields;
    int i, n = preflight ? (int)(sizeof(preflight_fields) / sizeof(int))
                         : (int)(sizeof(actual_fields) / sizeof(int));
    const char *diffs = NULL;

    if (preflight && d->note != CORS_NOTE_PREFLIGHT_UNANSWERED) {
        int would = d->note == CORS_NOTE_PREFLIGHT_ALLOWED;
        int has = status >= 200 && status < 300;

        if (would != has) {
            diffs = apr_psprintf(p,
                "would answer %s, the response has status %d",
                would ? "with a 2xx status" : "403", status);
        }
    }
    for (i = 0; i < n; i++) {
        int f = fields[i];
        const char *would = f < d->nfields ? d->field[f] : NULL;
        const char *has = cors_response_field(p, headers_out,
                                              err_headers_out,
                                              cors_field_names[f]);
        int same;

        if (would == NULL || has == NULL) {
            same = would == has;
        }
        else if (f == CORS_ACAM) {
            same = cors_same_set(would, has, 0);
        }
        else if (f == CORS_ACAH || f == CORS_ACEH) {
            same = cors_same_set(would, has, 1);
        }
        else {
            same = !strcmp(would, has);
        }
        if (!same) {
            diffs = apr_psprintf(p,
                "%s%swould send %s%s%s, the response has %s",
                diffs ? diffs : "", diffs ? "; " : "",
                would ? "" : "no ", cors_field_short[f],
                would ? apr_pstrcat(p, " ", cors_quote(p, would, 200), NULL)
                      : "",
                has ? cors_quote(p, has, 200) : "none");
        }
    }
    if (!preflight) {
        int would = cors_varies_on_origin(d->vary);
        int has = cors_varies_on_origin(cors_response_field(
                      p, headers_out, err_headers_out, "Vary"));

        if (would != has) {
            diffs = apr_pstrcat(p, diffs ? diffs : "", diffs ? "; " : "",
                                would ? "would send Origin in Vary, the "
                                        "response has none"
                                      : "would send no Origin in Vary, the "
                                        "response has it", NULL);
        }
    }
    return diffs;
}
