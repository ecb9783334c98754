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
 * mod_cors: a CORS policy for any server, virtual host, <Directory>,
 * <Location> or .htaccess, and protection against cross-site form posts.
 *
 *   CORSAllowOrigin https://app.example.com http://localhost:*
 *   CORSAllowMethods PUT DELETE
 *   CORSAllowHeaders Content-Type X-Requested-With
 *   CORSAllowCredentials On
 *   CORSCrossOriginProtection On
 *
 * Every decision is made in post_perdir_config: the first hook that has
 * read .htaccess and the last before authentication.  A preflight never
 * carries credentials, so it must be answered before "Require
 * valid-user" can refuse it, and it never reaches the handler; neither
 * does an unsafe request that cross-origin protection refuses.  Where
 * the request is served through another URL's section (an internal
 * redirect, the DirectoryIndex file), insert_filter judges protection
 * again and a refusal goes to the module's handler, which runs first.
 *
 * Every other response passes an output filter, inserted on success and
 * on error alike, that removes whatever Access-Control-* headers a
 * handler, backend, script or other module set, writes the policy's own
 * and merges "Vary: Origin".  CORS never refuses an actual request: the
 * browser enforces it.
 *
 * This file is the module record and the request path: read the request,
 * decide once (cors_decide.c), refuse or answer, record the note, count
 * (cors_diag.c) and log, write the headers.  It calls every other file;
 * none calls it.  The directives are in cors_config.c.
 */

#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_main.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "cors_internal.h"

module AP_MODULE_DECLARE_DATA cors_module;

static ap_filter_rec_t *cors_filter_handle;
static ap_filter_rec_t *cors_shadow_handle;

/* A regex hit its match limit: say so once per child. */
static void cors_warn_limit(const cors_regex *cr)
{
    /* no allocation here: the configuration's pool is shared by every
     * thread; the registry copies the key once */
    char key[512];

    apr_snprintf(key, sizeof(key), "limit %s:%d", cr->where.file,
                 cr->where.line);
    if (cors_first_time(key)) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, ap_server_conf,
                     "CORS002: %s:%d: CORSAllowOriginMatch %s hit its match "
                     "limit on an Origin, which counts as no match (logged "
                     "once per child).", cr->where.file, cr->where.line,
                     cors_quote(ap_server_conf->process->pool, cr->text,
                                0));
    }
}

/*
 * An internal redirect (an ErrorDocument, a script's Location) answers
 * for the URL that was requested: its policy is the original request's.
 */
static request_rec *cors_original(request_rec *r)
{
    while (r->prev) {
        r = r->prev;
    }
    return r;
}

/*
 * Is the field name k the given name, in any case?  Browsers send it as
 * written here (HTTP/1.1) or in lower case (HTTP/2): two exact comparisons
 * first, each a few vector instructions.
 */
static int cors_field_is(const char *k, const char *name, const char *lower)
{
    return !strcmp(k, name) || !strcmp(k, lower) || !strcasecmp(k, name);
}

/*
 * What the decision reads from the request, and no more, found in one
 * pass over headers_in by the first byte of each name (cheaper than
 * apr_table_get, whose index cannot tell the preflight's headers from
 * Accept): Origin always; a preflight's own headers, told apart by length;
 * for cross-origin protection, Upgrade on a safe method, and the table for
 * the steps that need more.  As apr_table_get, the first field of a name
 * counts.
 */
