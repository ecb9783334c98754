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
 * does an unsafe request that cross-origin protection refuses.
 *
 * Every other response passes an output filter, inserted on success and
 * on error alike, that removes whatever Access-Control-* headers a
 * handler, backend, script or other module set, writes the policy's own
 * and merges "Vary: Origin".  CORS never refuses an actual request: the
 * browser enforces it.
 *
 * Each value remembers the file and line that set it, so that every
 * decision can be explained (docs/mod_cors.html#logging).  Everything
 * that needs no request lives in cors_match.c; the counters, the
 * cors-status handler and DUMP_CORS in cors_diag.c.
 */

#include "apr_allocator.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_main.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#if APR_HAS_THREADS
#include "apr_thread_mutex.h"
#endif

/* PCRE's own message for a regex that does not compile, from the PCRE
 * that httpd links (Makefile.apxs asks the binary), where its header is
 * here: PCRE2 from httpd 2.4.53 on, PCRE1 before. */
#if defined(CORS_HAVE_PCRE2)
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#elif defined(CORS_HAVE_PCRE1)
#include <pcre.h>
#endif

#include "cors_internal.h"

module AP_MODULE_DECLARE_DATA cors_module;

#define CORS_PREFLIGHT_VARY \
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
#define CORS_PROTECT_VARY "Origin, Sec-Fetch-Site"

/*
 * Every regex runs under these limits (docs/mod_cors.html#safety): a
 * match that hits one fails instead of burning the CPU.  PCRE2 and PCRE
 * 8.33+ read them at the start of a pattern; they can only lower the
 * library's own limits.
 */
#define CORS_REGEX_LIMITS "(*LIMIT_MATCH=10000)(*LIMIT_RECURSION=1000)"

/* What a section's origin set says about one Origin value. */
enum {
    CORS_ORIGIN_MALFORMED,      /* not one serialized origin */
    CORS_ORIGIN_DENIED,
    CORS_ORIGIN_ALLOWED,
    CORS_ORIGIN_UNSAFE          /* allowed only by a pattern that must
                                 * never get credentials */
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

const char *const cors_note_names[CORS_NNOTES] = {
    "none",
    "preflight:allowed",
    "preflight:denied:origin",
    "preflight:denied:malformed-origin",
    "preflight:denied:method",
    "preflight:denied:headers",
    "preflight:denied:private-network",
    "preflight:unanswered",
    "actual:allowed",
    "actual:any",
    "actual:denied:origin",
    "actual:denied:malformed-origin",
    "protect:refused",
    "protect:report"
};

static ap_filter_rec_t *cors_filter_handle;

/*
 * Request-time warnings already logged by this child (key -> key), in a
 * pool and allocator of their own that nothing else touches: they are
 * used under the lock alone.  At most CORS_WARNED_MAX keys: past that, or
 * without a lock, a child stays quiet rather than log on every request.
 */
#define CORS_WARNED_MAX 10000
static apr_hash_t *cors_warned;
static int cors_in_child;               /* child_init has run */
#if APR_HAS_THREADS
static apr_thread_mutex_t *cors_warned_lock;
#endif

static void *cors_create_dir_conf(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(cors_dir_conf));
}

/*
 * Runs on every request: it only picks pointers.  Most sections set no
 * CORS directive, and a merged configuration is never written to: then
 * one side is the answer.
 */
static void *cors_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    cors_dir_conf *base = basev, *add = addv, *conf;

    if (!add->set) {
        return base;
    }
    if (!base->set) {
        return add;
    }
    conf = apr_palloc(p, sizeof(*conf));
    conf->set = 1;
#define CORS_PICK(f) conf->f = add->f ? add->f : base->f
    CORS_PICK(origins);
    CORS_PICK(methods);
    CORS_PICK(headers);
    CORS_PICK(expose);
    CORS_PICK(credentials);
    CORS_PICK(max_age);
    CORS_PICK(private_network);
    CORS_PICK(preflight_status);
    CORS_PICK(protect);
#undef CORS_PICK
    return conf;
}

/*
 * A warning that a visitor can make happen again and again (a .htaccess
 * is read for every request) is logged once per child and key.
 */
static int cors_first_time(const char *key)
{
    int first = 1;

    if (cors_warned == NULL) {
        /* at startup the caller logs once; a child without a registry
         * stays quiet */
        return !cors_in_child;
    }
#if APR_HAS_THREADS
    apr_thread_mutex_lock(cors_warned_lock);
#endif
    if (apr_hash_get(cors_warned, key, APR_HASH_KEY_STRING)
        || apr_hash_count(cors_warned) >= CORS_WARNED_MAX) {
        first = 0;
    }
    else {
        apr_pool_t *p = apr_hash_pool_get(cors_warned);
        const char *copy = apr_pstrdup(p, key);

        apr_hash_set(cors_warned, copy, APR_HASH_KEY_STRING, copy);
    }
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(cors_warned_lock);
#endif
    return first;
}

