/* Licensed under the Apache License, Version 2.0. */

/*
 * The table of contents of mod_cors: the types its files share and what
 * each file offers.  Each file calls only those below it:
 *
 *   mod_cors.c     the module record and the request path
 *   cors_diag.c    counters, the cors-status handler, DUMP_CORS
 *   cors_decide.c  the decision, for requests and the checker alike
 *   cors_config.c  directives, merge, checks and warnings, startup hooks
 *   cors_match.c   request-free rules (cors_match.h), unit-tested
 *
 * Not installed; nothing outside the module includes it.
 */

#ifndef CORS_INTERNAL_H
#define CORS_INTERNAL_H

#include <stddef.h>

#include "httpd.h"
#include "http_config.h"
#include "ap_regex.h"

#include "cors_match.h"

/*
 * What the module's files share stays inside mod_cors.so: hidden, so that
 * a call from one file to another binds directly, without the PLT.  Only
 * the module record (mod_cors.c) is exported.
 */
#if defined(__GNUC__) && __GNUC__ >= 4
#pragma GCC visibility push(hidden)
#endif

/*
 * What older httpd 2.4 releases lack, in one place (docs/testing.md lists
 * the versions tested).  The oldest supported is 2.4.30: the module
 * record ends with AP_MODULE_FLAG_NONE (ap_mmn.h 20120211.70).
 */
#if !AP_MODULE_MAGIC_AT_LEAST(20120211, 70)
#error "mod_cors needs Apache httpd 2.4.30 or later"
#endif
/* httpd.h defines it after 2.4.62 only (ap_mmn.h records no bump). */
#ifndef DOCTYPE_HTML_4_01
#define DOCTYPE_HTML_4_01 \
    "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" " \
    "\"http://www.w3.org/TR/html4/strict.dtd\">\n"
#endif

/*
 * A branch that most requests do not take (CORS_RARE), or that most
 * policies do not use (CORS_APART): kept out of line, so that its locals
 * do not weigh on the common path.
 */
#if defined(__GNUC__)
#define CORS_RARE __attribute__((noinline, cold))
#define CORS_APART __attribute__((noinline))
#else
#define CORS_RARE
#define CORS_APART
#endif

/* A step of the common path called from a rare one too: still inlined
 * into the common path, where a call would cost every request. */
#if defined(__GNUC__)
#define CORS_HOT APR_INLINE __attribute__((always_inline))
#else
#define CORS_HOT APR_INLINE
#endif

/* The one place the version is written (docs/mod_cors.html#version). */
#define MOD_CORS_VERSION "1.1.0"

/* Where a value was set: a configuration file or .htaccess, and a line. */
typedef struct {
    const char *directive;      /* as httpd knows it, e.g. CORSMaxAge */
    const char *file;
    int line;
} cors_where;

/* A single-valued directive: the most specific section that sets it wins. */
typedef struct {
    int value;                  /* On/Off, 204/200, seconds, CORS_PROTECT_* */
    const char *text;           /* the value as sent or shown */
    cors_where where;
} cors_value;

/*
 * What a CORSAllowOriginMatch regex's text alone gives: the same for
 * every line that writes it, so a child keeps it for .htaccess files
 * (cors_config.c, the memo).
 */
typedef struct {
    ap_regex_t *re;                     /* anchored and bounded; NULL: it
                                         * does not compile */
    void *jit;                          /* the same, compiled to machine
                                         * code by PCRE2 for a regex read
                                         * once and matched often; NULL:
                                         * ap_regexec matches it */
    const char *error;                  /* then why */
    apr_array_header_t *domains;        /* its domain set (trust) */
    int any;                            /* it allows every site */
    const char *unsafe;                 /* why none of its origins is
                                         * trusted, or NULL */
    apr_array_header_t *warnings;       /* what its text deserves, said at
                                         * each line that writes it */
} cors_regex_text;

/* A CORSAllowOriginMatch line. */
typedef struct {
    const char *text;                   /* as written */
    const cors_regex_text *is;          /* what the text gives */
    cors_where where;
} cors_regex;

/* One version of an origin list file, read whole (cors_file.c). */
typedef struct {
    apr_pool_t *pool;                   /* its own: freed with its last
                                         * user */
    cors_origin_set *set;               /* the patterns, trusted */
    cors_origin_set *suffix_set;        /* "*." right under a public
                                         * suffix: never trusted */
    int count;                          /* the patterns it lists */
    volatile apr_uint32_t refs;         /* requests using it, and 1 while
                                         * it is in force */
} cors_file_set;

