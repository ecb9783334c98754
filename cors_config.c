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
 * cors_config: the directives (docs/mod_cors.html#directives) -- one
 * handler each, the command table, create and merge -- and everything
 * worked out when they are read: origin sets, regexes compiled under
 * their limits, their domain sets and probes, every check and warning
 * about a policy (kept as records for the log and DUMP_CORS), the
 * numbered policy sections, the warn-once registry and the memo of a
 * child (what .htaccess lines give, by their text), and the startup
 * hooks that log.
 *
 * Calls cors_match only.  cors_decide, cors_diag and mod_cors call it.
 */

#include "apr_allocator.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_main.h"

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

APLOG_USE_MODULE(cors);

/*
 * Every regex runs under these limits (docs/mod_cors.html#safety): a
 * match that hits one fails instead of burning the CPU.  PCRE2 and PCRE
 * 8.33+ read them at the start of a pattern; they can only lower the
 * library's own limits.
 */
#define CORS_REGEX_LIMITS "(*LIMIT_MATCH=10000)(*LIMIT_RECURSION=1000)"

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

static cors_sections *cors_sections_get(apr_pool_t *pconf)
{
    cors_sections *secs = NULL;

    apr_pool_userdata_get((void **)&secs, "cors_sections", pconf);
    if (secs == NULL) {
        secs = apr_palloc(pconf, sizeof(*secs));
        secs->names = apr_array_make(pconf, 16, sizeof(const char *));
        secs->slots = apr_hash_make(pconf);
        APR_ARRAY_PUSH(secs->names, const char *) = ".htaccess";
        apr_pool_userdata_setn(secs, "cors_sections", NULL, pconf);
    }
    return secs;
}

/* Every CORSAllowOriginFile line, for their counters and DUMP_CORS. */
const apr_array_header_t *cors_config_files(apr_pool_t *pconf)
{
    apr_array_header_t *files = NULL;

    apr_pool_userdata_get((void **)&files, "cors_files", pconf);
    if (files == NULL) {
        files = apr_array_make(pconf, 4, sizeof(cors_origin_file *));
        apr_pool_userdata_setn(files, "cors_files", NULL, pconf);
    }
    return files;
}

/*
 * Policy sections numbered for their denial counters (cors_diag), kept in
 * pconf: built anew with each reading of the configuration.
 */
const cors_sections *cors_config_sections(apr_pool_t *pconf)
{
    return cors_sections_get(pconf);
}

static int cors_section_slot(apr_pool_t *pconf, const char *section)
{
    cors_sections *secs = cors_sections_get(pconf);
    apr_size_t slot = (apr_size_t)apr_hash_get(secs->slots, section,
                                               APR_HASH_KEY_STRING);

    if (slot == 0) {
        APR_ARRAY_PUSH(secs->names, const char *) = section;
        slot = secs->names->nelts;
        apr_hash_set(secs->slots, section, APR_HASH_KEY_STRING,
                     (void *)slot);
    }
    return (int)slot - 1;
}

void *cors_create_dir_conf(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(cors_dir_conf));
}

/*
 * Runs on every request: it only picks pointers.  Most sections set no
 * CORS directive, and a merged configuration is never written to: then
 * one side is the answer.
 */
void *cors_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
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
#define CORS_PICK(f, type, writes) conf->f = add->f ? add->f : base->f;
    CORS_POLICY_FIELDS(CORS_PICK)
#undef CORS_PICK
    return conf;
}

/*
 * A warning that a visitor can make happen again and again (a .htaccess
 * is read for every request) is logged once per child and key.
 */
int cors_first_time(const char *key)
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

/*
 * httpd reads a tenant's .htaccess for every request.  What a directive
 * computes from its text alone -- a regex compiled, its domain set and
 * the warnings its text deserves; an origin pattern parsed and judged
 * against the public suffix list -- a child keeps, keyed by that text
 * (docs/performance.md#shared-hosting).  What depends on the file (its
 * file:line, the section's other lines) is worked out each time, so
 * messages, warnings and provenance stay those of each file.  At most
 * CORS_MEMO_ENTRIES entries and about CORS_MEMO_BYTES; past that, a text
 * is worked out each time, as at startup.
 */
#define CORS_MEMO_ENTRIES 10000
#define CORS_MEMO_BYTES ((apr_size_t)16 * 1024 * 1024)

/* Work out what a text gives, from p. */
typedef const void *(*cors_memo_make)(cmd_parms *cmd, apr_pool_t *p,
                                      const char *text);

/* The kinds of text the memo keeps, each a table: text -> what it gives. */
enum {
    CORS_MEMO_REGEX, CORS_MEMO_PATTERN,
    CORS_MEMO_METHODS, CORS_MEMO_HEADERS, CORS_MEMO_EXPOSE,    /* lines */
    CORS_MEMO_ORIGINS,                                          /* a line */
    CORS_MEMO_KINDS
};
static apr_hash_t *cors_memo_table[CORS_MEMO_KINDS];
/* About what an entry takes beside its text: PCRE's compiled form of an
 * origin regex is a few hundred bytes. */
static const apr_size_t cors_memo_size[CORS_MEMO_KINDS] = {
    1024, 128, 256, 256, 256, 1024
};
static apr_size_t cors_memo_bytes;
static int cors_memo_entries;
#if APR_HAS_THREADS
static apr_thread_mutex_t *cors_memo_lock;
#endif

/*
 * What text gives, from the child's memo when it is there; else worked
 * out now, from cmd->pool.  Made under the lock, from the memo's own
 * pool: each text once per child.  make must not call cors_memo: the
 * lock is not taken twice.
 */
/* An entry of the memo: the text it was made from, and what it gives. */
typedef struct {
    const char *text;
    const void *gives;
} cors_memo_entry;

/* Counts the memos made: a restart in one process (httpd -X) makes a
 * new one and frees the old. */
static int cors_memo_made;

#if defined(__GNUC__)
/* Each thread's last entry per kind: the same tenant's file comes back
 * request after request, and then no lock is taken.  An entry lives as
 * long as its memo (.of says which). */
static __thread struct {
    cors_memo_entry *entry[CORS_MEMO_KINDS];
    int of;
} cors_memo_last;
#endif