/* Where the directive being read is: its file and line. */
static void cors_where_set(cmd_parms *cmd, cors_where *w)
{
    w->directive = cmd->cmd->name;
    w->file = cmd->directive ? cmd->directive->filename : "(unknown)";
    w->line = cmd->directive ? cmd->directive->line_num : 0;
}

/*
 * Configuration warnings are kept until post_config, when the error log
 * is open, and printed by test_config for "apachectl -t".  A .htaccess
 * file is read while serving: its warnings go to the log at once, once
 * per child and line.
 */
static void cors_warn(cmd_parms *cmd, const char *msg)
{
    apr_array_header_t *warnings = NULL;
    cors_where w;
    const char *line;

    cors_where_set(cmd, &w);
    line = apr_psprintf(cmd->pool, "CORS001: %s:%d: %s: %s", w.file, w.line,
                        w.directive, msg);
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_RUN_MPM) {
        if (cors_first_time(line)) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server, "%s",
                         line);
        }
        return;
    }
    apr_pool_userdata_get((void **)&warnings, "cors_warnings", cmd->pool);
    if (warnings == NULL) {
        warnings = apr_array_make(cmd->pool, 4, sizeof(const char *));
        apr_pool_userdata_setn(warnings, "cors_warnings", NULL, cmd->pool);
    }
    APR_ARRAY_PUSH(warnings, const char *) = line;
}

/*
 * Checks every directive shares: a policy is per URL, so a directive
 * inside <Limit> or <LimitExcept> would silently widen or drop it; and
 * values are separated by spaces, never commas.
 */
static const char *cors_check_context(cmd_parms *cmd, void *dconf,
                                      const char *arg)
{
    ((cors_dir_conf *)dconf)->set = 1;
    if (cmd->limited != -1) {
        return apr_psprintf(cmd->pool, "%s cannot be used inside <Limit> or "
                            "<LimitExcept>: a CORS policy applies to every "
                            "method of a URL (a preflight is always "
                            "OPTIONS); move it out of the section",
                            cmd->cmd->name);
    }
    if (arg && strchr(arg, ',')) {
        return apr_psprintf(cmd->pool, "%s: '%s' contains a comma: separate "
                            "values with spaces, not commas (e.g. "
                            "CORSAllowMethods PUT DELETE)", cmd->cmd->name,
                            arg);
    }
    return NULL;
}

/* A single-valued directive's value, with where it was set. */
static cors_value *cors_value_make(cmd_parms *cmd, int value,
                                   const char *text)
{
    cors_value *v = apr_palloc(cmd->pool, sizeof(*v));

    v->value = value;
    v->text = text;
    cors_where_set(cmd, &v->where);
    return v;
}

static int cors_origins_empty(const cors_origins *o)
{
    return !o->any && !o->null && !o->set->count && !o->suffix_set->count
        && !o->regexes->nelts;
}

/* Per request: o->allows is cors_origins_empty() worked out when read. */
static int cors_has_origins(const cors_dir_conf *conf)
{
    return conf->origins && conf->origins->allows;
}

static int cors_active(const cors_dir_conf *conf)
{
    return cors_has_origins(conf)
        || (conf->protect && conf->protect->value != CORS_PROTECT_OFF);
}

/* The section a directive is in, "file:line", for counters and warnings. */
static const char *cors_section(cmd_parms *cmd)
{
    const ap_directive_t *d = cmd->directive;

    if (d == NULL) {
        return "(unknown)";
    }
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_RUN_MPM) {
        return d->filename;     /* a .htaccess file */
    }
    if (d->parent) {
        d = d->parent;
    }
    return apr_psprintf(cmd->pool, "%s:%d", d->filename, d->line_num);
}

static cors_origins *cors_origins_get(cmd_parms *cmd, cors_dir_conf *conf)
{
    cors_origins *o = conf->origins;

    if (o == NULL) {
        o = conf->origins = apr_pcalloc(cmd->pool, sizeof(*o));
        o->set = cors_set_make(cmd->pool);
        o->suffix_set = cors_set_make(cmd->pool);
        o->patterns = apr_array_make(cmd->pool, 4, sizeof(cors_pattern));
        o->regexes = apr_array_make(cmd->pool, 2, sizeof(cors_regex));
        o->section = cors_section(cmd);
        o->slot = ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_RUN_MPM
                  ? 0 : cors_diag_slot(cmd->pool, o->section);
        cors_where_set(cmd, &o->where);
    }
    return o;
}

/*
 * Keep the values as written, for messages ("which allows ..."), up to
 * the CORS_TEXT_MAX bytes they show: a section may list thousands of
 * origins, and copying the whole text at each would cost their square.
 */
#define CORS_TEXT_MAX 200

static void cors_origins_text(cmd_parms *cmd, cors_origins *o,
                              const char *arg)
{
    if (o->text == NULL) {
        o->text = apr_pstrdup(cmd->pool, arg);
    }
    else if (strlen(o->text) < CORS_TEXT_MAX) {
        o->text = apr_pstrcat(cmd->pool, o->text, " ", arg, NULL);
    }
    else if (o->text[strlen(o->text) - 1] != '.') {
        o->text = apr_pstrcat(cmd->pool, o->text, " ...", NULL);
    }
}

