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
 * <Location> or .htaccess.
 *
 *   CORSAllowOrigin https://app.example.com http://localhost:*
 *   CORSAllowMethods PUT DELETE
 *   CORSAllowHeaders Content-Type X-Requested-With
 *   CORSAllowCredentials On
 *
 * Preflights (OPTIONS with Origin and Access-Control-Request-Method) are
 * answered in post_perdir_config: the first hook that has read .htaccess
 * and the last before authentication.  A preflight never carries
 * credentials, so it must be answered before "Require valid-user" can
 * refuse it, and it never reaches the handler.
 *
 * Every other response passes an output filter, inserted on success and
 * on error alike, that removes whatever Access-Control-* headers a
 * handler, backend, script or other module set, writes the policy's own
 * and merges "Vary: Origin".  The module never refuses an actual
 * request: the browser enforces CORS.
 *
 * Everything that does not need a request (origin syntax, patterns, the
 * origin set, token lists) lives in cors_match.c.
 */

#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "cors_match.h"

module AP_MODULE_DECLARE_DATA cors_module;

/* Methods a preflight never needs to allow: browsers do not check them. */
#define CORS_SIMPLE_METHOD(m) \
    (!strcmp((m), "GET") || !strcmp((m), "HEAD") || !strcmp((m), "POST"))

/* An origin no policy means to allow, to spot regexes that allow all. */
#define CORS_CANARY_ORIGIN "https://mod-cors-canary.invalid"

#define CORS_PREFLIGHT_VARY \
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"

/* All CORSAllowOrigin and CORSAllowOriginMatch lines of one section. */
typedef struct {
    cors_origin_set *set;               /* exact and "*." patterns */
    apr_array_header_t *patterns;       /* cors_pattern, for checks */
    const cors_pattern *public_suffix;  /* a "*." right under one */
    apr_array_header_t *regexes;        /* ap_regex_t *, anchored */
    int any;                            /* "*" */
    const char *match_any;              /* a regex that matches anything */
    int null;                           /* "null" */
    int none;                           /* "none" */
} cors_origins;

/* CORSAllowMethods, CORSAllowHeaders or CORSExposeHeaders. */
typedef struct {
    apr_array_header_t *names;          /* as written; methods normalized */
    int star;
    const char *value;                  /* the response header's value */
} cors_list;

typedef struct {
    cors_origins *origins;              /* NULL: inherit */
    cors_list *methods;                 /* NULL: inherit */
    cors_list *headers;
    cors_list *expose;
    int credentials;                    /* -1: inherit */
    const char *max_age;                /* NULL: inherit */
    int private_network;                /* -1: inherit */
    int preflight_status;               /* 0: inherit */
} cors_dir_conf;

/*
 * The response headers decided for one request; NULL fields are not
 * sent.  A preflight's are kept in the request config for the filter.
 */
typedef struct {
    const char *acao;
    const char *acac;
    const char *acam;
    const char *acah;
    const char *aceh;
    const char *acma;
    const char *acapn;
    const char *vary;
} cors_headers;

static ap_filter_rec_t *cors_filter_handle;

static void *cors_create_dir_conf(apr_pool_t *p, char *dir)
{
    cors_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->credentials = -1;
    conf->private_network = -1;
    return conf;
}

/* Runs on every request: it only picks pointers. */
static void *cors_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    cors_dir_conf *base = basev, *add = addv;
    cors_dir_conf *conf = apr_palloc(p, sizeof(*conf));

    conf->origins = add->origins ? add->origins : base->origins;
    conf->methods = add->methods ? add->methods : base->methods;
    conf->headers = add->headers ? add->headers : base->headers;
    conf->expose = add->expose ? add->expose : base->expose;
    conf->credentials = add->credentials != -1 ? add->credentials
                                               : base->credentials;
    conf->max_age = add->max_age ? add->max_age : base->max_age;
    conf->private_network = add->private_network != -1
                            ? add->private_network : base->private_network;
    conf->preflight_status = add->preflight_status
                             ? add->preflight_status : base->preflight_status;
    return conf;
}