static const void *cors_memo(cmd_parms *cmd, int kind, const char *text,
                             cors_memo_make make)
{
    apr_hash_t *table = cors_memo_table[kind];
    apr_size_t len;
    cors_memo_entry *e;
#if defined(__GNUC__)
    __typeof__(cors_memo_last) *last = &cors_memo_last;  /* looked up once */
#endif

    if (table == NULL) {
        return make(cmd, cmd->pool, text);
    }
#if defined(__GNUC__)
    if (last->of != cors_memo_made) {
        memset(last, 0, sizeof(*last));
        last->of = cors_memo_made;
    }
    if ((e = last->entry[kind]) && !strcmp(e->text, text)) {
        return e->gives;
    }
#endif
    len = strlen(text);
#if APR_HAS_THREADS
    apr_thread_mutex_lock(cors_memo_lock);
#endif
    e = apr_hash_get(table, text, len);
    if (e == NULL && cors_memo_entries < CORS_MEMO_ENTRIES
        && cors_memo_bytes < CORS_MEMO_BYTES) {
        apr_pool_t *p = apr_hash_pool_get(table);

        e = apr_palloc(p, sizeof(*e));
        e->gives = make(cmd, p, text);
        e->text = apr_pstrmemdup(p, text, len);
        apr_hash_set(table, e->text, len, e);
        cors_memo_entries++;
        cors_memo_bytes += cors_memo_size[kind] + 4 * len;
    }
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(cors_memo_lock);
#endif
    if (e == NULL) {
        return make(cmd, cmd->pool, text);
    }
#if defined(__GNUC__)
    last->entry[kind] = e;
#endif
    return e->gives;
}

/* Where the directive being read is: its file and line. */
static void cors_where_set(cmd_parms *cmd, cors_where *w)
{
    w->directive = cmd->cmd->name;
    w->file = cmd->directive ? cmd->directive->filename : "(unknown)";
    w->line = cmd->directive ? cmd->directive->line_num : 0;
}

/* The warnings of this reading of the configuration, in pconf. */
const apr_array_header_t *cors_config_warnings(apr_pool_t *pconf)
{
    apr_array_header_t *warnings = NULL;

    apr_pool_userdata_get((void **)&warnings, "cors_warnings", pconf);
    return warnings;
}

/* A warning as its log line says it. */
static const char *cors_warning_line(apr_pool_t *p, const cors_warning *w)
{
    return apr_psprintf(p, "%s: %s:%d: %s: %s", w->tag, w->file, w->line,
                        w->directive, w->text);
}

/*
 * Configuration warnings are kept until post_config, when the error log
 * is open, and printed by test_config for "apachectl -t".  A .htaccess
 * file is read while serving: its warnings go to the log at once, once
 * per child and line.
 */
static void cors_warn(cmd_parms *cmd, const char *msg)
{
    apr_array_header_t *warnings;
    cors_warning w;
    cors_where where;

    cors_where_set(cmd, &where);
    w.tag = "CORS001";
    w.directive = where.directive;
    w.file = where.file;
    w.line = where.line;
    w.text = msg;
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_RUN_MPM) {
        const char *line = cors_warning_line(cmd->pool, &w);

        if (cors_first_time(line)) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server, "%s",
                         line);
        }
        return;
    }
    warnings = (apr_array_header_t *)cors_config_warnings(cmd->pool);
    if (warnings == NULL) {
        warnings = apr_array_make(cmd->pool, 4, sizeof(cors_warning));
        apr_pool_userdata_setn(warnings, "cors_warnings", NULL, cmd->pool);
    }
    APR_ARRAY_PUSH(warnings, cors_warning) = w;
}

/*
 * Every handler starts here: the section now sets a policy field (merge
 * reads that), and the checks every directive shares: a policy is per
 * URL, so a directive inside <Limit> or <LimitExcept> would silently
 * widen or drop it; and the values of a list are separated by spaces,
 * never commas (single values say what they accept themselves).
 */
static const char *cors_directive_begin(cmd_parms *cmd, void *dconf,
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
        /* the command table's usage text ends with the example */
        const char *eg = strstr(cmd->cmd->errmsg, "e.g. ");

        return apr_psprintf(cmd->pool, "%s: %s contains a comma: separate "
                            "values with spaces, not commas, e.g. %s %s.",
                            cmd->cmd->name, cors_quote(cmd->pool, arg, 0),
                            cmd->cmd->name,
                            eg ? eg + 5 : "");
    }
    return NULL;
}

