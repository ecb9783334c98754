/* Licensed under the Apache License, Version 2.0. */

/*
 * cors_match: the request-free part of mod_cors.
 *
 * Origin syntax, origin patterns, the allowed-origin set, the public
 * suffix list (libpsl, loaded once by cors_match_init), HTTP token lists,
 * the method rules, the probes a regex is tried with, and the counters'
 * atomic arithmetic.  It needs APR and libpsl but no httpd, so the unit
 * tests, the fuzzers and the benchmarks link it directly; it calls no
 * other file of the module.  Nothing here allocates while answering a
 * request: parsing a request header only points into the caller's
 * buffer, and matching uses the stack.
 */

#ifndef CORS_MATCH_H
#define CORS_MATCH_H

#include "apr_pools.h"
#include "apr_tables.h"
#include "apr_hash.h"

/*
 * What the module's files share stays inside mod_cors.so: hidden, so that
 * a call from one file to another binds directly, without the PLT.  The unit
 * tests, fuzzers and benchmarks link this file directly.
 */
#if defined(__GNUC__) && __GNUC__ >= 4
#pragma GCC visibility push(hidden)
#endif

/* Longest Origin value considered at all (docs/mod_cors.html#requests). */
#define CORS_ORIGIN_MAX 300

/* Port value of a pattern that accepts any port, or none. */
#define CORS_PORT_ANY (-1)

/* A serialized origin as a browser sends it, split without copying. */
typedef struct {
    const char *scheme;
    apr_size_t scheme_len;
    const char *host;           /* brackets included for IPv6 */
    apr_size_t host_len;
    int port;                   /* 0 when absent */
    int host_is_ip;             /* IPv4 or IPv6: never matches a "*." */
    int is_null;                /* the opaque origin "null" */
} cors_origin;

/* A CORSAllowOrigin pattern, normalized: lower case, default port gone. */
typedef struct {
    const char *scheme;
    const char *host;           /* for a wildcard: the suffix, e.g. ".a.com" */
    int port;                   /* 0: none, CORS_PORT_ANY: ":*" */
    int wildcard;               /* host was "*.suffix" */
    int host_is_ip;
    int line;                   /* its line in an origin list file, or 0 */
} cors_pattern;

/*
 * A few exact origins are compared directly, length first: cheaper than
 * lower-casing and hashing the Origin.  More go to a hash.
 */
#define CORS_SMALL_SET 4

/* Exact and "*." patterns, looked up by host: cost follows the Origin. */
typedef struct {
    apr_hash_t *exact;          /* host -> cors_port_rule list (each
                                 * hash NULL until a pattern needs it) */
    apr_hash_t *wild;           /* ".suffix" -> cors_port_rule list */
    apr_hash_t *full;           /* "scheme://host[:port]" of exact ones */
    const char *small[CORS_SMALL_SET];  /* the same, while there are few */
    apr_size_t small_len[CORS_SMALL_SET];
    int nsmall;                 /* -1: too many, use full */
    apr_uint64_t wild_labels;   /* bit n: some "*." suffix has n labels */
    int count;
} cors_origin_set;

/*
 * Parse a request's Origin value.  Returns 1 and fills *o if it is one
 * serialized origin of at most CORS_ORIGIN_MAX bytes, else 0.
 */
int cors_origin_parse(const char *s, apr_size_t len, cors_origin *o);

/*
 * Parse a configured origin pattern (not "*", "none" or "null", which
 * the directive handles).  Returns NULL and fills *pat, or a message
 * saying what is wrong, allocated from p.
 */
const char *cors_pattern_parse(apr_pool_t *p, const char *text,
                               cors_pattern *pat);

/* The pattern written back in its normalized form, for messages. */
const char *cors_pattern_unparse(apr_pool_t *p, const cors_pattern *pat);

/* A pattern whose origins are on this machine (localhost, loopback). */
int cors_pattern_is_local(const cors_pattern *pat);