/*
 * Configuration warnings are kept until post_config, when the error log
 * is open, and printed by test_config for "apachectl -t".  A .htaccess
 * file is read while serving, so its warnings go to the log at once.
 */
static void cors_warn(cmd_parms *cmd, const char *msg)
{
    apr_array_header_t *warnings = NULL;
    const char *line = msg;

    if (cmd->directive) {
        line = apr_psprintf(cmd->pool, "%s:%d: %s: %s",
                            cmd->directive->filename,
                            cmd->directive->line_num,
                            cmd->cmd->name, msg);
    }
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_RUN_MPM) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server, "%s", line);
        return;
    }
    apr_pool_userdata_get((void **)&warnings, "cors_warnings", cmd->pool);
    if (warnings == NULL) {
        warnings = apr_array_make(cmd->pool, 4, sizeof(const char *));
        apr_pool_userdata_setn(warnings, "cors_warnings", NULL, cmd->pool);
    }
    APR_ARRAY_PUSH(warnings, const char *) = line;
}

static int cors_origins_empty(const cors_origins *o)
{
    return !o->any && !o->null && !o->set->count && !o->regexes->nelts;
}

static int cors_active(const cors_dir_conf *conf)
{
    return conf->origins && !cors_origins_empty(conf->origins);
}

static cors_origins *cors_origins_get(cmd_parms *cmd, cors_dir_conf *conf)
{
    if (conf->origins == NULL) {
        conf->origins = apr_pcalloc(cmd->pool, sizeof(cors_origins));
        conf->origins->set = cors_set_make(cmd->pool);
        conf->origins->patterns = apr_array_make(cmd->pool, 4,
                                                 sizeof(cors_pattern));
        conf->origins->regexes = apr_array_make(cmd->pool, 2,
                                                sizeof(ap_regex_t *));
    }
    return conf->origins;
}

static void cors_warn_http_credentials(cmd_parms *cmd,
                                       const cors_pattern *pat)
{
    if (!strcmp(pat->scheme, "http") && !cors_pattern_is_local(pat)) {
        cors_warn(cmd, apr_psprintf(cmd->pool,
                  "credentials allowed for %s, an http:// origin: anyone "
                  "on the network path can act as it",
                  cors_pattern_unparse(cmd->pool, pat)));
    }
}

/*
 * The combinations that would hand credentials to every origin.  Called
 * after each directive that takes part, so the order of lines within a
 * section does not matter.
 */
static const char *cors_check_credentials(cmd_parms *cmd,
                                          const cors_dir_conf *conf)
{
    const cors_origins *o = conf->origins;
    const char *clash = NULL;

    if (conf->credentials != 1) {
        return NULL;
    }
    if (o && o->any) {
        clash = "CORSAllowOrigin *";
    }
    else if (o && o->null) {
        clash = "CORSAllowOrigin null";
    }
    else if (o && o->match_any) {
        clash = apr_psprintf(cmd->pool, "CORSAllowOriginMatch %s (it "
                             "matches any origin)", o->match_any);
    }
    else if (conf->expose && conf->expose->star) {
        clash = "CORSExposeHeaders *";
    }
    else if (o && o->public_suffix) {
        clash = apr_psprintf(cmd->pool, "CORSAllowOrigin %s (%s is a "
                             "public suffix)",
                             cors_pattern_unparse(cmd->pool,
                                                  o->public_suffix),
                             o->public_suffix->host + 1);
    }
    if (clash) {
        return apr_psprintf(cmd->pool, "%s: CORSAllowCredentials On cannot "
                            "be combined with %s in one section",
                            cmd->cmd->name, clash);
    }
    return NULL;
}

static const char *cors_conflict(cmd_parms *cmd, const char *arg)
{
    return apr_psprintf(cmd->pool, "%s: '%s' cannot be combined with other "
                        "origins or CORSAllowOriginMatch in one section",
                        cmd->cmd->name, arg);
}