/* A CORSAllowOriginFile line (docs/mod_cors.html#origin-files). */
typedef struct {
    const char *path;                   /* absolute */
    cors_where where;                   /* the directive */
    const char *allows;                 /* "the origins listed in PATH" */
    int cred;                           /* credentials were On where it
                                         * was read: warn of http:// */
    server_rec *s;                      /* its server, for log lines */
    cors_file_set *current;             /* the version in force, swapped
                                         * under cors_file.c's lock */
    apr_time_t mtime;                   /* the last version read, kept or
                                         * refused, by these three */
    apr_off_t size;
    apr_ino_t inode;
    volatile apr_time_t checked;        /* this child's last look */
    volatile apr_uint32_t busy;         /* a thread is looking now */
    int gone;                           /* missing at the last look */
    cors_counter *reloads;              /* read again: [0] in force,
                                         * [1] refused; NULL: no counters */
} cors_origin_file;

/*
 * All CORSAllowOrigin, CORSAllowOriginMatch and CORSAllowOriginFile lines
 * of one section: the set is inherited as a whole
 * (docs/mod_cors.html#merging).
 */
typedef struct {
    cors_origin_set *set;               /* exact and "*." patterns */
    cors_origin_set *suffix_set;        /* "*." right under a public suffix */
    apr_array_header_t *patterns;       /* cors_pattern, for checks */
    apr_array_header_t *regexes;        /* cors_regex */
    apr_array_header_t *files;          /* cors_origin_file *, or NULL */
    const char *unsafe;                 /* first value whose origins are
                                         * never trusted, for messages */
    const char *unsafe_fix;             /* what to write instead (NULL:
                                         * list the origins) */
    int protect_warned;                 /* protection beside it, warned */
    const char *text;                   /* the values as written */
    const char *section;                /* "file:line" of the section */
    int slot;                           /* its counter (0: .htaccess) */
    int any;                            /* "*" */
    int null;                           /* "null" */
    int none;                           /* "none" */
    const void *line;                   /* the CORSAllowOrigin line read
                                         * whole from the memo, or none
                                         * yet: sets and patterns shared;
                                         * NULL: they are its own */
    int allows;                         /* not empty: the module acts */
    cors_where where;                   /* the section's first such line */
} cors_origins;

/* CORSAllowMethods, CORSAllowHeaders or CORSExposeHeaders. */
typedef struct {
    apr_array_header_t *names;          /* as written; methods normalized */
    int star;
    int star_warned;                    /* a name beside * was warned of */
    const char *value;                  /* the response header's value */
    const void *line;                   /* the line read whole from the
                                         * memo (names shared), or NULL */
    cors_where where;
} cors_list;

#define CORS_PROTECT_OFF    0
#define CORS_PROTECT_ON     1
#define CORS_PROTECT_REPORT 2

/*
 * The policy's fields, in the order the checker lists them: X(member,
 * type, writes): what the value writes is a response field, CORS_STATUS
 * (an answered preflight's status) or CORS_NOTHING.  The configuration's
 * struct, its merge and the checker's Set-By lines all come from this one
 * list; each type has a "where".
 */
#define CORS_POLICY_FIELDS(X) \
    X(origins, cors_origins, CORS_ACAO)   /* CORSAllowOrigin[Match] */ \
    X(methods, cors_list, CORS_ACAM)      /* CORSAllowMethods */ \
    X(headers, cors_list, CORS_ACAH)      /* CORSAllowHeaders */ \
    X(expose, cors_list, CORS_ACEH)       /* CORSExposeHeaders */ \
    X(credentials, const cors_value, CORS_ACAC) /* CORSAllowCredentials */ \
    X(max_age, const cors_value, CORS_ACMA) /* CORSMaxAge */ \
    X(private_network, const cors_value, CORS_ACAPN) \
                                          /* CORSAllowPrivateNetwork */ \
    X(preflight_status, const cors_value, CORS_STATUS) \
                                          /* CORSPreflightStatus */ \
    X(protect, const cors_value, CORS_NOTHING) \
                                          /* CORSCrossOriginProtection */ \
    X(status, const cors_value, CORS_NOTHING) /* CORSStatus */ \
    X(shadow, const cors_value, CORS_NOTHING) /* CORSShadow */

/* Every field NULL: inherit.  The merge picks pointers and nothing else. */
typedef struct {
    int set;                            /* some directive set a field */
#define CORS_FIELD_MEMBER(member, type, writes) type *member;
    CORS_POLICY_FIELDS(CORS_FIELD_MEMBER)
#undef CORS_FIELD_MEMBER
} cors_dir_conf;

/* Is the module active here (docs/mod_cors.html#merging)?  Per request:
 * origins->allows was worked out when the directives were read. */
static APR_INLINE int cors_has_origins(const cors_dir_conf *conf)
{
    return conf->origins && conf->origins->allows;
}