/* On or Off, in any case; else a message naming the value. */
static const char *cors_on_off(cmd_parms *cmd, const char *arg, int *flag)
{
    if (!strcasecmp(arg, "On")) {
        *flag = 1;
    }
    else if (!strcasecmp(arg, "Off")) {
        *flag = 0;
    }
    else {
        return apr_psprintf(cmd->pool, "%s: %s is not On or Off; write "
                            "%s On or %s Off.", cmd->cmd->name,
                            cors_quote(cmd->pool, arg, 0),
                            cmd->cmd->name, cmd->cmd->name);
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
        && !o->regexes->nelts && !o->files;
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

/*
 * No patterns yet: what a new origin set shares until a pattern is added
 * (cors_origins_unshare), so that a section whose only line is a regex,
 * or a line read whole, makes no sets of its own.
 */
static const cors_origin_set cors_no_set;
static cors_pattern cors_no_pattern[1];
static const apr_array_header_t cors_no_patterns = {
    NULL, sizeof(cors_pattern), 0, 0, (char *)cors_no_pattern
};
static const char cors_no_line[] = "no pattern yet";

static cors_origins *cors_origins_get(cmd_parms *cmd, cors_dir_conf *conf)
{
    cors_origins *o = conf->origins;

    if (o == NULL) {
        /* one allocation: a tenant's .htaccess makes it on every request */
        struct {
            cors_origins o;
            apr_array_header_t regexes;
            cors_regex regex[1];
        } *block = apr_pcalloc(cmd->pool, sizeof(*block));

        o = conf->origins = &block->o;
        o->set = o->suffix_set = (cors_origin_set *)&cors_no_set;
        o->patterns = (apr_array_header_t *)&cors_no_patterns;
        o->line = cors_no_line;
        o->regexes = &block->regexes;
        o->regexes->pool = cmd->pool;
        o->regexes->elt_size = sizeof(cors_regex);
        o->regexes->nalloc = 1;
        o->regexes->elts = (char *)block->regex;
        o->section = cors_section(cmd);
        o->slot = ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_RUN_MPM
                  ? 0 : cors_section_slot(cmd->pool, o->section);
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

static void cors_origins_text(apr_pool_t *p, cors_origins *o,
                              const char *arg)
{
    if (o->text == NULL) {
        o->text = arg;          /* from p, as httpd gives it */
    }
    else if (strlen(o->text) < CORS_TEXT_MAX) {
        o->text = apr_pstrcat(p, o->text, " ", arg, NULL);
    }
    else if (o->text[strlen(o->text) - 1] != '.') {
        o->text = apr_pstrcat(p, o->text, " ...", NULL);
    }
}

/*
 * A warning about a line's text: said now, at the directive's line, or
 * kept with the text in the memo (kept != NULL) and said at each line
 * that writes the text.
 */
static void cors_say(cmd_parms *cmd, apr_array_header_t *kept,
                     const char *text)
{
    if (kept) {
        APR_ARRAY_PUSH(kept, const char *) = text;
    }
    else {
        cors_warn(cmd, text);
    }
}

static void cors_warn_http_credentials(cmd_parms *cmd, apr_pool_t *p,
                                       const cors_pattern *pat,
                                       apr_array_header_t *kept)
{
    const char *warning = cors_pattern_http_warning(p, pat);

    if (warning) {
        cors_say(cmd, kept, warning);
    }
}

/* CORSExposeHeaders * means a header named "*" with credentials. */
static const char *cors_check_expose(cmd_parms *cmd,
                                     const cors_dir_conf *conf)
{
    if (cors_credentials_on(conf) && conf->expose && conf->expose->star) {
        return apr_psprintf(cmd->pool, "%s: CORSAllowCredentials On cannot "
                            "be combined with CORSExposeHeaders * in one "
                            "section: browsers read * as a header name when "
                            "credentials are included; list the header "
                            "names scripts may read instead, e.g. "
                            "CORSExposeHeaders X-Total X-Page.",
                            cmd->cmd->name);
    }
    return NULL;
}

/*
 * The combinations that would hand credentials or the private network to
 * origins that can never be trusted (docs/mod_cors.html#trust), when set
 * in one section.  Called after each directive that takes part, so the
 * order of lines within a section does not matter.
 */
static const char *cors_check_section(cmd_parms *cmd, cors_dir_conf *conf)
{
    cors_origins *o = conf->origins;
    const char *fix;

    if (o && o->unsafe && conf->protect
        && conf->protect->value != CORS_PROTECT_OFF && o->unsafe_fix
        && !o->protect_warned) {
        o->protect_warned = 1;
        cors_warn(cmd, apr_psprintf(cmd->pool, "cross-origin protection "
                  "trusts none of the origins of %s; %s.", o->unsafe,
                  o->unsafe_fix));
    }
    if (o == NULL || o->unsafe == NULL) {
        return cors_check_expose(cmd, conf);
    }
    fix = o->unsafe_fix ? o->unsafe_fix
          : "list the origins to trust instead, e.g. CORSAllowOrigin "
            "https://app.example.com";
    if (conf->private_network && conf->private_network->value) {
        return apr_psprintf(cmd->pool, "%s: CORSAllowPrivateNetwork On "
                            "cannot be combined with %s in one section: "
                            "a site that is not trusted could reach the "
                            "private network; %s.", cmd->cmd->name,
                            o->unsafe, fix);
    }
    if (cors_credentials_on(conf)) {
        return apr_psprintf(cmd->pool, "%s: CORSAllowCredentials On cannot "
                            "be combined with %s in one section: its "
                            "origins can never be trusted with "
                            "credentials; %s.", cmd->cmd->name, o->unsafe,
                            fix);
    }
    return cors_check_expose(cmd, conf);
}

static const char *cors_conflict(cmd_parms *cmd, const char *arg)
{
    return apr_psprintf(cmd->pool, "%s: \"%s\" cannot be combined with "
                        "other origins or CORSAllowOriginMatch in one "
                        "section.", cmd->cmd->name, arg);
}

/* What an origin pattern's text alone gives: kept in the memo. */
typedef struct {
    cors_pattern pat;
    int suffix;                 /* a "*." right under a public suffix */
    const char *error;          /* why it is not a pattern, or NULL */
} cors_pattern_text;

static const void *cors_pattern_read(cmd_parms *cmd, apr_pool_t *p,
                                     const char *text)
{
    cors_pattern_text *t = apr_pcalloc(p, sizeof(*t));

    t->error = cors_pattern_parse(p, text, &t->pat);
    /* checked once here: a policy may list thousands of origins */
    t->suffix = !t->error && cors_pattern_under_public_suffix(&t->pat);
    return t;
}

/*
 * What an origin line's text gives.  The warnings that depend on whether
 * credentials are on where the line is read are kept apart.
 */
typedef struct {
    cors_origins o;             /* sets, patterns, text, flags; no section */
    apr_array_header_t *without;        /* said where credentials are off */
    apr_array_header_t *with;           /* said where they are on */
    int whole;                  /* 0: read it word by word, where the
                                 * message can say which */
} cors_origins_line;

/*
 * One value of CORSAllowOrigin, added to o (from p).  cred: credentials
 * are on here; or, with line, the warnings go to line's two lists.
 */
static const char *cors_origin_word(cmd_parms *cmd, apr_pool_t *p,
                                    cors_origins *o, const char *arg,
                                    int cred, cors_origins_line *line)
{
    const cors_pattern_text *t;
    cors_pattern pat;

    if (!strcasecmp(arg, "none")) {
        if (!cors_origins_empty(o)) {
            return cors_conflict(cmd, arg);
        }
        o->none = 1;
        cors_origins_text(p, o, "none");
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
        cors_origins_text(p, o, arg);
        return NULL;
    }
    if (o->any) {
        return cors_conflict(cmd, "*");
    }
    cors_origins_text(p, o, arg);
    if (!strcmp(arg, "null")) {
        o->null = o->allows = 1;
        if (!o->unsafe) {
            o->unsafe = "CORSAllowOrigin null (any page can send it)";
        }
        if (line || !cred) {
            cors_say(cmd, line ? line->without : NULL, "\"null\" is the "
                     "origin of sandboxed frames, data: URLs and local files: "
                     "any page can send it and read these responses; list "
                     "your pages' origins instead if that is not meant.");
        }
        return NULL;
    }

    /* a line is read under the memo's lock, which is not taken twice */
    t = line ? cors_pattern_read(cmd, p, arg)
             : cors_memo(cmd, CORS_MEMO_PATTERN, arg, cors_pattern_read);
    if (t->error) {
        return apr_psprintf(p, "%s: invalid origin %s: %s.", cmd->cmd->name,
                            cors_quote(p, arg, 0), t->error);
    }
    pat = t->pat;
    APR_ARRAY_PUSH(o->patterns, cors_pattern) = pat;
    o->allows = 1;
    if (t->suffix) {
        cors_set_add(p, o->suffix_set, &pat);
        if (!o->unsafe) {
            o->unsafe = apr_psprintf(p, "CORSAllowOrigin %s (%s is a public "
                                     "suffix)", cors_pattern_unparse(p, &pat),
                                     pat.host + 1);
        }
        if (line || !cred) {
            cors_say(cmd, line ? line->without : NULL,
                     cors_pattern_suffix_warning(p, arg, &pat));
        }
    }
    else {
        cors_set_add(p, o->set, &pat);
    }
    if (line || cred) {
        cors_warn_http_credentials(cmd, p, &pat, line ? line->with : NULL);
    }
    return NULL;
}

static const void *cors_origins_read(cmd_parms *cmd, apr_pool_t *p,
                                     const char *text)
{
    cors_origins_line *t = apr_pcalloc(p, sizeof(*t));
    const char *args = text, *w;

    t->o.set = cors_set_make(p);
    t->o.suffix_set = cors_set_make(p);
    t->o.patterns = apr_array_make(p, 4, sizeof(cors_pattern));
    t->o.regexes = apr_array_make(p, 1, sizeof(cors_regex));
    t->without = apr_array_make(p, 1, sizeof(const char *));
    t->with = apr_array_make(p, 1, sizeof(const char *));
    /* the words httpd gives the handler one by one (ITERATE) */
    while (*(w = ap_getword_conf(p, &args)) != '\0') {
        if (strchr(w, ',') || cors_origin_word(cmd, p, &t->o, w, 0, t)) {
            return t;
        }
    }
    t->whole = 1;
    return t;
}

/* A second line after one read whole: its own copy of what is shared. */
static void cors_origins_unshare(apr_pool_t *p, cors_origins *o)
{
    cors_origin_set *sets[2];
    int i;

    sets[0] = apr_pmemdup(p, o->set, sizeof(*o->set));
    sets[1] = apr_pmemdup(p, o->suffix_set, sizeof(*o->suffix_set));
    for (i = 0; i < 2; i++) {
        /* cors_set_add only prepends rules: the shared ones stay */
        sets[i]->exact = sets[i]->exact ? apr_hash_copy(p, sets[i]->exact)
                                        : NULL;
        sets[i]->wild = sets[i]->wild ? apr_hash_copy(p, sets[i]->wild)
                                      : NULL;
        sets[i]->full = sets[i]->full ? apr_hash_copy(p, sets[i]->full)
                                      : NULL;
    }
    o->set = sets[0];
    o->suffix_set = sets[1];
    o->patterns = apr_array_copy(p, o->patterns);
    o->line = NULL;
}

/*
 * One value of CORSAllowOrigin.  A section's first origin line is read
 * whole, from the memo in a child (a tenant's .htaccess is read for every
 * request); its other words then have nothing left to add.
 */
static const char *cors_set_origin(cmd_parms *cmd, void *dconf,
                                   const char *arg)
{
    cors_dir_conf *conf = dconf;
    cors_origins *o = conf->origins;
    const char *err;
    int i;

    if (o && o->line == cmd->directive) {
        return NULL;            /* this line was read whole, and begun */
    }
    if (o == NULL && cmd->directive) {
        const cors_origins_line *t = cors_memo(cmd, CORS_MEMO_ORIGINS,
                                               cmd->directive->args,
                                               cors_origins_read);

        /* a line read whole has no comma */
        if (t->whole && cors_directive_begin(cmd, dconf, NULL) == NULL) {
            const apr_array_header_t *say = cors_credentials_on(conf)
                                            ? t->with : t->without;

            o = cors_origins_get(cmd, conf);
            o->set = t->o.set;
            o->suffix_set = t->o.suffix_set;
            o->patterns = t->o.patterns;
            o->text = t->o.text;
            o->unsafe = t->o.unsafe;
            o->any = t->o.any;
            o->null = t->o.null;
            o->none = t->o.none;
            o->allows = t->o.allows;
            o->line = cmd->directive;
            for (i = 0; i < say->nelts; i++) {
                cors_warn(cmd, APR_ARRAY_IDX(say, i, const char *));
            }
            return o->none ? NULL : cors_check_section(cmd, conf);
        }
    }
    if ((err = cors_directive_begin(cmd, dconf, arg))) {
        return err;
    }
    o = cors_origins_get(cmd, conf);
    if (o->line) {
        cors_origins_unshare(cmd->pool, o);
    }
    err = cors_origin_word(cmd, cmd->pool, o, arg,
                           cors_credentials_on(conf), NULL);
    if (err || o->none) {
        return err;
    }
    return cors_check_section(cmd, conf);
}

#if defined(CORS_HAVE_PCRE2)
/* Each thread's match data: PCRE2 wants one per match, a thread matches
 * one regex at a time, and it is kept for the thread's life. */
static __thread pcre2_match_data *cors_match_data;

static apr_status_t cors_jit_free(void *code)
{
    pcre2_code_free(code);
    return APR_SUCCESS;
}

/*
 * A regex read once and matched on every request is worth compiling to
 * machine code: PCRE2's JIT matches an origin in a fraction of the
 * interpreter's instructions (docs/performance.md#shared-hosting).  It
 * is compiled from the same text with the options ap_regcomp gives it,
 * so it matches what t->re matches.  Returns the bytes it takes.
 */
static apr_size_t cors_regex_jit(apr_pool_t *p, const char *anchored,
                                 cors_regex_text *t)
{
    int cflags = ap_regcomp_get_default_cflags();
    uint32_t options = PCRE2_DUPNAMES | PCRE2_CASELESS;
    pcre2_code *code;
    PCRE2_SIZE offset;
    size_t size = 0;
    int error;

    options |= (cflags & AP_REG_DOTALL) ? PCRE2_DOTALL : 0;
    options |= (cflags & AP_REG_DOLLAR_ENDONLY) ? PCRE2_DOLLAR_ENDONLY : 0;
    code = pcre2_compile((PCRE2_SPTR)anchored, PCRE2_ZERO_TERMINATED,
                         options, &error, &offset, NULL);
    if (code == NULL) {
        return 0;
    }
    if (pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) != 0
        || pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &size) != 0) {
        pcre2_code_free(code);  /* no JIT here: ap_regexec matches */
        return 0;
    }
    apr_pool_cleanup_register(p, code, cors_jit_free, apr_pool_cleanup_null);
    t->jit = code;
    return size;
}
#endif

/*
 * A match counts only if it spans the whole value: the anchors alone do
 * not hold against a verb such as (*ACCEPT).  A match that hits the
 * limits counts as none (*limited says so).
 */
int cors_regex_matches(const cors_regex_text *t, const char *s,
                       apr_size_t len, int *limited)
{
    ap_regmatch_t m[1];
    int rc;

#if defined(CORS_HAVE_PCRE2)
    pcre2_match_data *md = cors_match_data;

    if (t->jit && (md || (md = cors_match_data
                          = pcre2_match_data_create(1, NULL)))) {
        PCRE2_SIZE *ov;

        rc = pcre2_jit_match(t->jit, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
        if (rc < 0) {
            *limited = rc != PCRE2_ERROR_NOMATCH;
            return 0;
        }
        ov = pcre2_get_ovector_pointer(md);
        *limited = 0;
        return ov[0] == 0 && ov[1] == len;
    }
#endif
    rc = ap_regexec(t->re, s, 1, m, 0);
    if (rc != 0) {
        *limited = rc != AP_REG_NOMATCH;
        return 0;
    }
    *limited = 0;
    return m[0].rm_so == 0 && (apr_size_t)m[0].rm_eo == len;
}

/* Why a regex does not compile, in PCRE's own words where possible. */
static const char *cors_regex_error(cmd_parms *cmd, apr_pool_t *p,
                                    const char *arg)
{
#ifdef CORS_HAVE_PCRE2
    int code;
    PCRE2_SIZE offset;
    PCRE2_UCHAR msg[256];
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)arg, PCRE2_ZERO_TERMINATED,
                                   PCRE2_CASELESS, &code, &offset, NULL);

    if (re == NULL) {
        pcre2_get_error_message(code, msg, sizeof(msg));
        return apr_psprintf(p, "%s: regex %s does not compile: "
                            "%s at offset %d.", cmd->cmd->name,
                            cors_quote(p, arg, 0), (const char *)msg,
                            (int)offset);
    }
    pcre2_code_free(re);
#elif defined(CORS_HAVE_PCRE1)
    const char *msg;
    int offset;
    pcre *re = pcre_compile(arg, PCRE_CASELESS, &msg, &offset, NULL);

    if (re == NULL) {
        return apr_psprintf(p, "%s: regex %s does not compile: "
                            "%s at offset %d.", cmd->cmd->name,
                            cors_quote(p, arg, 0), msg, offset);
    }
    pcre_free(re);
#endif
    return apr_psprintf(p, "%s: regex %s does not compile (a "
                        "start-of-pattern option such as (*UTF) cannot be "
                        "used either).", cmd->cmd->name,
                        cors_quote(p, arg, 0));
}

/* The fix a message about a regex's trust gives. */
#define CORS_NAME_THE_DOMAIN "name the domain literally, e.g. " \
    "^https://([a-z0-9-]+\\.)*example\\.com$, or list the origins"

/*
 * What a regex's text says about the origins it lets in: one that
 * matches the canaries allows every site, one that names no domain
 * literally has no origin to trust (docs/mod_cors.html#trust); t->unsafe
 * says why none can be.  Lookalike probes and a missing "://" give
 * warnings: they no longer decide trust.
 */
static void cors_judge_regex(apr_pool_t *p, const char *text,
                             cors_regex_text *t)
{
    apr_array_header_t *probes;
    const char *host;
    int i, limited;

    t->domains = cors_regex_domains(p, text);
    for (i = 0; cors_canary_origins[i]; i++) {
        if (cors_regex_matches(t, cors_canary_origins[i],
                               strlen(cors_canary_origins[i]), &limited)) {
            t->any = 1;
            APR_ARRAY_PUSH(t->warnings, const char *) = apr_psprintf(p,
                "regex %s allows every site (it matches %s); use "
                "CORSAllowOrigin * if that is meant.",
                cors_quote(p, text, 0), cors_canary_origins[i]);
            t->unsafe = apr_psprintf(p, "CORSAllowOriginMatch %s (it allows "
                                     "every site)", cors_quote(p, text, 0));
            return;
        }
    }
    if (t->domains->nelts == 0) {
        t->unsafe = apr_psprintf(p, "CORSAllowOriginMatch %s (it names no "
                                 "domain literally)", cors_quote(p, text, 0));
    }
    if (!strstr(text, "://")) {
        const char *http = NULL;

        for (i = 0; !http && i < t->domains->nelts; i++) {
            const char *d = APR_ARRAY_IDX(t->domains, i, const char *);
            const char *evil = apr_pstrcat(p, "http://evil.", d, NULL);

            if (cors_regex_matches(t, evil, strlen(evil), &limited)) {
                http = evil;
            }
        }
        APR_ARRAY_PUSH(t->warnings, const char *) = apr_psprintf(p,
            "regex %s has no \"://\": it is matched against the whole "
            "scheme://host[:port]%s%s; write the scheme, e.g. "
            "^https://([a-z0-9-]+\\.)*example\\.com$.",
            cors_quote(p, text, 0),
            http ? ", so it matches http:// origins such as " : "",
            http ? http : "");
        return;
    }
    if (cors_regex_probes(p, text, &host, &probes)) {
        return;
    }
    for (i = 0; i < probes->nelts; i++) {
        const char *probe = APR_ARRAY_IDX(probes, i, const char *);
        cors_origin o;
        const char *d;
        char lower[CORS_ORIGIN_MAX + 1];

        if (!cors_regex_matches(t, probe, strlen(probe), &limited)
            || !cors_origin_parse(probe, strlen(probe), &o)) {
            continue;
        }
        d = cors_origin_domain(&o, lower);
        APR_ARRAY_PUSH(t->warnings, const char *) = apr_psprintf(p,
            "regex %s also matches the lookalike origin %s, whose pages can "
            "then read responses%s; anchor the host and escape its dots, "
            "e.g. ^https://([a-z0-9-]+\\.)*example\\.com$.",
            cors_quote(p, text, 0), probe,
            cors_domains_has(t->domains, d) ? ""
            : " (it gets no credentials, private network access or "
              "cross-origin protection's trust: its registrable domain is "
              "not in the regex's domain set)");
        break;
    }
}

/*
 * What a regex's text gives (cors_memo_make): compiled, bounded and
 * judged.  It must compile on its own before it is anchored, or a stray
 * ")" could escape the anchors: "a)|(.*" would match anything.
 */
static const void *cors_regex_read(cmd_parms *cmd, apr_pool_t *p,
                                   const char *text)
{
    cors_regex_text *t = apr_pcalloc(p, sizeof(*t));
    const char *anchored = apr_pstrcat(p, CORS_REGEX_LIMITS "^(?:", text,
                                       ")$", NULL);

    t->warnings = apr_array_make(p, 1, sizeof(const char *));
    t->re = ap_pregcomp(p, text, AP_REG_ICASE);
    if (t->re) {
        t->re = ap_pregcomp(p, anchored, AP_REG_ICASE);
    }
    if (t->re == NULL) {
        t->error = cors_regex_error(cmd, p, text);
        return t;
    }
#if defined(CORS_HAVE_PCRE2)
    /* machine code only where it lasts: read at startup, or kept in the
     * memo (under its lock, so its bytes can be counted there) */
    if (p != cmd->pool) {
        cors_memo_bytes += cors_regex_jit(p, anchored, t);
    }
    else if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_RUN_MPM) {
        cors_regex_jit(p, anchored, t);
    }
#endif
    cors_judge_regex(p, text, t);
    return t;
}

