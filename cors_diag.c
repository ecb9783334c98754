/* Licensed under the Apache License, Version 2.0. */

/*
 * cors_diag: what lets an administrator see why mod_cors did what it did
 * (docs/mod_cors.html#diagnostics).
 *
 * - Counters: one per note value and one per policy section, in shared
 *   memory created by post_config before the children are forked, so
 *   they are summed over every child, survive child recycling and start
 *   again at a restart.  The request path only adds with an atomic
 *   increment: no lock.
 * - The cors-status handler ("SetHandler cors-status"): the counters as
 *   HTML, ?auto (Key: value) or ?metrics (Prometheus text), and the
 *   policy checker ?check&url=...&origin=..., which finds the policy of a
 *   URL by httpd's own subrequest lookup (.htaccess included) and runs
 *   the very decision real requests get.
 * - A CORS section in mod_status's /server-status.
 * - "apachectl -t -D DUMP_CORS": every section that sets a CORS
 *   directive, with its file, line, values and warnings.
 *
 * Calls cors_decide (the checker), cors_config (sections, warnings) and
 * cors_match (counters); mod_cors calls it.
 */

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_cfgtree.h"
#include "util_script.h"
#include "mod_status.h"

#include "apr_lib.h"
#include "apr_optional_hooks.h"
#include "apr_shm.h"
#include "apr_strings.h"

#include "cors_internal.h"

APLOG_USE_MODULE(cors);
extern module AP_MODULE_DECLARE_DATA cors_module;

/* What the checker says where CORSShadow On applies. */
#define CORS_SHADOW_SAYS "CORSShadow On: mod_cors decides this, sends " \
    "nothing of it, and compares it with what the response carries " \
    "(docs/mod_cors.html#shadow)."

/* Longest checker parameter: longer ones are refused, never cut short. */
#define CORS_CHECK_PARAM_MAX 2048

/* The counters: CORS_NNOTES by note, then one denial count per slot of
 * the sections cors_config numbered. */
static cors_counter *cors_counts;
static const cors_sections *cors_counted;
/* then two per origin list file, which counts in them itself */
static const apr_array_header_t *cors_counted_files;

void cors_diag_count(const cors_dir_conf *conf, int note)
{
    if (cors_counts == NULL || note < 0) {
        return;
    }
    cors_counter_add(&cors_counts[note], 1);
    if (CORS_NOTE_IS_DENIAL(note) && conf->origins) {
        cors_counter_add(&cors_counts[CORS_NNOTES + conf->origins->slot],
                         1);
    }
}

static int cors_diag_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                 apr_pool_t *ptemp, server_rec *s)
{
    const cors_sections *secs = cors_config_sections(pconf);
    const apr_array_header_t *files = cors_config_files(pconf);
    apr_size_t size = (CORS_NNOTES + secs->names->nelts + 2 * files->nelts)
                      * sizeof(cors_counter);
    apr_shm_t *shm;
    apr_status_t rv;
    int i;

    /* the sections' names live in pconf too: a restart that gets no
     * shared memory must show neither */
    cors_counts = NULL;
    cors_counted = NULL;
    cors_counted_files = NULL;
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;              /* the first of two passes at startup */
    }
    /* anonymous: inherited by the children, gone with pconf */
    rv = apr_shm_create(&shm, size, NULL, pconf);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s, "CORS101: no shared "
                     "memory for the counters: cors-status shows none");
        return OK;
    }
    cors_counts = apr_shm_baseaddr_get(shm);
    memset(cors_counts, 0, size);
    cors_counted = secs;
    cors_counted_files = files;
    for (i = 0; i < files->nelts; i++) {
        APR_ARRAY_IDX(files, i, cors_origin_file *)->reloads =
            &cors_counts[CORS_NNOTES + secs->names->nelts + 2 * i];
    }
    return OK;
}

/* --- output --- */