/*
 * The warnings a pattern as written (text) deserves, wherever it is read
 * (CORSAllowOrigin, an origin list file), from p; NULL if none.  suffix:
 * a "*." right under a public suffix.  http_credentials: an http://
 * origin that is not local, where credentials are on.
 */
const char *cors_pattern_suffix_warning(apr_pool_t *p, const char *text,
                                        const cors_pattern *pat);
const char *cors_pattern_http_warning(apr_pool_t *p,
                                      const cors_pattern *pat);

/*
 * A "*." pattern whose suffix is a public suffix ("*.com", "*.co.uk",
 * "*.github.io"): it would allow sites run by unrelated parties.
 */
int cors_pattern_under_public_suffix(const cors_pattern *pat);

/*
 * Load the public suffix list (the system's, else libpsl's built-in one).
 * Call it before threads start: .htaccess files are read while serving.
 * With a pool, the list is freed when the pool is cleared.
 */
void cors_match_init(apr_pool_t *p);

cors_origin_set *cors_set_make(apr_pool_t *p);
void cors_set_add(apr_pool_t *p, cors_origin_set *set,
                  const cors_pattern *pat);

/* Does a parsed, non-null origin match an exact or "*." pattern? */
int cors_set_match(const cors_origin_set *set, const cors_origin *o);

/* The same, saying which pattern: its line (cors_pattern.line), or -1
 * when none matches. */
int cors_set_find(const cors_origin_set *set, const cors_origin *o);

/*
 * The fast path for the common case: is the Origin value, lower-cased,
 * the normal form of an exact pattern (one without "*")?  Such a value is
 * a valid serialized origin, so it needs no parse.  0 means "not found
 * here", not "denied": the caller goes on with cors_origin_parse.
 */
int cors_set_match_exact(const cors_origin_set *set, const char *s,
                         apr_size_t len);

/* RFC 9110 token: one or more tchar. */
int cors_is_token(const char *s, apr_size_t len);

/*
 * Step through a comma-separated list of tokens such as
 * Access-Control-Request-Headers, skipping optional whitespace and empty
 * elements.  Returns 1 with the next element in *tok and *len, 0 at the end,
 * and -1 (with the offending element) when an element is not a token.
 */
int cors_list_next(const char **p, const char *end,
                   const char **tok, apr_size_t *len);

/*
 * Add a header name to a list, as first written, unless present in any
 * case; returns 1 if added.  Names are compared case-insensitively.
 */
int cors_names_add(apr_array_header_t *names, const char *name);

/* Is the token tok/len one of the names (case-insensitive)? */
int cors_names_has(const apr_array_header_t *names, const char *tok,
                   apr_size_t len);

/*
 * Check an Access-Control-Request-Headers value against allowed names.
 * With star set, every name but Authorization is allowed.  Returns 1 if
 * every element is allowed, else 0 with the first refused element (or
 * the malformed one) in *bad and *badlen.
 */
int cors_request_headers_allowed(const char *acrh, apr_size_t len,
                                 const apr_array_header_t *names, int star,
                                 const char **bad, apr_size_t *badlen);

/*
 * Methods.  A preflight never needs to allow GET, HEAD or POST (browsers
 * do not check them); the Fetch standard upper-cases exactly six names;
 * CONNECT, TRACE and TRACK are forbidden methods browsers never send.
 */
int cors_method_is_simple(const char *m);
int cors_method_is_safe(const char *m);         /* GET, HEAD, OPTIONS */
const char *cors_method_normalize(const char *m);
int cors_method_is_forbidden(const char *m);
/* A request header a page can never set (Cookie, Host, Sec-*, Proxy-*...):
 * listing it in CORSAllowHeaders has no effect. */
int cors_header_is_forbidden(const char *name);

/* Accept, Accept-Language and Content-Language: the Fetch standard's
 * CORS-safelisted request headers whatever their value's type (a value
 * over 128 bytes or with unusual bytes still needs listing). */