static CORS_HOT void cors_read_input(request_rec *r,
                                     const cors_dir_conf *conf,
                                     cors_input *in)
{
    const apr_array_header_t *arr = apr_table_elts(r->headers_in);
    const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
    /* where httpd could not read the request line, r->method is NULL and
     * r->method_number M_GET, and there are no headers to read */
    int preflight = r->method_number == M_OPTIONS, upgrade = 0, i;

    memset(in, 0, sizeof(*in));
    in->method = r->method;
    if (conf->protect && conf->protect->value != CORS_PROTECT_OFF) {
        /* Sec-Fetch-Site and Host come from here when a step needs them;
         * only a GET can be a WebSocket handshake (HTTP/2's extended
         * CONNECT reaches httpd as one) */
        in->headers = r->headers_in;
        upgrade = r->method_number == M_GET;
    }
    for (i = 0; i < arr->nelts; i++) {
        const char *k = e[i].key, *v = e[i].val;
        int c = k[0] | 0x20;

        if (c == 'o') {
            /* byte by byte, with no call: every request has this search;
             * ORing 0x20 folds a letter's case and maps no other byte
             * onto a letter */
            if (!in->origin && (k[1] | 0x20) == 'r' && (k[2] | 0x20) == 'i'
                && (k[3] | 0x20) == 'g' && (k[4] | 0x20) == 'i'
                && (k[5] | 0x20) == 'n' && k[6] == '\0') {
                in->origin = v;
            }
        }
        else if (c == 'a') {
            if (!preflight) {
                continue;
            }
            switch (strlen(k)) {
            case 29:
                if (!in->acrm && cors_field_is(k,
                        "Access-Control-Request-Method",
                        "access-control-request-method")) {
                    in->acrm = v;
                }
                break;
            case 30:
                if (!in->acrh && cors_field_is(k,
                        "Access-Control-Request-Headers",
                        "access-control-request-headers")) {
                    in->acrh = v;
                }
                break;
            case 38:
                if (!in->acrpn && cors_field_is(k,
                        "Access-Control-Request-Private-Network",
                        "access-control-request-private-network")) {
                    in->acrpn = v;
                }
                break;
            }
        }
        else if (c == 'u' && upgrade
                 && (k[1] | 0x20) == 'p'    /* not User-Agent */
                 && cors_field_is(k, "Upgrade", "upgrade")) {
            /* RFC 6455: a token of the list, in any case */
            in->websocket = ap_find_token(r->pool, v, "websocket");
            upgrade = 0;
        }
    }
}

/* Credentials were withheld beside "*", "null" or a public suffix met
 * through inheritance: say so once per child and section. */
static void cors_warn_withheld(request_rec *r, const cors_dir_conf *conf)
{
    const char *key = apr_psprintf(r->pool, "withheld %s %s:%d %s",
                                   conf->origins->section,
                                   conf->credentials->where.file,
                                   conf->credentials->where.line,
                                   conf->origins->unsafe);

    if (cors_first_time(key)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "CORS003: "
                      "CORSAllowCredentials On (%s:%d) is inherited beside "
                      "%s (section %s): credentials are withheld from the "
                      "origins it allows, here for %s (logged once per "
                      "child).", conf->credentials->where.file,
                      conf->credentials->where.line, conf->origins->unsafe,
                      conf->origins->section, cors_quote(r->pool, r->uri,
                                                         300));
    }
}

/* A regex allowed an origin outside its domain set, where trust was
 * asked (docs/mod_cors.html#trust): once per child and section. */
static void cors_warn_untrusted(request_rec *r, const cors_dir_conf *conf,
                                const cors_input *in, const cors_regex *cr)
{
    const char *key = apr_psprintf(r->pool, "untrusted %s %s:%d",
                                   conf->origins->section, cr->where.file,
                                   cr->where.line);
    const char *domain = NULL;
    char host[CORS_ORIGIN_MAX + 1];
    cors_origin o;

    if (!cors_first_time(key)) {
        return;
    }
    if (in->origin
        && cors_origin_parse(in->origin, strlen(in->origin), &o)) {
        domain = cors_origin_domain(&o, host);
    }
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "CORS003: %s:%d: "
                  "CORSAllowOriginMatch %s allowed an origin whose "
                  "registrable domain %s is not in its domain set (%s), so "
                  "it is not trusted: no credentials, private network "
                  "access or cross-origin protection's trust, here for %s "
                  "(logged once per child and section).", cr->where.file,
                  cr->where.line, cors_quote(r->pool, cr->text, 0),
                  domain ? domain : "(none: a public suffix)",
                  cr->is->domains->nelts
                  ? apr_array_pstrcat(r->pool, cr->is->domains, ',')
                  : "empty", cors_quote(r->pool, r->uri, 300));
}

/*
 * The decision's log line: at info when something was refused, at debug
 * otherwise (docs/mod_cors.html#logging).  Every value a visitor sends
 * is quoted and cut short (cors_quote).
 */