static const char *cors_set_origin(cmd_parms *cmd, void *dconf,
                                   const char *arg)
{
    cors_dir_conf *conf = dconf;
    cors_origins *o = cors_origins_get(cmd, conf);
    cors_pattern pat;
    const char *err;

    if (!strcasecmp(arg, "none")) {
        if (!cors_origins_empty(o)) {
            return cors_conflict(cmd, arg);
        }
        o->none = 1;
        return NULL;
    }
    if (o->none) {
        return cors_conflict(cmd, "none");
    }
    if (!strcmp(arg, "*")) {
        if (!cors_origins_empty(o)) {
            return cors_conflict(cmd, arg);
        }
        o->any = 1;
        return cors_check_credentials(cmd, conf);
    }
    if (o->any) {
        return cors_conflict(cmd, "*");
    }
    if (!strcmp(arg, "null")) {
        o->null = 1;
        if (conf->credentials != 1) {
            cors_warn(cmd, "'null' is the origin of sandboxed frames, "
                      "data: URLs and local files: any page can send it");
        }
        return cors_check_credentials(cmd, conf);
    }

    err = cors_pattern_parse(cmd->pool, arg, &pat);
    if (err) {
        return apr_psprintf(cmd->pool, "%s: invalid origin '%s': %s",
                            cmd->cmd->name, arg, err);
    }
    cors_set_add(cmd->pool, o->set, &pat);
    APR_ARRAY_PUSH(o->patterns, cors_pattern) = pat;
    if (cors_pattern_under_public_suffix(&pat)) {
        /* checked once here: a policy may list thousands of origins */
        if (o->public_suffix == NULL) {
            o->public_suffix = apr_pmemdup(cmd->pool, &pat, sizeof(pat));
        }
        if (conf->credentials != 1) {
            cors_warn(cmd, apr_psprintf(cmd->pool, "'%s' allows every site "
                      "under the public suffix %s", arg, pat.host + 1));
        }
    }
    if (conf->credentials == 1) {
        cors_warn_http_credentials(cmd, &pat);
    }
    return cors_check_credentials(cmd, conf);
}

static const char *cors_set_origin_match(cmd_parms *cmd, void *dconf,
                                         const char *arg)
{
    cors_origins *o = cors_origins_get(cmd, dconf);
    ap_regex_t *re;

    if (o->any || o->none) {
        return cors_conflict(cmd, o->any ? "*" : "none");
    }
    /*
     * The regex must compile on its own before it is anchored, or a
     * stray ")" could escape the anchors: "a)|(.*" would match anything.
     */
    re = ap_pregcomp(cmd->pool, arg, AP_REG_ICASE);
    if (re) {
        re = ap_pregcomp(cmd->pool, apr_pstrcat(cmd->pool, "^(?:", arg,
                                                ")$", NULL), AP_REG_ICASE);
    }
    if (re == NULL) {
        return apr_psprintf(cmd->pool, "%s: regex '%s' does not compile",
                            cmd->cmd->name, arg);
    }
    APR_ARRAY_PUSH(o->regexes, ap_regex_t *) = re;
    /* A regex that matches a made-up origin reflects every origin: with
     * credentials that is "*" with the safety off. */
    if (!ap_regexec(re, CORS_CANARY_ORIGIN, 0, NULL, 0)) {
        o->match_any = arg;
    }
    return cors_check_credentials(cmd, dconf);
}

/* The Fetch standard upper-cases exactly these method names. */
static const char *cors_normalize_method(const char *m)
{
    static const char *const known[] = {
        "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", NULL
    };
    int i;

    for (i = 0; known[i]; i++) {
        if (!strcasecmp(m, known[i])) {
            return known[i];
        }
    }
    return m;
}

static int cors_has_method(const cors_list *methods, const char *m)
{
    int i;

    for (i = 0; i < methods->names->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(methods->names, i, const char *), m)) {
            return 1;
        }
    }
    return 0;
}