static apr_uint64_t cors_count(int i)
{
    return cors_counts ? cors_counter_read(&cors_counts[i]) : 0;
}

/* A Prometheus label value: backslash, quote and newline escaped. */
static const char *cors_label(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, 2 * strlen(s) + 1), *o = out;

    for (; *s; s++) {
        if (*s == '\\' || *s == '"') {
            *o++ = '\\';
            *o++ = *s;
        }
        else if (*s == '\n') {
            *o++ = '\\';
            *o++ = 'n';
        }
        else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/*
 * Each origin list file's readings after startup, by result ([0] in force,
 * [1] refused), summed over the directives that name the same file; NULL
 * for a file named before.
 */
static const char *cors_file_reloads(int i, apr_uint64_t n[2])
{
    const cors_origin_file *f, *g;
    int j;

    f = APR_ARRAY_IDX(cors_counted_files, i, const cors_origin_file *);
    for (j = 0; j < i; j++) {
        g = APR_ARRAY_IDX(cors_counted_files, j, const cors_origin_file *);
        if (!strcmp(g->path, f->path)) {
            return NULL;
        }
    }
    n[0] = n[1] = 0;
    for (j = i; j < cors_counted_files->nelts; j++) {
        g = APR_ARRAY_IDX(cors_counted_files, j, const cors_origin_file *);
        if (!strcmp(g->path, f->path) && g->reloads) {
            n[0] += cors_counter_read(&g->reloads[0]);
            n[1] += cors_counter_read(&g->reloads[1]);
        }
    }
    return f->path;
}

static void cors_print_metrics(request_rec *r)
{
    int i;

    ap_set_content_type(r, "text/plain; version=0.0.4; charset=utf-8");
    ap_rputs("# HELP mod_cors_requests_total Requests where mod_cors is "
             "active, by its note.\n"
             "# TYPE mod_cors_requests_total counter\n", r);
    for (i = 0; i < CORS_NNOTES; i++) {
        ap_rprintf(r, "mod_cors_requests_total{note=\"%s\"} %"
                   APR_UINT64_T_FMT "\n", cors_note_names[i], cors_count(i));
    }
    ap_rputs("# HELP mod_cors_section_denied_total Denied or refused "
             "requests by policy section.\n"
             "# TYPE mod_cors_section_denied_total counter\n", r);
    for (i = 0; cors_counted && i < cors_counted->names->nelts; i++) {
        ap_rprintf(r, "mod_cors_section_denied_total{section=\"%s\"} %"
                   APR_UINT64_T_FMT "\n",
                   cors_label(r->pool, APR_ARRAY_IDX(cors_counted->names, i,
                                                     const char *)),
                   cors_count(CORS_NNOTES + i));
    }
    ap_rputs("# HELP mod_cors_origin_file_reloads_total Origin list files "
             "read again after a change, by result.\n"
             "# TYPE mod_cors_origin_file_reloads_total counter\n", r);
    for (i = 0; cors_counted_files && i < cors_counted_files->nelts; i++) {
        apr_uint64_t n[2];
        const char *path = cors_file_reloads(i, n);

        if (path) {
            path = cors_label(r->pool, path);
            ap_rprintf(r, "mod_cors_origin_file_reloads_total{file=\"%s\","
                       "result=\"ok\"} %" APR_UINT64_T_FMT "\n"
                       "mod_cors_origin_file_reloads_total{file=\"%s\","
                       "result=\"refused\"} %" APR_UINT64_T_FMT "\n",
                       path, n[0], path, n[1]);
        }
    }
}

/* The counters as "Key: value" lines, for ?auto here and in mod_status. */
static void cors_print_auto(request_rec *r)
{
    int i;

    for (i = 0; i < CORS_NNOTES; i++) {
        ap_rprintf(r, "CORSRequests[%s]: %" APR_UINT64_T_FMT "\n",
                   cors_note_names[i], cors_count(i));
    }
    for (i = 0; cors_counted && i < cors_counted->names->nelts; i++) {
        ap_rprintf(r, "CORSSectionDenied[%s]: %" APR_UINT64_T_FMT "\n",
                   APR_ARRAY_IDX(cors_counted->names, i, const char *),
                   cors_count(CORS_NNOTES + i));
    }
    for (i = 0; cors_counted_files && i < cors_counted_files->nelts; i++) {
        apr_uint64_t n[2];
        const char *path = cors_file_reloads(i, n);

        if (path) {
            ap_rprintf(r, "CORSOriginFileReloads[%s,ok]: %" APR_UINT64_T_FMT
                       "\nCORSOriginFileReloads[%s,refused]: %"
                       APR_UINT64_T_FMT "\n", path, n[0], path, n[1]);
        }
    }
}

static void cors_print_table(request_rec *r)
{
    int i;

    ap_rputs("<h2>CORS</h2>\n<table border=\"1\">\n"
             "<tr><th>note</th><th>requests</th></tr>\n", r);
    for (i = 0; i < CORS_NNOTES; i++) {
        ap_rprintf(r, "<tr><td>%s</td><td>%" APR_UINT64_T_FMT
                   "</td></tr>\n",
                   cors_note_names[i], cors_count(i));
    }
    ap_rputs("</table>\n<table border=\"1\">\n<tr><th>policy section</th>"
             "<th>denied</th></tr>\n", r);
    for (i = 0; cors_counted && i < cors_counted->names->nelts; i++) {
        ap_rprintf(r, "<tr><td>%s</td><td>%" APR_UINT64_T_FMT
                   "</td></tr>\n",
                   ap_escape_html(r->pool, APR_ARRAY_IDX(cors_counted->names,
                                                         i, const char *)),
                   cors_count(CORS_NNOTES + i));
    }
    ap_rputs("</table>\n", r);
}

static int cors_status_hook(request_rec *r, int flags)
{
    if (flags & AP_STATUS_SHORT) {
        cors_print_auto(r);
    }
    else {
        cors_print_table(r);
    }
    return OK;
}

/* --- the policy checker --- */

/* The note a checker's lookup gets once it reached post_perdir_config,
 * where a real request would be decided. */
#define CORS_CHECK_REACHED "cors-check-reached"

typedef struct {
    const char *url, *origin, *method, *headers, *site;
    int preflight;              /* the browser would send one first */
    int credentials;            /* the fetch's credentials mode: include */
} cors_check;

void cors_diag_lookup_reached(request_rec *r)
{
    /* only the checker's own lookups want to know */
    if (r->main->handler && !strcmp(r->main->handler, "cors-status")) {
        apr_table_setn(r->notes, CORS_CHECK_REACHED, "1");
    }
}

/* One value that decided: "Set-By: Directive file:line". */
static void cors_print_set_by(request_rec *r, const cors_where *w, int html)
{
    if (html) {
        ap_rprintf(r, "<tr><td>%s</td><td>%s:%d</td></tr>\n", w->directive,
                   ap_escape_html(r->pool, w->file), w->line);
    }
    else {
        ap_rprintf(r, "Set-By: %s %s:%d\n", w->directive,
                   ap_escape_logitem(r->pool, w->file), w->line);
    }
}

static const char *cors_verdict(int note)
{
    if (note == CORS_NOTE_UNSET || note == CORS_NOTE_NONE) {
        return "not-cors";
    }
    if (note == CORS_NOTE_PROTECT_REFUSED) {
        return "refused";
    }
    return CORS_NOTE_IS_DENIAL(note) ? "denied" : "allowed";
}

/*
 * Why a fetch with credentials "include" fails on an answer the server
 * allows, or NULL: the browser wants ACAC "true" and an ACAO that is not
 * "*" (docs/mod_cors.html#diagnostics).
 */
static const char *cors_credentials_refused(const cors_decision *d)
{
    if (d->field[CORS_ACAO] && !strcmp(d->field[CORS_ACAO], "*")) {
        return "the browser refuses it: the answer's "
               "Access-Control-Allow-Origin is *, which never goes with "
               "credentials";
    }
    if (d->field[CORS_ACAO] && !d->field[CORS_ACAC]) {
        return "the browser refuses it: the answer has no "
               "Access-Control-Allow-Credentials: true (CORSAllowCredentials "
               "is not On for this URL)";
    }
    return NULL;
}

/*
 * The Access-Control-* and Vary lines a real request would get, escaped
 * for the page or for a text/plain line (no control character passes).
 */
static void cors_print_headers(request_rec *r, const cors_decision *d,
                               int html)
{
    int i;

    for (i = 0; i < CORS_NFIELDS; i++) {
        if (d->field[i]) {
            ap_rprintf(r, "%s: %s\n", cors_field_names[i],
                       html ? ap_escape_html(r->pool, d->field[i])
                            : ap_escape_logitem(r->pool, d->field[i]));
        }
    }
    if (d->vary) {
        ap_rprintf(r, "Vary: %s\n", d->vary);
    }
}

/*
 * The values that decided: those that wrote a field of the answer, the
 * directive a denial names, and CORSPreflightStatus for an answered
 * preflight.  A value that took no part (CORSExposeHeaders on a
 * preflight) is not listed.
 */
static int cors_decided(const cors_decision *d, const cors_where *w,
                        int writes)
{
    if (d->by == w) {
        return 1;
    }
    if (writes == CORS_STATUS) {
        return d->note == CORS_NOTE_PREFLIGHT_ALLOWED;
    }
    return writes < CORS_NFIELDS && d->field[writes];
}

static void cors_print_deciders(request_rec *r, const cors_dir_conf *conf,
                                const cors_decision *d, int html)
{
    /* a line of an origin list file allowed the origin: it, not the
     * section's first origin line, decided */
    int from_file = d->by == &d->from_file;

    if (from_file) {
        cors_print_set_by(r, d->by, html);
    }
#define CORS_DECIDED(member, type, writes) \
    if (conf->member && !(from_file && (writes) == CORS_ACAO) \
        && cors_decided(d, &conf->member->where, writes)) { \
        cors_print_set_by(r, &conf->member->where, html); \
    }
    CORS_POLICY_FIELDS(CORS_DECIDED)
#undef CORS_DECIDED
}

/*
 * Each regex of the policy and its domain set (docs/mod_cors.html#trust):
 * "Domain-Set: "regex" a.example,b.example", the regex as its author
 * wrote it unless it holds a control byte.
 */
static void cors_print_domain_sets(request_rec *r, const cors_dir_conf *conf,
                                   int html)
{
    int i;
    const char *p;

    for (i = 0; conf->origins && i < conf->origins->regexes->nelts; i++) {
        const cors_regex *cr = &APR_ARRAY_IDX(conf->origins->regexes, i,
                                              cors_regex);
        const char *set = cr->is->any ? "(none: it allows every site)"
                          : cr->is->domains->nelts
                          ? apr_array_pstrcat(r->pool, cr->is->domains, ',')
                          : "(empty)";
        const char *text = cr->text;

        for (p = text; *p && !apr_iscntrl(*p); p++) {
        }
        text = *p ? ap_escape_logitem(r->pool, text) : text;
        if (html) {
            ap_rprintf(r, "<tr><td>Domain set of <code>%s</code></td>"
                       "<td>%s</td></tr>\n", ap_escape_html(r->pool, text),
                       set);
        }
        else {
            ap_rprintf(r, "Domain-Set: %s %s\n",
                       cors_quote(r->pool, text, 0), set);
        }
    }
}

static void cors_print_check(request_rec *r, const cors_check *c, int html)
{
    request_rec *rr = ap_sub_req_lookup_uri(c->url, r, NULL);
    const cors_dir_conf *conf = ap_get_module_config(rr->per_dir_config,
                                                     &cors_module);
    const char *refused = NULL, *verdict;
    cors_input in;
    cors_decision d;

    memset(&in, 0, sizeof(in));
    in.method = c->preflight ? "OPTIONS" : c->method;
    in.origin = c->origin;
    in.acrm = c->preflight ? c->method : NULL;
    in.acrh = c->preflight ? c->headers : NULL;
    in.sec_fetch_site = c->site;
    in.host = apr_table_get(r->headers_in, "Host");
    /* httpd answered the lookup before the module's hook (a Redirect):
     * a real request is decided late (docs/mod_cors.html#limits) */
    in.unanswered = !apr_table_get(rr->notes, CORS_CHECK_REACHED);
    cors_decide(r->pool, conf, &in, &d);
    verdict = cors_verdict(d.note);
    if (c->credentials && !strcmp(verdict, "allowed")) {
        refused = cors_credentials_refused(&d);
        verdict = refused ? "denied" : verdict;
    }

    if (!html) {
        ap_rprintf(r, "Verdict: %s\nReason: %s\n", verdict,
                   d.note == CORS_NOTE_UNSET ? "-"
                                             : cors_note_names[d.note]);
        if (c->credentials) {
            ap_rprintf(r, "Credentials: include: %s.\n",
                       refused ? refused : "the browser accepts the answer");
        }
        if (cors_shadow_on(conf)) {
            ap_rprintf(r, "Shadow: %s\n", CORS_SHADOW_SAYS);
        }
        cors_print_headers(r, &d, 0);
        cors_print_deciders(r, conf, &d, 0);
        cors_print_domain_sets(r, conf, 0);
    }
    else {
        ap_rprintf(r, "<h2>Check</h2>\n<p>%s %s from %s%s: <b>%s</b> (%s)"
                   "%s%s</p>\n", ap_escape_html(r->pool, in.method),
                   ap_escape_html(r->pool, c->url),
                   ap_escape_html(r->pool, c->origin ? c->origin : "-"),
                   c->credentials ? " with credentials" : "", verdict,
                   d.note == CORS_NOTE_UNSET ? "-"
                   : cors_note_names[d.note], d.offending ? ": " : "",
                   d.offending ? ap_escape_html(r->pool, d.offending) : "");
        if (refused) {
            ap_rprintf(r, "<p>With credentials, %s.</p>\n", refused);
        }
        if (cors_shadow_on(conf)) {
            ap_rprintf(r, "<p>Shadow: %s</p>\n", CORS_SHADOW_SAYS);
        }
        if (d.directive) {
            ap_rprintf(r, "<p>Decided by %s %s, which allows "
                       "<code>%s</code>.</p>\n", d.directive,
                       d.by ? ap_escape_html(r->pool, apr_psprintf(r->pool,
                                 "at %s:%d", d.by->file, d.by->line))
                            : "(not set)",
                       ap_escape_html(r->pool, d.allows ? d.allows : ""));
        }
        ap_rputs("<pre>", r);
        cors_print_headers(r, &d, 1);
        ap_rputs("</pre>\n<table border=\"1\">\n", r);
        cors_print_deciders(r, conf, &d, 1);
        cors_print_domain_sets(r, conf, 1);
        ap_rputs("</table>\n", r);
        if (rr->status != HTTP_OK) {
            ap_rprintf(r, "<p>The lookup of this URL answered %d: see the "
                       "error log (a broken .htaccess?).</p>\n", rr->status);
        }
    }
    ap_destroy_sub_req(rr);
}

/*
 * SetHandler cors-status where CORSStatus On does not apply (a tenant's
 * .htaccess, say): served as a 404, and said once per child and virtual
 * host.
 */
static void cors_warn_status_off(request_rec *r)
{
    char key[256];

    apr_snprintf(key, sizeof(key), "status %s:%d",
                 r->server->defn_name ? r->server->defn_name : "-",
                 r->server->defn_line_number);
    if (cors_first_time(key)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "CORS006: "
                      "SetHandler cors-status is answered 404 for %s: "
                      "CORSStatus On does not apply to this URL (an "
                      "administrator sets it in the server configuration, "
                      "a <VirtualHost>, <Directory> or <Location>; not in "
                      ".htaccess) (logged once per child and virtual "
                      "host).", cors_quote(r->pool, r->uri, 300));
    }
}