static void cors_log_decision(request_rec *r, const cors_input *in,
                              const cors_decision *d)
{
    int level = CORS_NOTE_IS_DENIAL(d->note) || d->offending
                || d->pna_refused
                || d->note == CORS_NOTE_PREFLIGHT_UNANSWERED ? APLOG_INFO
                                                             : APLOG_DEBUG;
    /* NULL where httpd could not read the request line */
    const char *method = cors_quote(r->pool, r->method ? r->method : "-",
                                    20);
    const char *uri = cors_quote(r->pool, r->uri ? r->uri : "-", 300);
    const char *origin = cors_quote(r->pool, in->origin, 300);

    if (d->note == CORS_NOTE_PREFLIGHT_UNANSWERED) {
        const char *location = apr_table_get(r->headers_out, "Location");

        if (location == NULL) {
            location = apr_table_get(r->err_headers_out, "Location");
        }
        ap_log_rerror(APLOG_MARK, level, 0, r, "CORS004: %s %s from %s: "
                      "%s: httpd answered %d%s%s%s before mod_cors could, "
                      "so the browser fails this preflight; set the policy "
                      "where the URL is served "
                      "(docs/mod_cors.html#limits).", method, uri, origin,
                      cors_note_names[d->note], r->status,
                      location ? " (Location: " : "",
                      location ? cors_quote(r->pool, location, 300) : "",
                      location ? ")" : "");
        return;
    }
    ap_log_rerror(APLOG_MARK, level, 0, r, "CORS004: %s %s from %s: %s%s%s%s; "
                  "decided by %s %s%s%s%s%s.", method, uri, origin,
                  cors_note_names[d->note], d->offending ? " (" : "",
                  d->offending ? cors_quote(r->pool, d->offending, 200) : "",
                  d->offending ? ")" : "", d->directive,
                  d->by ? apr_psprintf(r->pool, "at %s:%d", d->by->file,
                                       d->by->line)
                        : "(not set)",
                  d->allows ? ", which allows " : "",
                  d->allows ? cors_quote(r->pool, d->allows, 200) : "",
                  d->pna_refused ? "; private network access not granted: "
                                 : "",
                  d->pna_refused ? d->pna_refused : "");
}

/* Set the note, count the decision and log it.  again: a later URL's
 * protection replaces the note. */
static CORS_HOT void cors_record(request_rec *r, const cors_dir_conf *conf,
                                 const cors_input *in,
                                 const cors_decision *d, int again)
{
    if (again) {
        apr_table_setn(r->notes, "CORS", cors_note_names[d->note]);
    }
    else {
        /* made once per request: nothing to replace */
        apr_table_addn(r->notes, "CORS", cors_note_names[d->note]);
    }
    cors_diag_count(conf, d->note);
    if (d->withheld) {
        cors_warn_withheld(r, conf);
    }
    if (d->untrusted) {
        cors_warn_untrusted(r, conf, in, d->untrusted);
    }
    if (d->limited) {
        cors_warn_limit(d->limited);
    }
    /* most servers log below info: test that first, without a call */
    if (in->origin && APLOG_R_IS_LEVEL(r, APLOG_INFO)) {
        cors_log_decision(r, in, d);
    }
}

/* Remove every Access-Control-* field: the module is their only source. */
static void cors_unset_all(apr_table_t *t)
{
    const apr_array_header_t *arr = apr_table_elts(t);
    const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
    const apr_table_entry_t *end = e + arr->nelts;

    while (e < end) {
        const char *k = e->key;

        /* "acces" rules out every other header, Accept-* included,
         * cheaply; in this order, each test stops at a short key's NUL */
        if ((k[0] | 0x20) == 'a' && (k[1] | 0x20) == 'c'
            && (k[2] | 0x20) == 'c' && (k[3] | 0x20) == 'e'
            && (k[4] | 0x20) == 's'
            && !strncasecmp(k, "Access-Control-", 15)) {
            /* unset compacts the array: the next entry is now here */
            apr_table_unset(t, k);
            end = (const apr_table_entry_t *)arr->elts + arr->nelts;
        }
        else {
            e++;
        }
    }
}

/*
 * Written to headers_out, the table sent: by the filter, which runs after
 * ap_send_error_response has swapped err_headers_out in as headers_out, and
 * by the error hook only where that table is kept.  Leaving err_headers_out
 * empty when it was spares the HTTP header filter an apr_table_overlay (a
 * copy of every header).  Every Access-Control-* field is gone from both
 * tables, so addn is enough.
 */