/* CORSAllowMethods, CORSAllowHeaders and CORSExposeHeaders. */
static const char *cors_set_list(cmd_parms *cmd, void *dconf,
                                 const char *arg)
{
    cors_dir_conf *conf = dconf;
    cors_list **slot = (cors_list **)((char *)conf + (size_t)cmd->info);
    cors_list *list = *slot;
    int methods = slot == &conf->methods;
    const char *joined;

    if (list == NULL) {
        list = *slot = apr_pcalloc(cmd->pool, sizeof(*list));
        list->names = apr_array_make(cmd->pool, 4, sizeof(const char *));
    }
    if (!strcmp(arg, "*")) {
        list->star = 1;
    }
    else if (!cors_is_token(arg, strlen(arg))) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a valid %s name",
                            cmd->cmd->name, arg,
                            methods ? "method" : "header");
    }
    else if (!methods) {
        cors_names_add(list->names, arg);
    }
    else if (!strcasecmp(arg, "CONNECT") || !strcasecmp(arg, "TRACE")
             || !strcasecmp(arg, "TRACK")) {
        return apr_psprintf(cmd->pool, "%s: '%s' is a forbidden method: "
                            "browsers never send it cross-origin",
                            cmd->cmd->name, arg);
    }
    else if (!cors_has_method(list, cors_normalize_method(arg))) {
        APR_ARRAY_PUSH(list->names, const char *) =
            cors_normalize_method(arg);
    }

    /* Joined here, once, rather than for every response. */
    joined = apr_array_pstrcat(cmd->pool, list->names, ',');
    if (!list->star) {
        list->value = joined;
    }
    else if (methods || !*joined) {
        list->value = "*";
    }
    else {
        list->value = apr_pstrcat(cmd->pool, "*,", joined, NULL);
    }
    return slot == &conf->expose ? cors_check_credentials(cmd, conf) : NULL;
}

static const char *cors_set_credentials(cmd_parms *cmd, void *dconf,
                                        int flag)
{
    cors_dir_conf *conf = dconf;
    int i;

    conf->credentials = flag;
    if (flag && conf->origins) {
        for (i = 0; i < conf->origins->patterns->nelts; i++) {
            cors_warn_http_credentials(cmd, &APR_ARRAY_IDX(
                                       conf->origins->patterns, i,
                                       cors_pattern));
        }
    }
    return cors_check_credentials(cmd, conf);
}

static const char *cors_set_max_age(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    cors_dir_conf *conf = dconf;
    apr_size_t len = strlen(arg);

    if (len == 0 || len > 5 || strspn(arg, "0123456789") != len
        || atoi(arg) > 86400) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a whole number of "
                            "seconds from 0 to 86400", cmd->cmd->name, arg);
    }
    conf->max_age = apr_itoa(cmd->pool, atoi(arg));
    return NULL;
}

static const char *cors_set_private_network(cmd_parms *cmd, void *dconf,
                                            int flag)
{
    ((cors_dir_conf *)dconf)->private_network = flag;
    return NULL;
}

static const char *cors_set_preflight_status(cmd_parms *cmd, void *dconf,
                                             const char *arg)
{
    cors_dir_conf *conf = dconf;

    if (strcmp(arg, "204") && strcmp(arg, "200")) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not 204 or 200",
                            cmd->cmd->name, arg);
    }
    conf->preflight_status = atoi(arg);
    return NULL;
}

static const command_rec cors_cmds[] =
{
    AP_INIT_ITERATE("CORSAllowOrigin", cors_set_origin, NULL, OR_FILEINFO,
                    "none, *, or origins such as https://app.example.com, "
                    "https://*.example.com, http://localhost:*, null"),
    AP_INIT_TAKE1("CORSAllowOriginMatch", cors_set_origin_match, NULL,
                  OR_FILEINFO, "a regex matched against the whole Origin"),
    AP_INIT_ITERATE("CORSAllowMethods", cors_set_list,
                    (void *)APR_OFFSETOF(cors_dir_conf, methods),
                    OR_FILEINFO, "* or methods a preflight may ask for"),
    AP_INIT_ITERATE("CORSAllowHeaders", cors_set_list,
                    (void *)APR_OFFSETOF(cors_dir_conf, headers),
                    OR_FILEINFO, "* or request headers a preflight may "
                    "ask for"),
    AP_INIT_ITERATE("CORSExposeHeaders", cors_set_list,
                    (void *)APR_OFFSETOF(cors_dir_conf, expose),
                    OR_FILEINFO, "* or response headers scripts may read"),
    AP_INIT_FLAG("CORSAllowCredentials", cors_set_credentials, NULL,
                 OR_FILEINFO, "On to let requests with cookies or HTTP "
                 "authentication read the response"),
    AP_INIT_TAKE1("CORSMaxAge", cors_set_max_age, NULL, OR_FILEINFO,
                  "seconds a browser may cache a preflight (0-86400)"),
    AP_INIT_FLAG("CORSAllowPrivateNetwork", cors_set_private_network, NULL,
                 OR_FILEINFO, "On to answer Private Network Access "
                 "preflights"),
    AP_INIT_TAKE1("CORSPreflightStatus", cors_set_preflight_status, NULL,
                  OR_FILEINFO, "204 or 200"),
    {NULL}
};

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
 * Credentials are never granted beside "*", or beside a regex that
 * matches any origin, even when they meet through inheritance.
 */