static APR_INLINE int cors_active(const cors_dir_conf *conf)
{
    return cors_has_origins(conf)
        || (conf->protect && conf->protect->value != CORS_PROTECT_OFF);
}

static APR_INLINE int cors_credentials_on(const cors_dir_conf *conf)
{
    return conf->credentials && conf->credentials->value;
}

/* CORSShadow On: decide, change nothing, compare (docs/mod_cors.html#shadow) */
static APR_INLINE int cors_shadow_on(const cors_dir_conf *conf)
{
    return conf->shadow && conf->shadow->value;
}

/*
 * The response fields the module writes, in the order it writes them;
 * cors_field_names[] gives their names.  An actual response can carry the
 * first CORS_NACTUAL only.
 */
enum {
    CORS_ACAO, CORS_ACAC, CORS_ACEH, CORS_ACAM, CORS_ACAH, CORS_ACMA,
    CORS_ACAPN, CORS_NFIELDS
};
/* What CORS_POLICY_FIELDS's values write beside the fields. */
#define CORS_STATUS  CORS_NFIELDS
#define CORS_NOTHING (CORS_NFIELDS + 1)
#define CORS_NACTUAL (CORS_ACEH + 1)
extern const char *const cors_field_names[CORS_NFIELDS];

/*
 * The values of the CORS request note (docs/mod_cors.html#logging), in
 * the order the counters show them.  A denial is what is counted per
 * section.
 */
enum {
    CORS_NOTE_NONE,
    CORS_NOTE_PREFLIGHT_ALLOWED,
    CORS_NOTE_PREFLIGHT_ORIGIN,         /* preflight:denied:origin */
    CORS_NOTE_PREFLIGHT_MALFORMED,      /* and so on, in this order */
    CORS_NOTE_PREFLIGHT_METHOD,
    CORS_NOTE_PREFLIGHT_HEADERS,
    CORS_NOTE_PREFLIGHT_UNANSWERED,     /* httpd answered it first */
    CORS_NOTE_ACTUAL_ALLOWED,
    CORS_NOTE_ACTUAL_ANY,
    CORS_NOTE_ACTUAL_ORIGIN,
    CORS_NOTE_ACTUAL_MALFORMED,
    CORS_NOTE_PROTECT_REFUSED,
    CORS_NOTE_PROTECT_REPORT,
    CORS_NOTE_SHADOW_AGREE,             /* CORSShadow: what the response */
    CORS_NOTE_SHADOW_DIFFER,            /* carries, against the decision */
    CORS_NNOTES,
    CORS_NOTE_UNSET = -1                /* the module does nothing here */
};
extern const char *const cors_note_names[CORS_NNOTES];
#define CORS_NOTE_IS_DENIAL(n) \
    (((n) >= CORS_NOTE_PREFLIGHT_ORIGIN \
      && (n) <= CORS_NOTE_PREFLIGHT_HEADERS) \
     || (n) == CORS_NOTE_ACTUAL_ORIGIN || (n) == CORS_NOTE_ACTUAL_MALFORMED \
     || (n) == CORS_NOTE_PROTECT_REFUSED)
/* A preflight the module answers itself: allowed or denied. */
#define CORS_NOTE_ANSWERS_PREFLIGHT(n) \
    ((n) >= CORS_NOTE_PREFLIGHT_ALLOWED \
     && (n) <= CORS_NOTE_PREFLIGHT_HEADERS)

/*
 * What a request brings to a decision; NULL fields are absent.  A real
 * request also gives its headers, so that what only some steps need
 * (Sec-Fetch-Site, Host) is looked up only when they are reached; the
 * checker gives every value and no table.
 */
typedef struct {
    apr_table_t *headers;       /* the request's headers_in, or NULL */
    const char *method;         /* the request's own */
    const char *origin;
    const char *acrm;           /* Access-Control-Request-Method */
    const char *acrh;
    const char *acrpn;
    const char *sec_fetch_site;
    int websocket;              /* a GET whose Upgrade names websocket */
    const char *host;
    int unanswered;             /* httpd answered before post_perdir_config
                                 * (docs/mod_cors.html#limits) */
} cors_input;