static int cors_credentials_on(const cors_dir_conf *conf)
{
    return conf->credentials && conf->credentials->value;
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
 * The combinations that would hand credentials to every origin, or open
 * the private network to every site, when set in one section.  Called
 * after each directive that takes part, so the order of lines within a
 * section does not matter.
 */
static const char *cors_check_section(cmd_parms *cmd,
                                      const cors_dir_conf *conf)
{
    const cors_origins *o = conf->origins;
    const char *clash = NULL;

    if (o && o->any && conf->private_network
        && conf->private_network->value) {
        return apr_psprintf(cmd->pool, "%s: CORSAllowPrivateNetwork On "
                            "cannot be combined with CORSAllowOrigin * in "
                            "one section: any site could reach the private "
                            "network; list the origins that may",
                            cmd->cmd->name);
    }
    if (!cors_credentials_on(conf)) {
        return NULL;
    }
    if (o && o->unsafe) {
        clash = o->unsafe;
    }
    else if (conf->expose && conf->expose->star) {
        clash = "CORSExposeHeaders *";
    }
    if (clash) {
        return apr_psprintf(cmd->pool, "%s: CORSAllowCredentials On cannot "
                            "be combined with %s in one section: list the "
                            "origins that may send credentials, e.g. "
                            "CORSAllowOrigin https://app.example.com",
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
    cors_origins *o;
    cors_pattern pat;
    const char *err = cors_check_context(cmd, dconf, arg);

    if (err) {
        return err;
    }
    o = cors_origins_get(cmd, conf);
    if (!strcasecmp(arg, "none")) {
        if (!cors_origins_empty(o)) {
            return cors_conflict(cmd, arg);
        }
        o->none = 1;
        cors_origins_text(cmd, o, "none");
        return NULL;
    }
    if (o->none) {
        return cors_conflict(cmd, "none");
    }
    if (!strcmp(arg, "*")) {
        if (!cors_origins_empty(o)) {
            return cors_conflict(cmd, arg);
        }
        o->any = o->allows = 1;
        o->unsafe = "CORSAllowOrigin *";
        cors_origins_text(cmd, o, arg);
        return cors_check_section(cmd, conf);
    }
    if (o->any) {
        return cors_conflict(cmd, "*");
    }
    cors_origins_text(cmd, o, arg);
    if (!strcmp(arg, "null")) {
        o->null = o->allows = 1;
        if (!o->unsafe) {
            o->unsafe = "CORSAllowOrigin null (any page can send it)";
        }
        if (!cors_credentials_on(conf)) {
            cors_warn(cmd, "'null' is the origin of sandboxed frames, "
                      "data: URLs and local files: any page can send it");
        }
        return cors_check_section(cmd, conf);
    }

    err = cors_pattern_parse(cmd->pool, arg, &pat);
    if (err) {
        return apr_psprintf(cmd->pool, "%s: invalid origin '%s': %s",
                            cmd->cmd->name, arg, err);
    }
    APR_ARRAY_PUSH(o->patterns, cors_pattern) = pat;
    o->allows = 1;
    /* checked once here: a policy may list thousands of origins */
    if (cors_pattern_under_public_suffix(&pat)) {
        cors_set_add(cmd->pool, o->suffix_set, &pat);
        if (!o->unsafe) {
            o->unsafe = apr_psprintf(cmd->pool, "CORSAllowOrigin %s (%s is "
                                     "a public suffix)",
                                     cors_pattern_unparse(cmd->pool, &pat),
                                     pat.host + 1);
        }
        if (!cors_credentials_on(conf)) {
            cors_warn(cmd, apr_psprintf(cmd->pool, "'%s' allows every site "
                      "under the public suffix %s", arg, pat.host + 1));
        }
    }
    else {
        cors_set_add(cmd->pool, o->set, &pat);
    }
    if (cors_credentials_on(conf)) {
        cors_warn_http_credentials(cmd, &pat);
    }
    return cors_check_section(cmd, conf);
}

/*
 * A match counts only if it spans the whole value: the anchors alone do
 * not hold against a verb such as (*ACCEPT).  A match that hits the
 * limits counts as none (*limited says so).
 */
static int cors_regex_matches(const ap_regex_t *re, const char *s,
                              int *limited)
{
    ap_regmatch_t m[1];
    int rc = ap_regexec(re, s, 1, m, 0);

    if (rc != 0) {
        *limited = rc != AP_REG_NOMATCH;
        return 0;
    }
    *limited = 0;
    return m[0].rm_so == 0 && (apr_size_t)m[0].rm_eo == strlen(s);
}

/* Why a regex does not compile, in PCRE's own words where possible. */
static const char *cors_regex_error(cmd_parms *cmd, const char *arg)
{
#ifdef CORS_HAVE_PCRE2
    int code;
    PCRE2_SIZE offset;
    PCRE2_UCHAR msg[256];
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)arg, PCRE2_ZERO_TERMINATED,
                                   PCRE2_CASELESS, &code, &offset, NULL);

    if (re == NULL) {
        pcre2_get_error_message(code, msg, sizeof(msg));
        return apr_psprintf(cmd->pool, "%s: regex '%s' does not compile: "
                            "%s at offset %d", cmd->cmd->name, arg,
                            (const char *)msg, (int)offset);
    }
    pcre2_code_free(re);
#elif defined(CORS_HAVE_PCRE1)
    const char *msg;
    int offset;
    pcre *re = pcre_compile(arg, PCRE_CASELESS, &msg, &offset, NULL);

    if (re == NULL) {
        return apr_psprintf(cmd->pool, "%s: regex '%s' does not compile: "
                            "%s at offset %d", cmd->cmd->name, arg, msg,
                            offset);
    }
    pcre_free(re);
#endif
    return apr_psprintf(cmd->pool, "%s: regex '%s' does not compile (a "
                        "start-of-pattern option such as (*UTF) cannot be "
                        "used either)", cmd->cmd->name, arg);
}

/*
 * Probe a regex with origins no policy means to allow: unrelated sites
 * (it would then allow every site) and lookalikes of the host it names.
 * Returns why it must never get credentials, or NULL.
 */
static const char *cors_probe_regex(cmd_parms *cmd, const cors_regex *cr)
{
    apr_array_header_t *probes;
    const char *host, *why;
    int i, limited;

    for (i = 0; cors_canary_origins[i]; i++) {
        if (cors_regex_matches(cr->re, cors_canary_origins[i], &limited)) {
            return apr_psprintf(cmd->pool, "CORSAllowOriginMatch %s (it "
                                "matches the unrelated origin %s, so it "
                                "allows any site)", cr->text,
                                cors_canary_origins[i]);
        }
    }
    why = cors_regex_probes(cmd->pool, cr->text, &host, &probes);
    if (why) {
        cors_warn(cmd, apr_psprintf(cmd->pool, "regex '%s' is not probed "
                  "for lookalike origins: %s%s", cr->text, why,
                  strstr(cr->text, "://") ? ""
                  : " (it is matched against the whole "
                    "scheme://host[:port], so a host-only regex never "
                    "matches)"));
        return NULL;
    }
    for (i = 0; i < probes->nelts; i++) {
        const char *probe = APR_ARRAY_IDX(probes, i, const char *);

        if (cors_regex_matches(cr->re, probe, &limited)) {
            return apr_psprintf(cmd->pool, "CORSAllowOriginMatch %s (it "
                                "lets the lookalike origin %s through)",
                                cr->text, probe);
        }
    }
    return NULL;
}

static const char *cors_set_origin_match(cmd_parms *cmd, void *dconf,
                                         const char *arg)
{
    cors_dir_conf *conf = dconf;
    cors_origins *o;
    cors_regex *cr;
    const char *err = cors_check_context(cmd, dconf, NULL);

    if (err) {
        return err;
    }
    o = cors_origins_get(cmd, conf);
    if (o->any || o->none) {
        return cors_conflict(cmd, o->any ? "*" : "none");
    }
    cr = apr_array_push(o->regexes);
    cr->text = arg;
    cors_where_set(cmd, &cr->where);
    /*
     * The regex must compile on its own before it is anchored, or a
     * stray ")" could escape the anchors: "a)|(.*" would match anything.
     */
    cr->re = ap_pregcomp(cmd->pool, arg, AP_REG_ICASE);
    if (cr->re) {
        cr->re = ap_pregcomp(cmd->pool, apr_pstrcat(cmd->pool,
                             CORS_REGEX_LIMITS "^(?:", arg, ")$", NULL),
                             AP_REG_ICASE);
    }
    if (cr->re == NULL) {
        return cors_regex_error(cmd, arg);
    }
    o->allows = 1;
    cors_origins_text(cmd, o, arg);
    if (!strstr(arg, "://")) {
        cors_warn(cmd, apr_psprintf(cmd->pool, "regex '%s' has no '://': "
                  "it is matched against the whole scheme://host[:port], "
                  "so a host-only regex never matches", arg));
    }
    cr->unsafe = cors_probe_regex(cmd, cr);
    if (cr->unsafe) {
        if (!o->unsafe) {
            o->unsafe = cr->unsafe;
        }
        if (!cors_credentials_on(conf) && strstr(cr->unsafe, "lookalike")) {
            cors_warn(cmd, cr->unsafe);
        }
    }
    return cors_check_section(cmd, conf);
}

/* One value of CORSAllowMethods, CORSAllowHeaders or CORSExposeHeaders. */
static const char *cors_list_add(cmd_parms *cmd, cors_dir_conf *conf,
                                 cors_list **slot, const char *arg,
                                 int methods)
{
    cors_list *list = *slot;
    const char *joined, *err = cors_check_context(cmd, conf, arg);

    if (err) {
        return err;
    }
    if (list == NULL) {
        list = *slot = apr_pcalloc(cmd->pool, sizeof(*list));
        list->names = apr_array_make(cmd->pool, 4, sizeof(const char *));
        cors_where_set(cmd, &list->where);
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
    else if (cors_method_is_forbidden(arg)) {
        return apr_psprintf(cmd->pool, "%s: '%s' is a forbidden method: "
                            "browsers never send it cross-origin",
                            cmd->cmd->name, arg);
    }
    else if (!cors_method_listed(list->names, cors_method_normalize(arg))) {
        APR_ARRAY_PUSH(list->names, const char *) =
            cors_method_normalize(arg);
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
    return NULL;
}

static const char *cors_set_methods(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    cors_dir_conf *conf = dconf;

    return cors_list_add(cmd, conf, &conf->methods, arg, 1);
}

static const char *cors_set_headers(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    cors_dir_conf *conf = dconf;

    return cors_list_add(cmd, conf, &conf->headers, arg, 0);
}

static const char *cors_set_expose(cmd_parms *cmd, void *dconf,
                                   const char *arg)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_list_add(cmd, conf, &conf->expose, arg, 0);

    return err ? err : cors_check_section(cmd, conf);
}

static const char *cors_set_credentials(cmd_parms *cmd, void *dconf,
                                        int flag)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_check_context(cmd, dconf, NULL);
    int i;

    if (err) {
        return err;
    }
    conf->credentials = cors_value_make(cmd, flag, flag ? "On" : "Off");
    if (flag && conf->origins) {
        for (i = 0; i < conf->origins->patterns->nelts; i++) {
            cors_warn_http_credentials(cmd, &APR_ARRAY_IDX(
                                       conf->origins->patterns, i,
                                       cors_pattern));
        }
    }
    return cors_check_section(cmd, conf);
}

static const char *cors_set_max_age(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    cors_dir_conf *conf = dconf;
    apr_size_t len = strlen(arg);
    const char *err = cors_check_context(cmd, dconf, arg);
    int seconds;

    if (err) {
        return err;
    }
    if (len == 0 || len > 5 || strspn(arg, "0123456789") != len
        || atoi(arg) > 86400) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a whole number of "
                            "seconds from 0 to 86400", cmd->cmd->name, arg);
    }
    seconds = atoi(arg);
    if (seconds > 7200) {
        cors_warn(cmd, apr_psprintf(cmd->pool, "%d seconds: Chromium caps "
                  "the preflight cache at 7200 seconds (Firefox at 86400)",
                  seconds));
    }
    conf->max_age = cors_value_make(cmd, seconds,
                                    apr_itoa(cmd->pool, seconds));
    return NULL;
}