static void cors_write_headers(request_rec *r, const cors_decision *d)
{
    int i;

    cors_unset_all(r->headers_out);
    if (!apr_is_empty_table(r->err_headers_out)) {
        cors_unset_all(r->err_headers_out);
    }
    for (i = 0; i < d->nfields; i++) {
        if (d->field[i]) {
            apr_table_addn(r->headers_out, cors_field_names[i], d->field[i]);
        }
    }
    if (d->vary) {
        /* httpd removes repeated Vary tokens when it writes the headers */
        apr_table_mergen(r->headers_out, "Vary", d->vary);
    }
}

/*
 * Decide for the original request r, once, and record the decision: from
 * post_perdir_config, or later for a response that never got there (a
 * 400, a Redirect).
 */
static cors_decision *cors_decide_request(request_rec *r,
                                          const cors_dir_conf *conf,
                                          int unanswered)
{
    cors_decision *d = apr_palloc(r->pool, sizeof(*d));
    cors_input in;

    cors_read_input(r, conf, &in);
    in.unanswered = unanswered;
    cors_decide(r->pool, conf, &in, d);
    ap_set_module_config(r->request_config, &cors_module, d);
    if (d->note != CORS_NOTE_UNSET) {
        cors_record(r, conf, &in, d, 0);
    }
    return d;
}

/*
 * An internal redirect (a local ErrorDocument, a script's local Location,
 * a RewriteRule in .htaccess) starts with fresh notes, and %{CORS}n reads
 * the last request's: it shows the decision made for the URL that was
 * requested.
 */
static void cors_note_redirect(request_rec *r, const cors_decision *d)
{
    if (d->note != CORS_NOTE_UNSET) {
        apr_table_setn(r->notes, "CORS", cors_note_names[d->note]);
    }
}

/* The decision for the original request, made once; NULL where the
 * module does nothing. */
static cors_decision *cors_decision_of(request_rec *r)
{
    request_rec *orig = cors_original(r);
    cors_decision *d = ap_get_module_config(orig->request_config,
                                            &cors_module);

    if (d == NULL) {
        const cors_dir_conf *conf = ap_get_module_config(
            orig->per_dir_config, &cors_module);

        if (!cors_has_origins(conf)) {
            return NULL;
        }
        /* httpd answered before post_perdir_config: a request it could
         * not read (no method, URI or headers), a Redirect, a 400 */
        d = cors_decide_request(orig, conf, 1);
    }
    return d;
}

/*
 * The headers go out with the first brigade.  The filter stays, passing
 * the rest on: removing it costs more than the call on a later brigade
 * (a response of one brigade is the common case).
 */
static apr_status_t cors_out_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    if (f->ctx) {
        cors_write_headers(f->r, f->ctx);
        f->ctx = NULL;
    }
    return ap_pass_brigade(f->next, bb);
}

/*
 * CORSShadow (docs/mod_cors.html#shadow): the response as it leaves, its
 * headers final, against what the module decided; nothing is changed but
 * the note.  One line at info for a request where they differ, its values
 * quoted and cut short.
 */
static void cors_shadow(request_rec *r, const cors_decision *d)
{
    const char *diffs = cors_shadow_compare(r->pool, d, r->status,
                                            r->headers_out,
                                            r->err_headers_out);
    int note = diffs ? CORS_NOTE_SHADOW_DIFFER : CORS_NOTE_SHADOW_AGREE;
    const char *origin;

    apr_table_setn(r->notes, "CORS", cors_note_names[note]);
    cors_diag_count(d->conf, note);
    if (diffs && APLOG_R_IS_LEVEL(r, APLOG_INFO)) {
        origin = apr_table_get(r->headers_in, "Origin");
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "CORS007: %s %s from "
                      "%s: %s (mod_cors decided %s): %s.",
                      cors_quote(r->pool, r->method ? r->method : "-", 20),
                      cors_quote(r->pool, r->uri ? r->uri : "-", 300),
                      origin ? cors_quote(r->pool, origin, 300)
                             : "no Origin",
                      cors_note_names[note],
                      d->note == CORS_NOTE_UNSET ? "nothing"
                                                 : cors_note_names[d->note],
                      diffs);
    }
}