static const char *cors_set_origin_match(cmd_parms *cmd, void *dconf,
                                         const char *arg)
{
    cors_dir_conf *conf = dconf;
    cors_origins *o;
    cors_regex *cr;
    const cors_regex_text *t;
    const char *err = cors_directive_begin(cmd, dconf, NULL);
    int i;

    if (err) {
        return err;
    }
    o = cors_origins_get(cmd, conf);
    if (o->any || o->none) {
        return cors_conflict(cmd, o->any ? "*" : "none");
    }
    t = cors_memo(cmd, CORS_MEMO_REGEX, arg, cors_regex_read);
    if (t->re == NULL) {
        return t->error;
    }
    cr = apr_array_push(o->regexes);
    cr->text = arg;
    cr->is = t;
    cors_where_set(cmd, &cr->where);
    for (i = 0; i < t->warnings->nelts; i++) {
        cors_warn(cmd, APR_ARRAY_IDX(t->warnings, i, const char *));
    }
    o->allows = 1;
    cors_origins_text(cmd->pool, o, arg);
    if (t->unsafe && !o->unsafe) {
        o->unsafe = t->unsafe;
        o->unsafe_fix = t->any ? NULL : CORS_NAME_THE_DOMAIN;
    }
    return cors_check_section(cmd, conf);
}