static const char *cors_set_private_network(cmd_parms *cmd, void *dconf,
                                            int flag)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_check_context(cmd, dconf, NULL);

    if (err) {
        return err;
    }
    conf->private_network = cors_value_make(cmd, flag, flag ? "On" : "Off");
    return cors_check_section(cmd, conf);
}

static const char *cors_set_preflight_status(cmd_parms *cmd, void *dconf,
                                             const char *arg)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_check_context(cmd, dconf, arg);

    if (err) {
        return err;
    }
    if (strcmp(arg, "204") && strcmp(arg, "200")) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not 204 or 200",
                            cmd->cmd->name, arg);
    }
    conf->preflight_status = cors_value_make(cmd, atoi(arg), arg);
    return NULL;
}

static const char *cors_set_protection(cmd_parms *cmd, void *dconf,
                                       const char *arg)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_check_context(cmd, dconf, arg);
    int mode;

    if (err) {
        return err;
    }
    if (!strcasecmp(arg, "On")) {
        mode = CORS_PROTECT_ON;
    }
    else if (!strcasecmp(arg, "Off")) {
        mode = CORS_PROTECT_OFF;
    }
    else if (!strcasecmp(arg, "ReportOnly")) {
        mode = CORS_PROTECT_REPORT;
    }
    else {
        return apr_psprintf(cmd->pool, "%s: '%s' is not On, Off or "
                            "ReportOnly", cmd->cmd->name, arg);
    }
    conf->protect = cors_value_make(cmd, mode, mode == CORS_PROTECT_ON ? "On"
                                    : mode ? "ReportOnly" : "Off");
    return NULL;
}