/* A bounded parameter, or NULL; *bad is set when one is too long. */
static const char *cors_param(apr_table_t *args, const char *name, int *bad)
{
    const char *v = apr_table_get(args, name);

    if (v && strlen(v) > CORS_CHECK_PARAM_MAX) {
        *bad = 1;
        return NULL;
    }
    return v && *v ? v : NULL;
}

static void cors_print_form(request_rec *r, const cors_check *c)
{
    const char *const fields[] = { "url", "origin", "method", "headers" };
    const char *const values[] = { c->url, c->origin, c->method,
                                   c->headers };
    int i;

    ap_rputs("<h2>Policy checker</h2>\n<form method=\"get\">"
             "<input type=\"hidden\" name=\"check\" value=\"1\">\n", r);
    for (i = 0; i < 4; i++) {
        ap_rprintf(r, "<label>%s <input name=\"%s\" value=\"%s\"></label>\n",
                   fields[i], fields[i],
                   values[i] ? ap_escape_html(r->pool, values[i]) : "");
    }
    ap_rprintf(r, "<label><input type=\"checkbox\" name=\"credentials\" "
               "value=\"include\"%s> with credentials</label>\n",
               c->credentials ? " checked" : "");
    ap_rputs("<input type=\"submit\" value=\"Check\"></form>\n", r);
}