/*
 * CORSAllowOriginFile: the origins a file lists join the section's set,
 * and are read again when the file changes
 * (docs/mod_cors.html#origin-files).  Not in .htaccess: a tenant must not
 * make the server read a file it names.
 */
static const char *cors_set_origin_file(cmd_parms *cmd, void *dconf,
                                        const char *arg)
{
    cors_dir_conf *conf = dconf;
    cors_origins *o;
    cors_origin_file *f;
    apr_array_header_t *warnings;
    const char *err;
    int i;

    if (ap_check_cmd_context(cmd, NOT_IN_HTACCESS)) {
        return apr_psprintf(cmd->pool, "%s cannot be used in .htaccess: a "
                            "tenant must not make the server read a file it "
                            "names; list the origins with CORSAllowOrigin, "
                            "or ask the administrator to set %s in the "
                            "server configuration.", cmd->cmd->name,
                            cmd->cmd->name);
    }
    if ((err = cors_directive_begin(cmd, dconf, NULL))) {
        return err;
    }
    o = cors_origins_get(cmd, conf);
    if (o->any || o->none) {
        return cors_conflict(cmd, o->any ? "*" : "none");
    }
    f = apr_pcalloc(cmd->pool, sizeof(*f));
    f->path = ap_server_root_relative(cmd->pool, arg);
    if (f->path == NULL) {
        return apr_psprintf(cmd->pool, "%s: %s is not a valid path.",
                            cmd->cmd->name, cors_quote(cmd->pool, arg, 0));
    }
    cors_where_set(cmd, &f->where);
    f->allows = apr_pstrcat(cmd->pool, "the origins listed in ", f->path,
                            NULL);
    f->cred = cors_credentials_on(conf);
    f->s = cmd->server;
    warnings = apr_array_make(cmd->temp_pool, 1, sizeof(const char *));
    if ((err = cors_file_load(cmd->pool, f, warnings))) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", err, NULL);
    }
    for (i = 0; i < warnings->nelts; i++) {
        cors_warn(cmd, APR_ARRAY_IDX(warnings, i, const char *));
    }
    if (o->files == NULL) {
        o->files = apr_array_make(cmd->pool, 1, sizeof(cors_origin_file *));
    }
    APR_ARRAY_PUSH(o->files, cors_origin_file *) = f;
    APR_ARRAY_PUSH((apr_array_header_t *)cors_config_files(cmd->pool),
                   cors_origin_file *) = f;
    o->allows = 1;
    cors_origins_text(cmd->pool, o, apr_pstrcat(cmd->pool, "(", f->allows,
                                                ")", NULL));
    return cors_check_section(cmd, conf);
}