static const command_rec cors_cmds[] =
{
    AP_INIT_ITERATE("CORSAllowOrigin", cors_set_origin, NULL, OR_FILEINFO,
                    "none, *, or origins such as https://app.example.com, "
                    "https://*.example.com, http://localhost:*, null"),
    AP_INIT_TAKE1("CORSAllowOriginMatch", cors_set_origin_match, NULL,
                  OR_FILEINFO, "a regex matched against the whole Origin"),
    AP_INIT_ITERATE("CORSAllowMethods", cors_set_methods, NULL, OR_FILEINFO,
                    "* or methods a preflight may ask for"),
    AP_INIT_ITERATE("CORSAllowHeaders", cors_set_headers, NULL, OR_FILEINFO,
                    "* or request headers a preflight may ask for"),
    AP_INIT_ITERATE("CORSExposeHeaders", cors_set_expose, NULL, OR_FILEINFO,
                    "* or response headers scripts may read"),
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
    AP_INIT_TAKE1("CORSCrossOriginProtection", cors_set_protection, NULL,
                  OR_FILEINFO, "On, Off or ReportOnly: refuse cross-site "
                  "unsafe requests before they reach the application"),
    {NULL}
};

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
                     "CORS002: %s:%d: CORSAllowOriginMatch '%s' hit its "
                     "match limit on an Origin; counted as no match (logged "
                     "once per child)", cr->where.file, cr->where.line,
                     cr->text);
    }
}