int cors_header_is_safelisted(const char *name);
/* Is m one of the names, compared case-sensitively (patch is not PATCH)? */
int cors_method_listed(const apr_array_header_t *names, const char *m);

/*
 * Every element of an Access-Control-Request-Headers value that the
 * names (or star) refuse, space-separated, at most max bytes of them
 * ("..." marks a cut), for the error log.  The caller has seen
 * cors_request_headers_allowed() refuse the value.
 */
const char *cors_request_headers_refused(apr_pool_t *p, const char *acrh,
                                         apr_size_t len,
                                         const apr_array_header_t *names,
                                         int star, apr_size_t max);

/*
 * Origins that no policy means to allow: a CORSAllowOriginMatch regex
 * that matches them allows every site.
 */
extern const char *const cors_canary_origins[];

/*
 * A value for a log line (docs/mod_cors.html#logging): in double quotes,
 * at most max bytes of it (0: all; "..." marks a cut), a double quote
 * inside written \x22, so that it can never end its own quotes.  httpd's
 * error log escapes control bytes and backslashes itself.
 */
const char *cors_quote(apr_pool_t *p, const char *s, apr_size_t max);

/*
 * Trust (docs/mod_cors.html#trust).  The registrable domain of a host in
 * lower case (eTLD+1, by the public suffix list): the host itself for an
 * IP address or localhost, NULL for a public suffix.  It may point into
 * host.
 */
const char *cors_registrable_domain(const char *host, int is_ip);

/* The registrable domain of a parsed origin's host, lower-cased into buf
 * (it may point there); NULL for "null" or a public suffix. */
const char *cors_origin_domain(const cors_origin *o,
                               char buf[CORS_ORIGIN_MAX + 1]);

/* Is d (may be NULL) one of the domains? */
int cors_domains_has(const apr_array_header_t *domains, const char *d);

/*
 * The domain set of a CORSAllowOriginMatch regex: the registrable domains
 * its author wrote literally at the end of the host.  The host part of
 * each top-level alternative is read after "://" (all of it for a
 * host-only regex) up to the end anchor and an optional port; "\.",
 * "[.]", "\x2e" and "\056" are dots; a final group of alternatives is
 * expanded (at most 16 names in all, else the set is empty); the literal
 * run of host characters at the end of each name gives its registrable
 * domain, and a public suffix gives none.  Never NULL; may be empty.
 */
apr_array_header_t *cors_regex_domains(apr_pool_t *p, const char *regex);

/*
 * Lookalike probes for a CORSAllowOriginMatch regex
 * (docs/mod_cors.html#safety): the literal host H is the longest run of
 * host characters after "://" (with "\." read as "."), S the scheme the
 * regex names (https if it names none).  Fills *probes with the origins
 * S://evilH, S://H.evil.test, H with each unescaped "." replaced by "x"
 * in turn, http://H when S is https, and S://H. -- none of which the
 * regex should match.  Returns NULL, or why no host could be read (then
 * *probes is NULL).  *host is the host read.
 */
const char *cors_regex_probes(apr_pool_t *p, const char *regex,
                              const char **host,
                              apr_array_header_t **probes);

/*
 * A counter in memory shared by every child: 64 bits, so that it never
 * wraps (Prometheus counters must not), added to without a lock.  APR
 * has 64-bit atomics from 1.7 only (RHEL 8 ships 1.6).
 */
typedef apr_uint64_t cors_counter;
#if defined(__GNUC__)
/* on the request path: inline, as gcc and clang build every httpd here */
static APR_INLINE void cors_counter_add(volatile cors_counter *c,
                                        apr_uint64_t n)
{
    __atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

static APR_INLINE apr_uint64_t cors_counter_read(volatile cors_counter *c)
{
    return __atomic_load_n(c, __ATOMIC_RELAXED);
}
#else
void cors_counter_add(volatile cors_counter *c, apr_uint64_t n);
apr_uint64_t cors_counter_read(volatile cors_counter *c);
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#pragma GCC visibility pop
#endif

#endif /* CORS_MATCH_H */