/* A decision and everything the log, the note and the checker show. */
typedef struct {
    const char *field[CORS_NFIELDS];    /* NULL: not sent */
    int nfields;                        /* how many of them to look at */
    const char *vary;
    int note;                           /* CORS_NOTE_* */
    const char *offending;              /* the refused values, or NULL */
    const char *directive;              /* the deciding directive */
    const cors_where *by;               /* where it was set (NULL: unset) */
    const char *allows;                 /* what it allows */
    const char *withheld;               /* credentials withheld beside it */
    const cors_regex *untrusted;        /* it allowed the origin, but its
                                         * domain set does not trust it */
    const char *pna_refused;            /* why ACAPN was not granted */
    const cors_regex *limited;          /* a regex that hit its limit */
    const cors_dir_conf *conf;          /* the policy it applied */
    int refused;                        /* 403 before the handler */
    int write;                          /* the fields are to be written */
    int shadow;                         /* CORSShadow: only compared
                                         * (write is 0) */
    /* last, and not cleared with the rest: set whole when used */
    cors_where from_file;               /* by, when an origin list file's
                                         * line allowed the origin */
} cors_decision;

/* What a new decision clears: all but from_file. */
#define CORS_DECISION_CLEAR offsetof(cors_decision, from_file)

/* Policy sections by counter slot; slot 0 stands for every .htaccess. */
typedef struct {
    apr_array_header_t *names;          /* "file:line" */
    apr_hash_t *slots;                  /* name -> slot + 1 */
} cors_sections;

/* A configuration warning, kept for the log and for DUMP_CORS. */
typedef struct {
    const char *tag;                    /* "CORS001" */
    const char *directive;              /* the directive it is about */
    const char *file;                   /* where that directive is */
    int line;
    const char *text;                   /* what is wrong, and what to do */
} cors_warning;

/* --- cors_diag.c: counters, the cors-status handler, DUMP_CORS --- */
void cors_diag_count(const cors_dir_conf *conf, int note);
void cors_diag_lookup_reached(request_rec *r);
/* SetHandler cors-status (r->handler starts with 'c'), else DECLINED. */
int cors_diag_handler(request_rec *r);
void cors_diag_register_hooks(apr_pool_t *p);

/* --- cors_decide.c: the decision real requests and the checker share --- */
void cors_decide(apr_pool_t *p, const cors_dir_conf *conf,
                 const cors_input *in, cors_decision *d);

/*
 * Cross-origin protection alone, under the configuration of a URL the
 * request is served through after the one it asked for (an internal
 * redirect, a DirectoryIndex or MultiViews file, a <Files> section):
 * d->note becomes protect:refused or protect:report, or stays
 * CORS_NOTE_UNSET (docs/mod_cors.html#protection).
 */
void cors_decide_protection(const cors_dir_conf *conf, const cors_input *in,
                            cors_decision *d);

/*
 * CORSShadow: what the response carries (status, and the fields of its
 * two header tables) against what decision d would have sent.  Returns
 * NULL where they agree, else every difference, in one sentence's parts
 * ("would send ACAO "a", the response has "*"; ..."), from p.
 */
const char *cors_shadow_compare(apr_pool_t *p, const cors_decision *d,
                                int status, apr_table_t *headers_out,
                                apr_table_t *err_headers_out);

/* --- cors_file.c: origin list files, read again when they change --- */
/* Read f->path at startup into f->current: NULL, or why not (naming
 * path:line); each line's warning goes to warnings as "path:line: ...". */
const char *cors_file_load(apr_pool_t *pconf, cors_origin_file *f,
                           apr_array_header_t *warnings);
/* The version in force, held until cors_file_release; the file is looked
 * at again first if this child has not looked for a second. */
const cors_file_set *cors_file_acquire(cors_origin_file *f);
void cors_file_release(const cors_file_set *v);
/* The line of v that allows o (0 if it has none), or -1; *untrusted is
 * set when only a "*." under a public suffix does. */
int cors_file_find(const cors_file_set *v, const cors_origin *o,
                   int *untrusted);
void cors_file_child_init(apr_pool_t *pchild);

/* --- cors_config.c: directives, checks, warnings, startup --- */
extern const command_rec cors_cmds[];
void *cors_create_dir_conf(apr_pool_t *p, char *dir);
void *cors_merge_dir_conf(apr_pool_t *p, void *basev, void *addv);
/* a full-span match under the limits; *limited: the limits were hit */
int cors_regex_matches(const cors_regex_text *t, const char *s,
                       apr_size_t len, int *limited);
/* the first time this child meets key: log once per child and key */
int cors_first_time(const char *key);
const cors_sections *cors_config_sections(apr_pool_t *pconf);
/* Every CORSAllowOriginFile line (cors_origin_file *), in pconf. */
const apr_array_header_t *cors_config_files(apr_pool_t *pconf);
const apr_array_header_t *cors_config_warnings(apr_pool_t *pconf);
void cors_config_register_hooks(apr_pool_t *p);

#if defined(__GNUC__) && __GNUC__ >= 4
#pragma GCC visibility pop
#endif

#endif /* CORS_INTERNAL_H */