/*
 * How the origin set judges an Origin value.  The syntax check comes
 * before any "*." pattern or regex, so they never see a value a browser
 * would not send; the exact-origin hash is looked up first because a
 * value found there is valid by construction.  Patterns that may get
 * credentials are tried before those that may not.  "*" is the caller's.
 */
static int cors_judge_origin(const cors_origins *o, const char *origin)
{
    apr_size_t len = strlen(origin);
    cors_origin parsed;
    int i, unsafe = 0, limited;

    if (cors_set_match_exact(o->set, origin, len)) {
        return CORS_ORIGIN_ALLOWED;
    }
    if (!cors_origin_parse(origin, len, &parsed)) {
        return CORS_ORIGIN_MALFORMED;
    }
    if (parsed.is_null) {
        /* regexes never see "null": only CORSAllowOrigin null allows it */
        return o->null ? CORS_ORIGIN_UNSAFE : CORS_ORIGIN_DENIED;
    }
    if (cors_set_match(o->set, &parsed)) {
        return CORS_ORIGIN_ALLOWED;
    }
    unsafe = cors_set_match(o->suffix_set, &parsed);
    for (i = 0; i < o->regexes->nelts; i++) {
        const cors_regex *cr = &APR_ARRAY_IDX(o->regexes, i, cors_regex);

        if (cr->unsafe && unsafe) {
            continue;
        }
        if (cors_regex_matches(cr->re, origin, &limited)) {
            if (!cr->unsafe) {
                return CORS_ORIGIN_ALLOWED;
            }
            unsafe = 1;
        }
        else if (limited) {
            cors_warn_limit(cr);
        }
    }
    return unsafe ? CORS_ORIGIN_UNSAFE : CORS_ORIGIN_DENIED;
}

/*
 * Cross-origin protection (docs/mod_cors.html#protection), after Go's
 * net/http.CrossOriginProtection.  Returns NULL if the request passes,
 * else why it is refused.
 */