int cors_diag_handler(request_rec *r)
{
    apr_table_t *args;
    const cors_dir_conf *conf;
    cors_check c;
    const char *v;
    int bad = 0, check, is_auto;

    if (strcmp(r->handler, "cors-status")) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->per_dir_config, &cors_module);
    if (conf->status == NULL || !conf->status->value) {
        cors_warn_status_off(r);
        return HTTP_NOT_FOUND;
    }
    r->allowed = AP_METHOD_BIT << M_GET;
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    ap_args_to_table(r, &args);
    memset(&c, 0, sizeof(c));
    c.url = cors_param(args, "url", &bad);
    c.origin = cors_param(args, "origin", &bad);
    c.method = cors_param(args, "method", &bad);
    c.headers = cors_param(args, "headers", &bad);
    c.site = cors_param(args, "site", &bad);
    c.credentials = (v = cors_param(args, "credentials", &bad)) != NULL
                    && !strcmp(v, "include");
    if (bad) {
        return HTTP_BAD_REQUEST;
    }
    check = apr_table_get(args, "check") != NULL;
    is_auto = apr_table_get(args, "auto") != NULL;
    c.url = c.url && c.url[0] == '/' ? c.url : "/";
    c.method = c.method ? c.method : "GET";
    c.preflight = c.origin && (c.headers || apr_table_get(args, "preflight")
                               || !cors_method_is_simple(c.method));

    if (apr_table_get(args, "metrics")) {
        cors_print_metrics(r);
        return OK;
    }
    if (is_auto) {
        ap_set_content_type(r, "text/plain; charset=utf-8");
        if (check) {
            cors_print_check(r, &c, 0);
        }
        else {
            cors_print_auto(r);
        }
        return OK;
    }
    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_rputs(DOCTYPE_HTML_4_01 "<html><head><title>mod_cors status</title>"
             "</head><body>\n<h1>mod_cors " MOD_CORS_VERSION "</h1>\n", r);
    cors_print_form(r, &c);
    if (check) {
        cors_print_check(r, &c, 1);
    }
    cors_print_table(r);
    ap_rputs("</body></html>\n", r);
    return OK;
}