/* The three list directives, in the memo's order. */
#define CORS_LIST_METHODS (CORS_MEMO_METHODS - CORS_MEMO_METHODS)
#define CORS_LIST_HEADERS (CORS_MEMO_HEADERS - CORS_MEMO_METHODS)
#define CORS_LIST_EXPOSE  (CORS_MEMO_EXPOSE - CORS_MEMO_METHODS)

/*
 * Names beside "*" say less than they seem to: a lint, once per list.
 * Authorization is the one name "*" does not cover in CORSAllowHeaders.
 */
static void cors_warn_beside_star(cmd_parms *cmd, apr_pool_t *p,
                                  cors_list *list, int kind,
                                  apr_array_header_t *kept)
{
    const char *name = NULL;
    int i;

    for (i = 0; i < list->names->nelts && name == NULL; i++) {
        const char *n = APR_ARRAY_IDX(list->names, i, const char *);

        if (kind != CORS_LIST_HEADERS || strcasecmp(n, "Authorization")) {
            name = n;
        }
    }
    if (name == NULL) {
        return;
    }
    list->star_warned = 1;
    cors_say(cmd, kept, apr_psprintf(p, kind == CORS_LIST_EXPOSE
             ? "\"%s\" beside * matters only for requests with credentials, "
               "where browsers read * as a header name; without "
               "credentials * exposes every header."
             : kind == CORS_LIST_HEADERS
             ? "\"%s\" beside * has no effect: * allows every header but "
               "Authorization; write CORSAllowHeaders * alone, or "
               "CORSAllowHeaders * Authorization."
             : "\"%s\" beside * has no effect: * allows every method; write "
               "CORSAllowMethods * alone.", name));
}

/* One value of a list directive, added to list (from p). */
static const char *cors_list_word(cmd_parms *cmd, apr_pool_t *p,
                                  cors_list *list, const char *arg, int kind,
                                  apr_array_header_t *kept)
{
    const char *joined, *method;

    if (!strcmp(arg, "*")) {
        list->star = 1;
    }
    else if (!cors_is_token(arg, strlen(arg))) {
        return apr_psprintf(p, "%s: %s is not a valid %s name.",
                            cmd->cmd->name, cors_quote(p, arg, 0),
                            kind == CORS_LIST_METHODS ? "method" : "header");
    }
    else if (kind != CORS_LIST_METHODS) {
        if (kind == CORS_LIST_HEADERS && cors_header_is_forbidden(arg)) {
            cors_say(cmd, kept, apr_psprintf(p, "\"%s\" is a forbidden "
                     "request header: a page can never set it, so listing "
                     "it has no effect; remove it.", arg));
        }
        else if (kind == CORS_LIST_HEADERS && cors_header_is_safelisted(arg)) {
            cors_say(cmd, kept, apr_psprintf(p, "\"%s\" is a CORS-"
                     "safelisted request header: browsers send it without a "
                     "preflight unless its value is unusually long or holds "
                     "unusual characters; list it only for such values.",
                     arg));
        }
        cors_names_add(list->names, arg);
    }
    else if (cors_method_is_forbidden(arg)) {
        return apr_psprintf(p, "%s: \"%s\" is a forbidden method: "
                            "browsers never send it cross-origin.",
                            cmd->cmd->name, arg);
    }
    else if (!cors_method_listed(list->names,
                                 (method = cors_method_normalize(arg)))) {
        if (!strcmp(method, "OPTIONS")) {
            cors_say(cmd, kept, "\"OPTIONS\" is needed only where pages "
                     "send OPTIONS requests themselves: preflights need no "
                     "listing (the module answers them).");
        }
        APR_ARRAY_PUSH(list->names, const char *) = method;
    }
    if (list->star && !list->star_warned) {
        cors_warn_beside_star(cmd, p, list, kind, kept);
    }

    /* Joined here, once, rather than for every response: one name more
     * than the value before, most of the time. */
    joined = list->names->nelts == 1
             ? APR_ARRAY_IDX(list->names, 0, const char *)
             : apr_array_pstrcat(p, list->names, ',');
    if (!list->star) {
        list->value = joined;
    }
    else if (kind == CORS_LIST_METHODS || !*joined) {
        list->value = "*";
    }
    else {
        list->value = apr_pstrcat(p, "*,", joined, NULL);
    }
    return NULL;
}