static const char *cors_protect_refuses(const cors_dir_conf *conf,
                                        const cors_input *in, int *verdict)
{
    const char *sfs = in->sec_fetch_site, *host = in->host, *o = in->origin;
    cors_origin parsed;

    /* a WebSocket handshake carries cookies to any origin: unsafe */
    if (cors_method_is_safe(in->method)
        && !(in->upgrade && ap_find_token(NULL, in->upgrade, "websocket"))) {
        return NULL;
    }
    if (o && cors_has_origins(conf) && strcmp(o, "null")
        && !conf->origins->any) {
        *verdict = cors_judge_origin(conf->origins, o);
        if (*verdict == CORS_ORIGIN_ALLOWED
            || *verdict == CORS_ORIGIN_UNSAFE) {
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
 * two reasons for NULL apart.  *verdict is the origin's judgement when
 * cross-origin protection has made it already (else -1).
 */
static const char *cors_allow_origin(const cors_dir_conf *conf,
                                     const char *origin, int verdict,
                                     int *unsafe, int *malformed)
{
    int v = verdict;

    if (conf->origins->any) {
        *unsafe = 1;
        return "*";
    }
    if (v < 0) {
        v = cors_judge_origin(conf->origins, origin);
    }
    *unsafe = v == CORS_ORIGIN_UNSAFE;
    if (v == CORS_ORIGIN_ALLOWED || v == CORS_ORIGIN_UNSAFE) {
        return origin;
    }
    *malformed = v == CORS_ORIGIN_MALFORMED;
    return NULL;
}

/*
 * Credentials are never granted beside "*", "null", a public suffix or a
 * regex that fails probing, even when they meet through inheritance.
 */
static int cors_credentials(const cors_dir_conf *conf, int unsafe,
                            cors_decision *d)
{
    if (!cors_credentials_on(conf)) {
        return 0;
    }
    if (unsafe) {
        d->withheld = conf->origins->unsafe;
        return 0;
    }
    return 1;
}

static void cors_decided_by(cors_decision *d, const char *directive,
                            const cors_where *by, const char *allows)
{
    d->directive = directive;
    d->by = by;
    d->allows = allows;
}

static void cors_decide_preflight(apr_pool_t *p, const cors_dir_conf *conf,
                                  const cors_input *in, int verdict,
                                  cors_decision *d)
{
    const cors_list *methods = conf->methods, *headers = conf->headers;
    const char *method = in->acrm, *acrh = in->acrh, *bad;
    apr_size_t badlen;
    int credentials, unsafe = 0, malformed = 0;

    d->vary = CORS_PREFLIGHT_VARY;
    d->nfields = CORS_NFIELDS;
    cors_decided_by(d, "CORSAllowOrigin", &conf->origins->where,
                    conf->origins->text);
    d->field[CORS_ACAO] = cors_allow_origin(conf, in->origin, verdict,
                                            &unsafe, &malformed);
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
                        : "GET, HEAD and POST only (not set)");
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
                        : "the CORS-safelisted headers only (not set)");
        goto denied;
    }
    if (in->acrpn && !strcmp(in->acrpn, "true")) {
        if (!conf->private_network || !conf->private_network->value) {
            d->note = CORS_NOTE_PREFLIGHT_PNA;
            cors_decided_by(d, "CORSAllowPrivateNetwork",
                            conf->private_network
                            ? &conf->private_network->where : NULL, "Off");
            goto denied;
        }
        d->field[CORS_ACAPN] = "true";
    }

    /* With credentials, browsers read "*" as a name: echo the request. */
    credentials = cors_credentials(conf, unsafe, d);
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
    int unsafe = 0, malformed = 0;

    d->nfields = CORS_NACTUAL;
    cors_decided_by(d, "CORSAllowOrigin", &conf->origins->where,
                    conf->origins->text);
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
            d->field[CORS_ACAO] = cors_allow_origin(conf, in->origin,
                                                    verdict, &unsafe,
                                                    &malformed);
        }
        if (d->field[CORS_ACAO] && cors_credentials(conf, unsafe, d)) {
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
 * The one decision for a request, for real requests and the policy
 * checker alike.  d->note stays CORS_NOTE_UNSET where the module does
 * nothing.
 */
void cors_decide(apr_pool_t *p, const cors_dir_conf *conf,
                 const cors_input *in, cors_decision *d)
{
    int report = 0, verdict = -1;

    memset(d, 0, sizeof(*d));
    d->note = CORS_NOTE_UNSET;
    /* httpd's own answer (a 400, a Redirect) reached no handler: nothing
     * for cross-origin protection to stop */
    if (!in->unanswered && conf->protect
        && conf->protect->value != CORS_PROTECT_OFF) {
        const char *why = cors_protect_refuses(conf, in, &verdict);

        if (why) {
            d->offending = why;
            cors_decided_by(d, "CORSCrossOriginProtection",
                            &conf->protect->where, conf->protect->text);
            if (conf->protect->value == CORS_PROTECT_ON) {
                d->note = CORS_NOTE_PROTECT_REFUSED;
                d->refused = d->write = 1;
                d->vary = CORS_PROTECT_VARY;
                return;
            }
            report = 1;
        }
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
                        &conf->protect->where, conf->protect->text);
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
static void cors_read_input(request_rec *r, const cors_dir_conf *conf,
                            cors_input *in)
{
    const apr_array_header_t *arr = apr_table_elts(r->headers_in);
    const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
    /* r->method is NULL, and r->method_number M_GET, where httpd could not
     * read the request line: such a request is neither */
    int preflight = r->method && r->method_number == M_OPTIONS;
    int upgrade = 0, i;

    memset(in, 0, sizeof(*in));
    in->method = r->method;
    if (conf->protect && conf->protect->value != CORS_PROTECT_OFF) {
        /* Sec-Fetch-Site and Host come from here when a step needs them;
         * only a GET can be a WebSocket handshake (HTTP/2's extended
         * CONNECT reaches httpd as one) */
        in->headers = r->headers_in;
        upgrade = r->method && r->method_number == M_GET;
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
        else if (c == 'u' && upgrade && !in->upgrade
                 && (k[1] | 0x20) == 'p'    /* not User-Agent */
                 && cors_field_is(k, "Upgrade", "upgrade")) {
            in->upgrade = v;
        }
    }
}

/* Credentials were withheld beside an unsafe pattern: say so once per
 * child and section. */
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
                      "child)", conf->credentials->where.file,
                      conf->credentials->where.line, conf->origins->unsafe,
                      conf->origins->section,
                      ap_escape_logitem(r->pool, r->uri));
    }
}

/*
 * The decision's log line: at info when something was refused, at debug
 * otherwise (docs/mod_cors.html#logging).
 */
static void cors_log_decision(request_rec *r, const cors_input *in,
                              const cors_decision *d)
{
    int level = CORS_NOTE_IS_DENIAL(d->note) || d->offending
                || d->note == CORS_NOTE_PREFLIGHT_UNANSWERED ? APLOG_INFO
                                                             : APLOG_DEBUG;
    /* NULL where httpd could not read the request line */
    const char *method = r->method ? r->method : "-";
    const char *uri = r->uri ? r->uri : "-";

    if (d->note == CORS_NOTE_PREFLIGHT_UNANSWERED) {
        const char *location = apr_table_get(r->headers_out, "Location");

        if (location == NULL) {
            location = apr_table_get(r->err_headers_out, "Location");
        }
        ap_log_rerror(APLOG_MARK, level, 0, r, "CORS004: %.20s %.300s from "
                      "'%.300s': %s: httpd answered %d%s%.300s%s before "
                      "mod_cors could, so the browser fails this preflight; "
                      "set the policy where the URL is served "
                      "(docs/mod_cors.html#limits)", method, uri, in->origin,
                      cors_note_names[d->note], r->status,
                      location ? " (Location: " : "",
                      location ? location : "", location ? ")" : "");
        return;
    }
    /* httpd escapes what a message contains; cut it short here */
    ap_log_rerror(APLOG_MARK, level, 0, r, "CORS004: %.20s %.300s from "
                  "'%.300s': %s%s%.200s%s; decided by %s %s, which allows "
                  "'%.200s'", method, uri, in->origin,
                  cors_note_names[d->note], d->offending ? " (" : "",
                  d->offending ? d->offending : "",
                  d->offending ? ")" : "", d->directive,
                  d->by ? apr_psprintf(r->pool, "at %s:%d", d->by->file,
                                       d->by->line)
                        : "(not set)",
                  d->allows ? d->allows : "");
}