/* --- DUMP_CORS --- */

static int cors_is_cors_directive(const ap_directive_t *d)
{
    return d->first_child == NULL && !strncasecmp(d->directive, "CORS", 4);
}

static int cors_dump_has(const ap_directive_t *d)
{
    for (; d; d = d->next) {
        if (cors_is_cors_directive(d)) {
            return 1;
        }
    }
    return 0;
}

static void cors_dump_values(apr_file_t *out, apr_pool_t *p,
                             const ap_directive_t *d,
                             const apr_array_header_t *warnings)
{
    int i;

    for (; d; d = d->next) {
        if (!cors_is_cors_directive(d)) {
            continue;
        }
        apr_file_printf(out, "    %s %s  (line %d)\n", d->directive,
                        d->args, d->line_num);
        if (!strcasecmp(d->directive, "CORSAllowOriginFile")) {
            const apr_array_header_t *files = cors_config_files(p);

            for (i = 0; i < files->nelts; i++) {
                const cors_origin_file *f = APR_ARRAY_IDX(files, i,
                                                    const cors_origin_file *);

                if (f->where.line == d->line_num && f->current
                    && !strcmp(f->where.file, d->filename)) {
                    apr_file_printf(out, "      file: %s, %d origins\n",
                                    f->path, f->current->count);
                }
            }
        }
        if (!strcasecmp(d->directive, "CORSAllowOriginMatch")) {
            const char *args = d->args;
            apr_array_header_t *set = cors_regex_domains(p,
                ap_getword_conf(p, &args));

            apr_file_printf(out, "      domain set: %s\n", set->nelts
                            ? apr_array_pstrcat(p, set, ',') : "(empty)");
        }
        for (i = 0; warnings && i < warnings->nelts; i++) {
            const cors_warning *w = &APR_ARRAY_IDX(warnings, i, cors_warning);

            if (w->line == d->line_num && !strcmp(w->file, d->filename)) {
                apr_file_printf(out, "      warning: %s: %s\n", w->directive,
                                w->text);
            }
        }
    }
}