static apr_status_t cors_shadow_filter(ap_filter_t *f,
                                       apr_bucket_brigade *bb)
{
    if (f->ctx) {
        cors_shadow(f->r, f->ctx);
        f->ctx = NULL;
    }
    return ap_pass_brigade(f->next, bb);
}

/*
 * A refusal is the module's own short 403: no ErrorDocument (a CGI, a
 * redirect) runs for it, since it must never reach application code.
 */
static int cors_forbid(request_rec *r, const char *why)
{
    ap_custom_response(r, HTTP_FORBIDDEN, why);
    return HTTP_FORBIDDEN;
}

/* The handler a refusal made after post_perdir_config gives. */
#define CORS_REFUSED_HANDLER "cors-refused"

/*
 * Cross-origin protection is judged under the configuration of every URL
 * a request is served through (docs/mod_cors.html#protection): after
 * post_perdir_config, an internal redirect (a RewriteRule in .htaccess,
 * a front controller) or the file mod_dir or MultiViews chose may bring
 * a section of its own.  Judged here, when the handler is about to run;
 * a refusal hands the request to cors_handler, which runs first.
 */
static CORS_RARE void cors_protect_served(request_rec *r,
                                          const cors_dir_conf *conf,
                                          cors_decision *d)
{
    request_rec *orig = cors_original(r);
    cors_decision *now;
    cors_input in;

    /* an ErrorDocument answers for a refusal already made */
    if (r->prev && r->prev->status != HTTP_OK) {
        return;
    }
    cors_read_input(r, conf, &in);
    now = apr_palloc(r->pool, sizeof(*now));
    cors_decide_protection(conf, &in, now);
    if (now->note == CORS_NOTE_UNSET) {
        return;
    }
    cors_record(r, conf, &in, now, 1);
    if (now->refused || d == NULL) {
        /* the answer is the refusal's, or the report's alone */
        ap_set_module_config(orig->request_config, &cors_module, now);
    }
    else {
        d->note = now->note;    /* ReportOnly: the headers stay */
    }
    if (now->refused) {
        r->handler = CORS_REFUSED_HANDLER;
    }
}

/*
 * A refusal made when the handler was chosen, and the cors-status
 * handler: "c" rules out most handlers with one byte.
 */
static int cors_handler(request_rec *r)
{
    if (r->handler == NULL || r->handler[0] != 'c') {
        return DECLINED;
    }
    if (!strcmp(r->handler, CORS_REFUSED_HANDLER)) {
        return cors_forbid(r, "Cross-origin request refused\n");
    }
    return cors_diag_handler(r);
}

/*
 * A handler, CGI script or proxied backend may set Access-Control-* fields
 * of its own, so the filter writes the headers after it.
 */
static void cors_insert_filter(request_rec *r)
{
    const cors_dir_conf *conf;
    cors_decision *d;

    /* a subrequest's headers are overlaid onto its parent's */
    if (r->main) {
        return;
    }
    conf = ap_get_module_config(r->per_dir_config, &cors_module);
    d = cors_decision_of(r);
    /* judged already where the decision used this protection and origin
     * set: only a later URL's own section is judged again */
    if (conf->protect && conf->protect->value != CORS_PROTECT_OFF
        && !(d && d->conf->protect == conf->protect
             && d->conf->origins == conf->origins)) {
        cors_protect_served(r, conf, d);
        d = cors_decision_of(r);
    }
    if (d == NULL) {
        return;
    }
    if (r->prev) {
        cors_note_redirect(r, d);
    }
    if (d->write) {
        ap_add_output_filter_handle(cors_filter_handle, d, r, r->connection);
    }
    else if (d->shadow) {
        ap_add_output_filter_handle(cors_shadow_handle, d, r, r->connection);
    }
}

/*
 * An error response, or a preflight's: ap_send_error_response has reset
 * the chain, and this hook runs after every other.  Where no other
 * module's error filter is left to add a field, and the table written is
 * the one sent (ap_send_error_response keeps headers_out for a 204 or a
 * 304, and cors_send_empty for its 200), the headers are written here and
 * the filter is spared; else the filter writes them last.
 */