/* Set the note, count the decision and log it. */
static void cors_record(request_rec *r, const cors_dir_conf *conf,
                        const cors_input *in, const cors_decision *d)
{
    /* made once per request: nothing to replace; internal redirects made
     * since get it too (cors_log_transaction, for those made later) */
    request_rec *rr;

    for (rr = r; rr; rr = rr->next) {
        apr_table_addn(rr->notes, "CORS", cors_note_names[d->note]);
    }
    cors_diag_count(conf, d->note);
    if (d->withheld) {
        cors_warn_withheld(r, conf);
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
        cors_record(r, conf, &in, d);
    }
    return d;
}

/* The decision for a request, made once; NULL where no header is written. */
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
    return d->write ? d : NULL;
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
 * A handler, CGI script or proxied backend may set Access-Control-* fields
 * of its own, so the filter writes the headers after it.
 */
static void cors_insert_filter(request_rec *r)
{
    cors_decision *d;

    /* a subrequest's headers are overlaid onto its parent's */
    if (!r->main && (d = cors_decision_of(r)) != NULL) {
        ap_add_output_filter_handle(cors_filter_handle, d, r, r->connection);
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

/*
 * A refusal is the module's own short 403: no ErrorDocument (a CGI, a
 * redirect) runs for it, since it must never reach application code.
 */
static int cors_forbid(request_rec *r, const char *why)
{
    ap_custom_response(r, HTTP_FORBIDDEN, why);
    return HTTP_FORBIDDEN;
}

static int cors_post_perdir(request_rec *r)
{
    const cors_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                     &cors_module);
    const cors_decision *d;

    if (r->main || r->prev || !cors_active(conf)) {
        return DECLINED;
    }
    d = cors_decide_request(r, conf, 0);
    if (d->note == CORS_NOTE_UNSET) {
        return DECLINED;
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

/*
 * An internal redirect made after the decision (a local ErrorDocument, a
 * script's local Location, a RewriteRule in .htaccess) starts with fresh
 * notes, and %{CORS}n reads the last request's: give each the original's
 * note before mod_log_config runs.
 */
static int cors_log_transaction(request_rec *r)
{
    const char *note;
    request_rec *rr;

    if (r->next == NULL || (note = apr_table_get(r->notes, "CORS")) == NULL) {
        return DECLINED;
    }
    for (rr = r->next; rr; rr = rr->next) {
        apr_table_setn(rr->notes, "CORS", note);
    }
    return DECLINED;
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
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "CORS005: mod_cors/"
                     MOD_CORS_VERSION " configured");
        cors_log_warnings(pconf, s);
    }
    return OK;
}

static void cors_test_config(apr_pool_t *pconf, server_rec *s)
{
    cors_log_warnings(pconf, s);
}

static void cors_child_init(apr_pool_t *p, server_rec *s)
{
    apr_allocator_t *allocator;
    apr_pool_t *pool;

    cors_in_child = 1;
    cors_warned = NULL;
#if APR_HAS_THREADS
    if (apr_thread_mutex_create(&cors_warned_lock, APR_THREAD_MUTEX_DEFAULT,
                                p) != APR_SUCCESS) {
        return;
    }
#endif
    if (apr_allocator_create(&allocator) != APR_SUCCESS) {
        return;
    }
    /* a child of p, so that it goes with the child */
    if (apr_pool_create_ex(&pool, p, NULL, allocator) != APR_SUCCESS) {
        apr_allocator_destroy(allocator);
        return;
    }
    apr_allocator_owner_set(allocator, pool);
    cors_warned = apr_hash_make(pool);
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
    ap_hook_post_perdir_config(cors_post_perdir, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_insert_filter(cors_insert_filter, after_headers, NULL,
                          APR_HOOK_LAST);
    /* last of all: it looks at what the other error hooks inserted */
    ap_hook_insert_error_filter(cors_insert_error_filter, after_headers,
                                NULL, APR_HOOK_REALLY_LAST);
    ap_hook_pre_config(cors_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(cors_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_test_config(cors_test_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(cors_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    /* before mod_log_config writes the access log */
    ap_hook_log_transaction(cors_log_transaction, NULL, NULL,
                            APR_HOOK_REALLY_FIRST);
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