static int cors_credentials(request_rec *r, const cors_dir_conf *conf)
{
    const cors_origins *o = conf->origins;

    if (conf->credentials != 1) {
        return 0;
    }
    if (o->any || o->match_any) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "CORSAllowCredentials On inherited beside %s%s: "
                      "credentials are not allowed here",
                      o->any ? "CORSAllowOrigin *" : "CORSAllowOriginMatch ",
                      o->any ? "" : o->match_any);
        return 0;
    }
    return 1;
}

/*
 * The Access-Control-Allow-Origin value for an Origin, or NULL with the
 * reason.  The syntax check comes before any "*." pattern or regex, so
 * they never see a value a browser would not send; the exact-origin hash
 * is looked up first because a value found there is valid by
 * construction.
 */
static const char *cors_allow_origin(const cors_dir_conf *conf,
                                     const char *origin, const char **why)
{
    const cors_origins *o = conf->origins;
    apr_size_t len = strlen(origin);
    cors_origin parsed;
    int i;

    if (o->any) {
        return "*";
    }
    if (cors_set_match_exact(o->set, origin, len)) {
        return origin;
    }
    if (!cors_origin_parse(origin, len, &parsed)) {
        *why = "malformed Origin";
        return NULL;
    }
    if (parsed.is_null ? o->null : cors_set_match(o->set, &parsed)) {
        return origin;
    }
    for (i = 0; !parsed.is_null && i < o->regexes->nelts; i++) {
        if (!ap_regexec(APR_ARRAY_IDX(o->regexes, i, ap_regex_t *), origin,
                        0, NULL, 0)) {
            return origin;
        }
    }
    *why = "origin not allowed";
    return NULL;
}

/*
 * Decide a preflight and fill in its headers.  Returns the request note:
 * "preflight" if it is allowed, else "denied:..." with the reason in *why.
 */
static const char *cors_decide_preflight(request_rec *r,
                                         const cors_dir_conf *conf,
                                         const char *origin,
                                         const char *method,
                                         cors_headers *h, const char **why)
{
    const char *acrh = apr_table_get(r->headers_in,
                                     "Access-Control-Request-Headers");
    const char *acrpn = apr_table_get(r->headers_in,
                                  "Access-Control-Request-Private-Network");
    const cors_list *methods = conf->methods, *headers = conf->headers;
    const char *bad;
    apr_size_t badlen;
    int credentials;

    h->acao = cors_allow_origin(conf, origin, why);
    if (h->acao == NULL) {
        return "denied:origin";
    }
    /* A listed method is a token and not forbidden (the directive checked
     * it): only "*" needs these checks. */
    if (!(CORS_SIMPLE_METHOD(method)
          || (methods && cors_has_method(methods, method))
          || (methods && methods->star
              && cors_is_token(method, strlen(method))
              && strcasecmp(method, "CONNECT") && strcasecmp(method, "TRACE")
              && strcasecmp(method, "TRACK")))) {
        *why = apr_psprintf(r->pool, "method '%.100s' not allowed", method);
        return "denied:method";
    }
    if (acrh && !cors_request_headers_allowed(acrh, strlen(acrh),
                                              headers ? headers->names
                                                      : NULL,
                                              headers && headers->star,
                                              &bad, &badlen)) {
        *why = apr_psprintf(r->pool, "header '%.*s' not allowed",
                            (int)(badlen > 100 ? 100 : badlen), bad);
        return "denied:headers";
    }
    if (acrpn && !strcmp(acrpn, "true")) {
        if (conf->private_network != 1) {
            *why = "private network access not allowed";
            return "denied:private-network";
        }
        h->acapn = "true";
    }

    /* With credentials, browsers read "*" as a name: echo the request. */
    credentials = cors_credentials(r, conf);
    h->acac = credentials ? "true" : NULL;
    if (methods) {
        h->acam = methods->star && credentials ? method : methods->value;
    }
    if (acrh && headers) {
        h->acah = headers->star && credentials ? acrh : headers->value;
    }
    h->acma = conf->max_age;
    return "preflight";
}