/* What a list line's text gives: the list it makes, its warnings. */
typedef struct {
    cors_list list;
    apr_array_header_t *kept;           /* warnings, said at each line */
    int whole;                          /* 0: read it word by word, where
                                         * the message can say which */
} cors_list_text;

static const void *cors_list_read(cmd_parms *cmd, apr_pool_t *p,
                                  const char *text)
{
    cors_list_text *t = apr_pcalloc(p, sizeof(*t));
    const char *args = text, *w;
    int kind = !strcmp(cmd->cmd->name, "CORSAllowMethods") ? CORS_LIST_METHODS
               : !strcmp(cmd->cmd->name, "CORSAllowHeaders")
               ? CORS_LIST_HEADERS : CORS_LIST_EXPOSE;

    t->list.names = apr_array_make(p, 4, sizeof(const char *));
    t->kept = apr_array_make(p, 1, sizeof(const char *));
    /* the words httpd gives the handler one by one (ITERATE) */
    while (*(w = ap_getword_conf(p, &args)) != '\0') {
        if (strchr(w, ',')
            || cors_list_word(cmd, p, &t->list, w, kind, t->kept)) {
            return t;
        }
    }
    t->whole = t->list.names->nelts > 0 || t->list.star;
    return t;
}

/*
 * One value of CORSAllowMethods, CORSAllowHeaders or CORSExposeHeaders.
 * The first line of a list in a section is read whole, from the memo in
 * a child (a tenant's .htaccess is read for every request); its other
 * words then have nothing left to add.
 */
static const char *cors_list_add(cmd_parms *cmd, cors_dir_conf *conf,
                                 cors_list **slot, const char *arg,
                                 int kind)
{
    cors_list *list = *slot;
    const char *err;
    int i;

    if (list && list->line == cmd->directive) {
        return NULL;            /* this line was read whole, and begun */
    }
    if (list == NULL && cmd->directive) {
        const cors_list_text *t = cors_memo(cmd, CORS_MEMO_METHODS + kind,
                                            cmd->directive->args,
                                            cors_list_read);

        /* a line read whole has no comma */
        if (t->whole && cors_directive_begin(cmd, conf, NULL) == NULL) {
            list = *slot = apr_pmemdup(cmd->pool, &t->list, sizeof(*list));
            list->line = cmd->directive;
            cors_where_set(cmd, &list->where);
            for (i = 0; i < t->kept->nelts; i++) {
                cors_warn(cmd, APR_ARRAY_IDX(t->kept, i, const char *));
            }
            return NULL;
        }
    }
    if ((err = cors_directive_begin(cmd, conf, arg))) {
        return err;
    }
    if (list == NULL) {
        list = *slot = apr_pcalloc(cmd->pool, sizeof(*list));
        list->names = apr_array_make(cmd->pool, 4, sizeof(const char *));
        cors_where_set(cmd, &list->where);
    }
    else if (list->line) {
        /* a second line: the names read whole are the memo's */
        list->names = apr_array_copy(cmd->pool, list->names);
        list->line = NULL;
    }
    return cors_list_word(cmd, cmd->pool, list, arg, kind, NULL);
}

static const char *cors_set_methods(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    cors_dir_conf *conf = dconf;

    return cors_list_add(cmd, conf, &conf->methods, arg, CORS_LIST_METHODS);
}

static const char *cors_set_headers(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    cors_dir_conf *conf = dconf;

    return cors_list_add(cmd, conf, &conf->headers, arg, CORS_LIST_HEADERS);
}

static const char *cors_set_expose(cmd_parms *cmd, void *dconf,
                                   const char *arg)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_list_add(cmd, conf, &conf->expose, arg,
                                    CORS_LIST_EXPOSE);

    return err ? err : cors_check_section(cmd, conf);
}

static const char *cors_set_credentials(cmd_parms *cmd, void *dconf,
                                        const char *arg)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_directive_begin(cmd, dconf, NULL);
    int i, flag = 0;

    if (err || (err = cors_on_off(cmd, arg, &flag))) {
        return err;
    }
    conf->credentials = cors_value_make(cmd, flag, flag ? "On" : "Off");
    if (flag && conf->origins) {
        for (i = 0; i < conf->origins->patterns->nelts; i++) {
            cors_warn_http_credentials(cmd, cmd->pool, &APR_ARRAY_IDX(
                                       conf->origins->patterns, i,
                                       cors_pattern), NULL);
        }
    }
    return cors_check_section(cmd, conf);
}

static const char *cors_set_max_age(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    cors_dir_conf *conf = dconf;
    apr_size_t len = strlen(arg);
    const char *err = cors_directive_begin(cmd, dconf, NULL);
    int seconds;

    if (err) {
        return err;
    }
    if (len == 0 || len > 5 || strspn(arg, "0123456789") != len
        || atoi(arg) > 86400) {
        return apr_psprintf(cmd->pool, "%s: %s is not a whole number of "
                            "seconds from 0 to 86400; write e.g. %s 600.",
                            cmd->cmd->name, cors_quote(cmd->pool, arg, 0),
                            cmd->cmd->name);
    }
    seconds = atoi(arg);
    if (seconds > 7200) {
        cors_warn(cmd, apr_psprintf(cmd->pool, "%d seconds: browsers cap "
                  "the preflight cache, Chromium at 7200 seconds, Safari "
                  "at 600 and Firefox at 86400.", seconds));
    }
    conf->max_age = cors_value_make(cmd, seconds,
                                    apr_itoa(cmd->pool, seconds));
    return NULL;
}

static const char *cors_set_private_network(cmd_parms *cmd, void *dconf,
                                            const char *arg)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_directive_begin(cmd, dconf, NULL);
    int flag = 0;

    if (err || (err = cors_on_off(cmd, arg, &flag))) {
        return err;
    }
    conf->private_network = cors_value_make(cmd, flag, flag ? "On" : "Off");
    return cors_check_section(cmd, conf);
}