static void cors_dump_tree(apr_file_t *out, apr_pool_t *p,
                           const ap_directive_t *section,
                           const ap_directive_t *first,
                           const apr_array_header_t *warnings)
{
    const ap_directive_t *d;

    if (cors_dump_has(first)) {
        if (section) {
            apr_file_printf(out, "%s %s  %s:%d\n", section->directive,
                            section->args, section->filename,
                            section->line_num);
        }
        else {
            apr_file_printf(out, "main server  %s\n", first->filename);
        }
        cors_dump_values(out, p, first, warnings);
    }
    for (d = first; d; d = d->next) {
        if (d->first_child) {
            /* <IfModule>, <IfDefine> and the like are gone by now:
             * httpd splices their contents in while it reads them */
            cors_dump_tree(out, p, d, d->first_child, warnings);
        }
    }
}

static void cors_diag_test_config(apr_pool_t *pconf, server_rec *s)
{
    const apr_array_header_t *warnings = cors_config_warnings(pconf);
    apr_file_t *out;

    if (!ap_exists_config_define("DUMP_CORS")) {
        return;
    }
    apr_file_open_stdout(&out, pconf);
    apr_file_printf(out, "CORS policy sections (mod_cors " MOD_CORS_VERSION
                    "; .htaccess files are read per request: use the "
                    "cors-status checker):\n");
    cors_dump_tree(out, pconf, NULL, ap_conftree, warnings);
}

void cors_diag_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(cors_diag_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_test_config(cors_diag_test_config, NULL, NULL, APR_HOOK_LAST);
    APR_OPTIONAL_HOOK(ap, status_hook, cors_status_hook, NULL, NULL,
                      APR_HOOK_MIDDLE);
}