/* The headers of an actual (not preflight) response, and its note. */
static const char *cors_decide_actual(request_rec *r,
                                      const cors_dir_conf *conf,
                                      cors_headers *h)
{
    const char *origin = apr_table_get(r->headers_in, "Origin");
    const char *why = NULL;

    if (conf->origins->any) {
        /* The same answer for everyone: nothing to vary on. */
        h->acao = "*";
        if (origin) {
            cors_credentials(r, conf);      /* warns if inherited */
        }
    }
    else {
        h->vary = "Origin";
        if (origin) {
            h->acao = cors_allow_origin(conf, origin, &why);
        }
        if (h->acao && cors_credentials(r, conf)) {
            h->acac = "true";
        }
    }
    if (h->acao && conf->expose) {
        h->aceh = conf->expose->value;
    }
    if (origin == NULL) {
        return "none";
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "%s from '%.300s': %s%s",
                  r->method, origin, h->acao ? "allowed" : "not allowed: ",
                  h->acao ? "" : why);
    return h->acao ? "allowed" : "denied:origin";
}

/* Remove every Access-Control-* field: the module is their only source. */
static void cors_unset_all(apr_table_t *t)
{
    const apr_array_header_t *arr = apr_table_elts(t);
    const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
    int i;

    for (i = 0; i < arr->nelts; i++) {
        if (e[i].key && !strncasecmp(e[i].key, "Access-Control-", 15)) {
            /* unset compacts the array: look at index i again */
            apr_table_unset(t, e[i].key);
            i--;
        }
    }
}

/*
 * The filter runs after ap_send_error_response has swapped err_headers_out
 * in as headers_out, so headers_out is sent on error and on success alike.
 * Writing there, and leaving err_headers_out empty when it was, spares the
 * HTTP header filter an apr_table_overlay (a copy of every header).  Every
 * Access-Control-* field is gone from both tables, so addn is enough.
 */
static void cors_write_headers(request_rec *r, const cors_headers *h)
{
    static const char *const names[] = {
        "Access-Control-Allow-Origin",
        "Access-Control-Allow-Credentials",
        "Access-Control-Allow-Methods",
        "Access-Control-Allow-Headers",
        "Access-Control-Expose-Headers",
        "Access-Control-Max-Age",
        "Access-Control-Allow-Private-Network"
    };
    const char *const values[] = {
        h->acao, h->acac, h->acam, h->acah, h->aceh, h->acma, h->acapn
    };
    apr_size_t i;

    cors_unset_all(r->headers_out);
    cors_unset_all(r->err_headers_out);
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (values[i]) {
            apr_table_addn(r->headers_out, names[i], values[i]);
        }
    }
    if (h->vary) {
        /* httpd removes repeated Vary tokens when it writes the headers */
        apr_table_mergen(r->headers_out, "Vary", h->vary);
    }
}

static apr_status_t cors_out_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r, *orig = cors_original(r);
    const cors_headers *h = ap_get_module_config(orig->request_config,
                                                 &cors_module);
    cors_headers actual = { NULL };

    ap_remove_output_filter(f);
    if (h == NULL) {
        /* %{CORS}n in a LogFormat shows the decision */
        apr_table_setn(orig->notes, "CORS", cors_decide_actual(
                       orig, ap_get_module_config(orig->per_dir_config,
                                                  &cors_module), &actual));
        h = &actual;
    }
    cors_write_headers(r, h);
    return ap_pass_brigade(f->next, bb);
}