static void cors_insert_error_filter(request_rec *r)
{
    cors_decision *d;

    if (r->main || (d = cors_decision_of(r)) == NULL) {
        return;
    }
    if (r->prev) {
        cors_note_redirect(r, d);
    }
    if (!d->write) {
        if (d->shadow) {
            ap_add_output_filter_handle(cors_shadow_handle, d, r,
                                        r->connection);
        }
        return;
    }
    if (r->output_filters == r->proto_output_filters
        && (r->status == HTTP_NO_CONTENT || r->status == HTTP_NOT_MODIFIED
            || r->status == HTTP_OK)) {
        cors_write_headers(r, d);
    }
    else {
        ap_add_output_filter_handle(cors_filter_handle, d, r, r->connection);
    }
}

/*
 * A 200 preflight has no error path to send it: send it here, with the
 * filters the error path would insert ("Header always set" among them).
 */
static int cors_send_empty(request_rec *r)
{
    apr_bucket_brigade *bb = apr_brigade_create(r->pool,
                                                r->connection->bucket_alloc);

    ap_run_insert_error_filter(r);
    ap_set_content_length(r, 0);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(
                                    r->connection->bucket_alloc));
    return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS
           ? DONE : AP_FILTER_ERROR;
}

static int cors_post_perdir(request_rec *r)
{
    const cors_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                     &cors_module);
    const cors_decision *d;

    if (r->main) {
        cors_diag_lookup_reached(r);
        return DECLINED;
    }
    if (r->prev || !cors_active(conf)) {
        return DECLINED;
    }
    d = cors_decide_request(r, conf, 0);
    if (d->note == CORS_NOTE_UNSET || d->shadow) {
        return DECLINED;        /* shadow: the handler answers */
    }
    if (d->refused) {
        return cors_forbid(r, "Cross-origin request refused\n");
    }
    if (!CORS_NOTE_ANSWERS_PREFLIGHT(d->note)) {
        return DECLINED;        /* the filter writes the headers */
    }
    if (d->note != CORS_NOTE_PREFLIGHT_ALLOWED) {
        return cors_forbid(r, "CORS preflight denied\n");
    }
    if (conf->preflight_status && conf->preflight_status->value == HTTP_OK) {
        return cors_send_empty(r);
    }
    return HTTP_NO_CONTENT;
}

static void cors_register_hooks(apr_pool_t *p)
{
    /* run after mod_headers' filters, so that "Header set" cannot add a
     * second Access-Control-* value behind ours */
    static const char *const after_headers[] = { "mod_headers.c", NULL };

    /* CONTENT_SET, before mod_cache's CACHE_SAVE at CONTENT_SET+1, so
     * that a cached response is stored with its Vary */
    cors_filter_handle = ap_register_output_filter("CORS", cors_out_filter,
                                                   NULL,
                                                   AP_FTYPE_CONTENT_SET);
    /* last of the resource filters: every header a module or mod_headers
     * sets is there to compare */
    cors_shadow_handle = ap_register_output_filter("CORS_SHADOW",
                                                   cors_shadow_filter, NULL,
                                                   AP_FTYPE_PROTOCOL - 1);
    ap_hook_post_perdir_config(cors_post_perdir, NULL, NULL, APR_HOOK_FIRST);
    /* first: a refusal must come before any handler runs */
    ap_hook_handler(cors_handler, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_insert_filter(cors_insert_filter, after_headers, NULL,
                          APR_HOOK_LAST);
    /* last of all: it looks at what the other error hooks inserted */
    ap_hook_insert_error_filter(cors_insert_error_filter, after_headers,
                                NULL, APR_HOOK_REALLY_LAST);
    cors_config_register_hooks(p);
    cors_diag_register_hooks(p);
}

AP_DECLARE_MODULE(cors) =
{
    STANDARD20_MODULE_STUFF,
    cors_create_dir_conf,       /* create per-directory config */
    cors_merge_dir_conf,        /* merge per-directory config */
    NULL,                       /* create per-server config */
    NULL,                       /* merge per-server config */
    cors_cmds,                  /* command table */
    cors_register_hooks,        /* register hooks */
    AP_MODULE_FLAG_NONE
};