static const char *cors_set_preflight_status(cmd_parms *cmd, void *dconf,
                                             const char *arg)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_directive_begin(cmd, dconf, NULL);

    if (err) {
        return err;
    }
    if (strcmp(arg, "204") && strcmp(arg, "200")) {
        return apr_psprintf(cmd->pool, "%s: %s is not 204 or 200; write "
                            "%s 204 or %s 200.", cmd->cmd->name,
                            cors_quote(cmd->pool, arg, 0), cmd->cmd->name,
                            cmd->cmd->name);
    }
    conf->preflight_status = cors_value_make(cmd, atoi(arg), arg);
    return NULL;
}

static const char *cors_set_protection(cmd_parms *cmd, void *dconf,
                                       const char *arg)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_directive_begin(cmd, dconf, NULL);
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
        return apr_psprintf(cmd->pool, "%s: %s is not On, Off or "
                            "ReportOnly; write one of them.", cmd->cmd->name,
                            cors_quote(cmd->pool, arg, 0));
    }
    conf->protect = cors_value_make(cmd, mode, mode == CORS_PROTECT_ON ? "On"
                                    : mode ? "ReportOnly" : "Off");
    return cors_check_section(cmd, conf);
}

/* Not in .htaccess: a tenant must not see other tenants' policies. */
static const char *cors_set_status(cmd_parms *cmd, void *dconf,
                                   const char *arg)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_directive_begin(cmd, dconf, NULL);
    int flag = 0;

    if (err || (err = cors_on_off(cmd, arg, &flag))) {
        return err;
    }
    conf->status = cors_value_make(cmd, flag, flag ? "On" : "Off");
    return NULL;
}

static const char *cors_set_shadow(cmd_parms *cmd, void *dconf,
                                   const char *arg)
{
    cors_dir_conf *conf = dconf;
    const char *err = cors_directive_begin(cmd, dconf, NULL);
    int flag = 0;

    if (err || (err = cors_on_off(cmd, arg, &flag))) {
        return err;
    }
    conf->shadow = cors_value_make(cmd, flag, flag ? "On" : "Off");
    return NULL;
}

const command_rec cors_cmds[] =
{
    AP_INIT_ITERATE("CORSAllowOrigin", cors_set_origin, NULL, OR_FILEINFO,
                    "none, *, null or origin patterns, e.g. "
                    "https://app.example.com https://*.example.com"),
    AP_INIT_TAKE1("CORSAllowOriginMatch", cors_set_origin_match, NULL,
                  OR_FILEINFO, "a regex matched against the whole Origin"),
    /* FileInfo too, so that a tenant's line gets its own message */
    AP_INIT_TAKE1("CORSAllowOriginFile", cors_set_origin_file, NULL,
                  RSRC_CONF | ACCESS_CONF | OR_FILEINFO, "a file of origin "
                  "patterns, one per line, read again when it changes, e.g. "
                  "/etc/apache2/cors/tenant.origins"),
    AP_INIT_ITERATE("CORSAllowMethods", cors_set_methods, NULL, OR_FILEINFO,
                    "* or methods a preflight may ask for, e.g. PUT "
                    "DELETE"),
    AP_INIT_ITERATE("CORSAllowHeaders", cors_set_headers, NULL, OR_FILEINFO,
                    "* or request headers a preflight may ask for, e.g. "
                    "Content-Type X-Token"),
    AP_INIT_ITERATE("CORSExposeHeaders", cors_set_expose, NULL, OR_FILEINFO,
                    "* or response headers scripts may read, e.g. X-Total "
                    "X-Page"),
    AP_INIT_TAKE1("CORSAllowCredentials", cors_set_credentials, NULL,
                  OR_FILEINFO, "On to let requests with cookies or HTTP "
                  "authentication read the response"),
    AP_INIT_TAKE1("CORSMaxAge", cors_set_max_age, NULL, OR_FILEINFO,
                  "seconds a browser may cache a preflight (0-86400)"),
    AP_INIT_TAKE1("CORSAllowPrivateNetwork", cors_set_private_network, NULL,
                  OR_FILEINFO, "On to answer Private Network Access "
                  "preflights"),
    AP_INIT_TAKE1("CORSPreflightStatus", cors_set_preflight_status, NULL,
                  OR_FILEINFO, "204 or 200"),
    AP_INIT_TAKE1("CORSCrossOriginProtection", cors_set_protection, NULL,
                  OR_FILEINFO, "On, Off or ReportOnly: refuse cross-site "
                  "unsafe requests before they reach the application"),
    AP_INIT_TAKE1("CORSStatus", cors_set_status, NULL,
                  RSRC_CONF | ACCESS_CONF, "On to let SetHandler cors-status "
                  "serve the counters and the policy checker here"),
    AP_INIT_TAKE1("CORSShadow", cors_set_shadow, NULL, OR_FILEINFO,
                  "On to decide and compare with the response, changing "
                  "nothing"),
    {NULL}
};

static void cors_log_warnings(apr_pool_t *pconf, server_rec *s)
{
    const apr_array_header_t *warnings = cors_config_warnings(pconf);
    int i;

    for (i = 0; warnings && i < warnings->nelts; i++) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "%s",
                     cors_warning_line(pconf, &APR_ARRAY_IDX(warnings, i,
                                                             cors_warning)));
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

/* The memo: a pool and allocator of its own, used under its lock. */
static void cors_memo_init(apr_pool_t *pchild)
{
    apr_allocator_t *allocator;
    apr_pool_t *pool;
    int i;

    for (i = 0; i < CORS_MEMO_KINDS; i++) {
        cors_memo_table[i] = NULL;
    }
    cors_memo_bytes = 0;
    cors_memo_entries = 0;
#if APR_HAS_THREADS
    if (apr_thread_mutex_create(&cors_memo_lock, APR_THREAD_MUTEX_DEFAULT,
                                pchild) != APR_SUCCESS) {
        return;
    }
#endif
    if (apr_allocator_create(&allocator) != APR_SUCCESS) {
        return;
    }
    if (apr_pool_create_ex(&pool, pchild, NULL, allocator) != APR_SUCCESS) {
        apr_allocator_destroy(allocator);
        return;
    }
    apr_allocator_owner_set(allocator, pool);
    for (i = 0; i < CORS_MEMO_KINDS; i++) {
        cors_memo_table[i] = apr_hash_make(pool);
    }
    cors_memo_made++;
}

static void cors_child_init(apr_pool_t *p, server_rec *s)
{
    apr_allocator_t *allocator;
    apr_pool_t *pool;

    cors_memo_init(p);
    cors_file_child_init(p);
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

void cors_config_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(cors_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(cors_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_test_config(cors_test_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(cors_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}