/* Both insert hooks: errors reset the filter chain and skip fixups. */
static void cors_insert_filter(request_rec *r)
{
    const cors_dir_conf *conf;

    if (r->main) {
        /* a subrequest's headers are overlaid onto its parent's */
        return;
    }
    conf = ap_get_module_config(cors_original(r)->per_dir_config,
                                &cors_module);
    if (cors_active(conf)) {
        ap_add_output_filter_handle(cors_filter_handle, NULL, r,
                                    r->connection);
    }
}

/* A 200 preflight has no error path to send it: send it here. */
static int cors_send_empty(request_rec *r)
{
    apr_bucket_brigade *bb = apr_brigade_create(r->pool,
                                                r->connection->bucket_alloc);

    ap_add_output_filter_handle(cors_filter_handle, NULL, r, r->connection);
    ap_set_content_length(r, 0);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(
                                    r->connection->bucket_alloc));
    return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS
           ? DONE : AP_FILTER_ERROR;
}

static int cors_preflight(request_rec *r)
{
    const cors_dir_conf *conf;
    const char *origin, *method, *note, *why = NULL;
    cors_headers *h;

    if (r->main || r->prev || r->method_number != M_OPTIONS) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->per_dir_config, &cors_module);
    origin = apr_table_get(r->headers_in, "Origin");
    method = apr_table_get(r->headers_in, "Access-Control-Request-Method");
    if (!cors_active(conf) || origin == NULL || method == NULL) {
        return DECLINED;
    }

    h = apr_pcalloc(r->pool, sizeof(*h));
    h->vary = CORS_PREFLIGHT_VARY;
    ap_set_module_config(r->request_config, &cors_module, h);
    note = cors_decide_preflight(r, conf, origin, method, h, &why);
    apr_table_setn(r->notes, "CORS", note);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  "preflight from '%.300s' for %.100s: %s%s", origin, method,
                  why ? "denied: " : "allowed", why ? why : "");
    if (why) {
        memset(h, 0, sizeof(*h));
        h->vary = CORS_PREFLIGHT_VARY;
        return HTTP_FORBIDDEN;
    }
    if (conf->preflight_status == HTTP_OK) {
        return cors_send_empty(r);
    }
    return HTTP_NO_CONTENT;
}

static void cors_log_warnings(apr_pool_t *pconf, server_rec *s)
{
    apr_array_header_t *warnings = NULL;
    int i;

    apr_pool_userdata_get((void **)&warnings, "cors_warnings", pconf);
    for (i = 0; warnings && i < warnings->nelts; i++) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "%s",
                     APR_ARRAY_IDX(warnings, i, const char *));
    }
}

static int cors_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp)
{
    cors_match_init(pconf);
    return OK;
}

static int cors_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                            apr_pool_t *ptemp, server_rec *s)
{
    /* httpd reads its configuration twice at startup: warn once */
    if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG) {
        cors_log_warnings(pconf, s);
    }
    return OK;
}

static void cors_test_config(apr_pool_t *pconf, server_rec *s)
{
    cors_log_warnings(pconf, s);
}

static void cors_register_hooks(apr_pool_t *p)
{
    /* run after mod_headers' filter, so that "Header set" cannot add a
     * second Access-Control-* value behind ours */
    static const char *const after_headers[] = { "mod_headers.c", NULL };

    /* CONTENT_SET, before mod_cache's CACHE_SAVE at CONTENT_SET+1, so
     * that a cached response is stored with its Vary */
    cors_filter_handle = ap_register_output_filter("CORS", cors_out_filter,
                                                   NULL,
                                                   AP_FTYPE_CONTENT_SET);
    ap_hook_post_perdir_config(cors_preflight, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_insert_filter(cors_insert_filter, after_headers, NULL,
                          APR_HOOK_LAST);
    ap_hook_insert_error_filter(cors_insert_filter, after_headers, NULL,
                                APR_HOOK_LAST);
    ap_hook_pre_config(cors_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(cors_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_test_config(cors_test_config, NULL, NULL, APR_HOOK_MIDDLE);
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
