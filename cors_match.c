/* Licensed under the Apache License, Version 2.0. */

/*
 * cors_match: the request-free rules -- origin syntax and patterns, the
 * allowed-origin set, public suffixes, token lists, methods, regex probes
 * and counters -- without httpd.  Calls no other file of the module; see
 * cors_match.h.
 */

#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libpsl.h>

#include "apr_atomic.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "cors_match.h"

/* The schemes and ports allowed by one pattern for one host. */
typedef struct cors_port_rule {
    const char *scheme;
    apr_size_t scheme_len;
    int port;
    int line;                   /* cors_pattern.line */
    struct cors_port_rule *next;
} cors_port_rule;

/*
 * ASCII by hand, not <ctype.h>: an Origin is ASCII whatever the locale,
 * and these run for each byte of each Origin, where the C library's
 * table lookup through a function call costs several times as much.
 */
static APR_INLINE int cors_is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9');
}

static APR_INLINE int cors_is_scheme_char(char c)
{
    return cors_is_alnum(c) || c == '+' || c == '-' || c == '.';
}

/* The bytes of a host's labels, by table: a loop over every byte of
 * every Origin. */
static const unsigned char cors_label_byte[256] = {
    ['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
    ['-'] = 1, ['_'] = 1
};

/*
 * Copy len bytes in lower case; d need not end in a NUL.  Eight bytes at
 * a time, as each Origin's host is lowered on the request path: a byte
 * gets 0x20 added when it is 'A' to 'Z', which the two sums below tell
 * by the top bit of each byte (bytes of 0x80 and above are left alone).
 */
static char *cors_lower(char *d, const char *s, apr_size_t len)
{
    const apr_uint64_t ones = APR_UINT64_C(0x0101010101010101);
    apr_size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        apr_uint64_t w, low, upper;

        memcpy(&w, s + i, 8);
        low = w & (ones * 0x7f);
        upper = ((low + ones * (0x80 - 'A')) ^ (low + ones * (0x7f - 'Z')))
                & ~w & (ones * 0x80);
        w |= upper >> 2;
        memcpy(d + i, &w, 8);
    }
    for (; i < len; i++) {
        d[i] = s[i] + (((unsigned char)(s[i] - 'A') < 26) << 5);
    }
    return d;
}

static char *cors_lower_dup(apr_pool_t *p, const char *s, apr_size_t len)
{
    return cors_lower(apr_pstrmemdup(p, s, len), s, len);
}

static int cors_all_digits(const char *s, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return len > 0;
}

/* The port a scheme implies; browsers leave it out of an origin. */
static int cors_default_port(const char *scheme, apr_size_t len)
{
    if (len == 4 && strncasecmp(scheme, "http", 4) == 0) {
        return 80;
    }
    if (len == 5 && strncasecmp(scheme, "https", 5) == 0) {
        return 443;
    }
    return 0;
}

/*
 * A dotted quad as the URL standard serializes it: four decimal parts,
 * 0-255, no leading zeros.
 */
static int cors_is_ipv4(const char *s, apr_size_t len)
{
    apr_size_t i = 0;
    int parts = 0;

    while (parts < 4) {
        apr_size_t start = i;
        int value = 0;

        while (i < len && apr_isdigit(s[i]) && i - start < 3) {
            value = value * 10 + (s[i] - '0');
            i++;
        }
        if (i == start || value > 255 || (s[start] == '0' && i - start > 1)) {
            return 0;
        }
        if (++parts < 4) {
            if (i >= len || s[i] != '.') {
                return 0;
            }
            i++;
        }
    }
    return i == len;
}

/* An IPv6 address between brackets, checked by the C library. */
static int cors_is_ipv6(const char *s, apr_size_t len)
{
    char buf[64];
    struct in6_addr addr;

    if (len < 3 || len - 2 >= sizeof(buf) || s[0] != '['
        || s[len - 1] != ']' || memchr(s, '\0', len)) {
        return 0;
    }
    memcpy(buf, s + 1, len - 2);
    buf[len - 2] = '\0';
    return inet_pton(AF_INET6, buf, &addr) == 1;
}

/*
 * Check a domain name, or an IPv4 address when its last label is a
 * number (the URL standard parses such a host as IPv4).  Returns NULL if
 * the host is fine, else what is wrong; *is_ip says which it was.
 */
static const char *cors_check_host(const char *s, apr_size_t len,
                                   int *is_ip)
{
    apr_size_t i, start = 0;

    *is_ip = 0;
    if (len == 0) {
        return "empty host";
    }
    for (i = 0; i <= len; i++) {
        if (i < len && cors_label_byte[(unsigned char)s[i]]) {
            continue;
        }
        if (i < len && s[i] != '.') {
            return "invalid character in host";
        }
        if (i == start) {
            return "empty label in host";
        }
        if (i - start > 63) {
            return "host label longer than 63 bytes";
        }
        if (i < len) {
            start = i + 1;
        }
    }
    /* start is now the last label */
    if (cors_all_digits(s + start, len - start)
        || (len - start >= 2 && s[start] == '0'
            && (s[start + 1] == 'x' || s[start + 1] == 'X'))) {
        if (!cors_is_ipv4(s, len)) {
            return "invalid IPv4 address";
        }
        *is_ip = 1;
    }
    return NULL;
}

int cors_origin_parse(const char *s, apr_size_t len, cors_origin *o)
{
    apr_size_t i = 0, host_start;
    int default_port;

    memset(o, 0, sizeof(*o));
    if (len == 0 || len > CORS_ORIGIN_MAX) {
        return 0;
    }
    if (len == 4 && memcmp(s, "null", 4) == 0) {
        o->is_null = 1;
        return 1;
    }

    if (!cors_is_alnum(s[0]) || (s[0] >= '0' && s[0] <= '9')) {
        return 0;               /* a scheme starts with a letter */
    }
    while (i < len && cors_is_scheme_char(s[i])) {
        i++;
    }
    if (len - i < 3 || memcmp(s + i, "://", 3) != 0) {
        return 0;
    }
    o->scheme = s;
    o->scheme_len = i;
    i += 3;

    host_start = i;
    if (i < len && s[i] == '[') {
        while (i < len && s[i] != ']') {
            i++;
        }
        if (i == len || !cors_is_ipv6(s + host_start, i + 1 - host_start)) {
            return 0;
        }
        i++;
        o->host_is_ip = 1;
    }
    else {
        const char *colon = memchr(s + i, ':', len - i);

        i = colon ? (apr_size_t)(colon - s) : len;
        if (cors_check_host(s + host_start, i - host_start, &o->host_is_ip)) {
            return 0;
        }
    }
    o->host = s + host_start;
    o->host_len = i - host_start;

    if (i == len) {
        return 1;
    }
    if (s[i] != ':' || len - i < 2 || len - i > 6 || s[i + 1] == '0'
        || !cors_all_digits(s + i + 1, len - i - 1)) {
        return 0;
    }
    /* the value need not end in a NUL: add up the digits */
    for (i++; i < len; i++) {
        o->port = o->port * 10 + (s[i] - '0');
    }
    default_port = cors_default_port(o->scheme, o->scheme_len);
    if (o->port > 65535 || o->port == default_port) {
        return 0;
    }
    return 1;
}

const char *cors_pattern_parse(apr_pool_t *p, const char *text,
                               cors_pattern *pat)
{
    const char *sep, *auth, *end, *host, *host_end, *at;
    const char *why;
    apr_size_t i;

    memset(pat, 0, sizeof(*pat));
    for (i = 0; text[i]; i++) {
        if (apr_isspace(text[i]) || apr_iscntrl(text[i])) {
            return "whitespace or a control character in the origin";
        }
    }
    sep = strstr(text, "://");
    if (sep == NULL) {
        return "no scheme:// (an origin is scheme://host[:port])";
    }
    if (sep == text || !apr_isalpha(text[0])) {
        return "invalid scheme";
    }
    for (i = 0; text + i < sep; i++) {
        if (!cors_is_scheme_char(text[i])) {
            return "invalid scheme";
        }
    }
    auth = sep + 3;
    end = auth + strcspn(auth, "/?#");
    switch (*end) {
    case '/':
        return "a path or trailing slash (an origin is scheme://host[:port])";
    case '?':
        return "a query (an origin is scheme://host[:port])";
    case '#':
        return "a fragment (an origin is scheme://host[:port])";
    }
    at = memchr(auth, '@', end - auth);
    if (at != NULL) {
        return "userinfo (an origin is scheme://host[:port])";
    }

    host = auth;
    if (*host == '[') {
        host_end = strchr(host, ']');
        if (host_end == NULL || !cors_is_ipv6(host, host_end + 1 - host)) {
            return "invalid IPv6 address";
        }
        host_end++;
        pat->host_is_ip = 1;
    }
    else {
        host_end = host + strcspn(host, ":");
        if (host_end - host >= 2 && host[0] == '*' && host[1] == '.') {
            pat->wildcard = 1;
            host++;              /* keep the dot: the key is ".suffix" */
        }
        if (memchr(host, '*', host_end - host)) {
            return "'*' is allowed only as a whole leftmost label "
                   "('*.example.com') or as a whole port (':*')";
        }
        why = cors_check_host(host + pat->wildcard,
                              host_end - host - pat->wildcard,
                              &pat->host_is_ip);
        if (why != NULL) {
            return why;
        }
        if (pat->wildcard && pat->host_is_ip) {
            return "'*.' needs a domain name, not an IP address";
        }
    }

    if (*host_end == ':') {
        const char *port = host_end + 1;

        if (strcmp(port, "*") == 0) {
            pat->port = CORS_PORT_ANY;
        }
        else if (!cors_all_digits(port, strlen(port))) {
            return *port == '*' || strchr(port, '*')
                ? "'*' is allowed only as a whole leftmost label "
                  "('*.example.com') or as a whole port (':*')"
                : "invalid port";
        }
        else if (strlen(port) > 5 || atoi(port) < 1 || atoi(port) > 65535) {
            return "port outside 1-65535";
        }
        else {
            pat->port = atoi(port);
        }
    }
    else if (*host_end != '\0') {
        return "invalid host";
    }

    pat->scheme = cors_lower_dup(p, text, sep - text);
    pat->host = cors_lower_dup(p, host, host_end - host);
    if (pat->port == cors_default_port(pat->scheme, strlen(pat->scheme))) {
        pat->port = 0;
    }
    return NULL;
}

const char *cors_pattern_unparse(apr_pool_t *p, const cors_pattern *pat)
{
    const char *port = pat->port == CORS_PORT_ANY ? ":*"
        : pat->port ? apr_psprintf(p, ":%d", pat->port) : "";

    return apr_pstrcat(p, pat->scheme, "://", pat->wildcard ? "*" : "",
                       pat->host, port, NULL);
}

static int cors_ends_with(const char *s, const char *suffix)
{
    apr_size_t len = strlen(s), slen = strlen(suffix);

    return len >= slen && strcmp(s + len - slen, suffix) == 0;
}

int cors_pattern_is_local(const cors_pattern *pat)
{
    if (pat->host_is_ip) {
        return strncmp(pat->host, "127.", 4) == 0
            || strcmp(pat->host, "[::1]") == 0;
    }
    return strcmp(pat->host, "localhost") == 0
        || cors_ends_with(pat->host, ".localhost");
}

const char *cors_pattern_suffix_warning(apr_pool_t *p, const char *text,
                                        const cors_pattern *pat)
{
    return apr_psprintf(p, "\"%s\" allows every site under the public "
                        "suffix %s, whoever runs it; list your own sites "
                        "instead, e.g. https://*.example.com.", text,
                        pat->host + 1);
}

const char *cors_pattern_http_warning(apr_pool_t *p,
                                      const cors_pattern *pat)
{
    if (pat->scheme == NULL || strcmp(pat->scheme, "http")
        || cors_pattern_is_local(pat)) {
        return NULL;
    }
    return apr_psprintf(p, "credentials allowed for %s, an http:// origin: "
                        "anyone on the network path can act as it; allow "
                        "its https:// origin instead.",
                        cors_pattern_unparse(p, pat));
}

static const psl_ctx_t *cors_psl;
static psl_ctx_t *cors_psl_loaded;     /* what psl_free() must release */

static apr_status_t cors_psl_free(void *unused)
{
    if (cors_psl_loaded != NULL) {
        psl_free(cors_psl_loaded);
        cors_psl_loaded = NULL;
    }
    cors_psl = NULL;
    return APR_SUCCESS;
}

void cors_match_init(apr_pool_t *p)
{
    if (cors_psl == NULL) {
        cors_psl = cors_psl_loaded = psl_latest(NULL);
        if (cors_psl == NULL) {
            cors_psl = psl_builtin();
        }
    }
    if (p != NULL) {
        /* httpd unloads the module with its configuration pool: the list
         * must go with it, or every restart leaks one */
        apr_pool_cleanup_register(p, NULL, cors_psl_free,
                                  apr_pool_cleanup_null);
    }
}

int cors_pattern_under_public_suffix(const cors_pattern *pat)
{
    if (!pat->wildcard) {
        return 0;
    }
    cors_match_init(NULL);
    if (cors_psl == NULL) {
        /* No list at all: every single label is a public suffix. */
        return strchr(pat->host + 1, '.') == NULL;
    }
    return psl_is_public_suffix(cors_psl, pat->host + 1);
}

cors_origin_set *cors_set_make(apr_pool_t *p)
{
    /* the hashes are made when a pattern needs them: a tenant's
     * .htaccess makes its set on every request */
    return apr_pcalloc(p, sizeof(cors_origin_set));
}

void cors_set_add(apr_pool_t *p, cors_origin_set *set,
                  const cors_pattern *pat)
{
    apr_hash_t **slot = pat->wildcard ? &set->wild : &set->exact;
    apr_hash_t *hash = *slot ? *slot : (*slot = apr_hash_make(p));
    cors_port_rule *rule = apr_palloc(p, sizeof(*rule));

    rule->scheme = pat->scheme;
    rule->scheme_len = strlen(pat->scheme);
    rule->port = pat->port;
    rule->line = pat->line;
    rule->next = apr_hash_get(hash, pat->host, APR_HASH_KEY_STRING);
    apr_hash_set(hash, pat->host, APR_HASH_KEY_STRING, rule);
    if (pat->wildcard) {
        const char *c;
        int labels = 0;

        for (c = pat->host; *c; c++) {
            labels += *c == '.';
        }
        /* 63 labels and more share the last bit */
        set->wild_labels |= (apr_uint64_t)1 << (labels < 63 ? labels : 63);
    }
    else if (pat->port != CORS_PORT_ANY) {
        const char *full = cors_pattern_unparse(p, pat);

        if (set->full == NULL) {
            set->full = apr_hash_make(p);
        }
        if (apr_hash_get(set->full, full, APR_HASH_KEY_STRING) == NULL) {
            if (set->nsmall >= 0 && set->nsmall < CORS_SMALL_SET) {
                set->small_len[set->nsmall] = strlen(full);
                set->small[set->nsmall++] = full;
            }
            else {
                set->nsmall = -1;
            }
        }
        apr_hash_set(set->full, full, APR_HASH_KEY_STRING, rule);
    }
    set->count++;
}

/* The hash of a large set; apart, so that a small set's lookup needs no
 * buffer on the stack. */
static int cors_full_has(const cors_origin_set *set, const char *s,
                         apr_size_t len)
{
    char buf[CORS_ORIGIN_MAX];
    apr_size_t i;

    if (len == 0 || len > sizeof(buf) || set->full == NULL) {
        return 0;
    }
    /* browsers send lower case: copy only a value that is not */
    if (apr_hash_get(set->full, s, len)) {
        return 1;
    }
    for (i = 0; i < len && !apr_isupper(s[i]); i++) {
    }
    return i < len
           && apr_hash_get(set->full, cors_lower(buf, s, len), len) != NULL;
}

int cors_set_match_exact(const cors_origin_set *set, const char *s,
                         apr_size_t len)
{
    int i;

    if (set->nsmall < 0) {
        return cors_full_has(set, s, len);
    }
    for (i = 0; i < set->nsmall; i++) {
        /* browsers send lower case, as stored: memcmp first */
        if (set->small_len[i] == len
            && (memcmp(set->small[i], s, len) == 0
                || strncasecmp(set->small[i], s, len) == 0)) {
            return 1;
        }
    }
    return 0;
}

static const cors_port_rule *cors_rules_match(const cors_port_rule *rule,
                                              const cors_origin *o)
{
    for (; rule != NULL; rule = rule->next) {
        if (rule->scheme_len == o->scheme_len
            && strncasecmp(rule->scheme, o->scheme, o->scheme_len) == 0
            && (rule->port == CORS_PORT_ANY || rule->port == o->port)) {
            return rule;
        }
    }
    return NULL;
}

/* The rule of the set that allows o, or NULL. */
static const cors_port_rule *cors_set_rule(const cors_origin_set *set,
                                           const cors_origin *o)
{
    char host[CORS_ORIGIN_MAX];
    const cors_port_rule *rule;
    apr_size_t i;
    int labels = 0;

    if (set->count == 0 || o->is_null || o->host_len == 0
        || o->host_len > sizeof(host)) {
        return NULL;
    }
    cors_lower(host, o->host, o->host_len);
    if (set->exact
        && (rule = cors_rules_match(apr_hash_get(set->exact, host,
                                                 o->host_len), o))) {
        return rule;
    }
    if (o->host_is_ip || set->wild == NULL) {
        return NULL;
    }
    /*
     * Each ".suffix" of the host, shortest first, but looked up only for
     * the label counts that some "*." pattern has: the cost is one scan
     * of the Origin, not one hash of the rest of it per label.
     */
    for (i = o->host_len - 1; i >= 1; i--) {
        if (host[i] != '.') {
            continue;
        }
        labels++;
        if ((set->wild_labels >> (labels < 63 ? labels : 63)) & 1
            && (rule = cors_rules_match(apr_hash_get(set->wild, host + i,
                                                     o->host_len - i), o))) {
            return rule;
        }
        if (labels < 63 && (set->wild_labels >> labels) <= 1) {
            return NULL;        /* no pattern has more labels */
        }
    }
    return NULL;
}

int cors_set_match(const cors_origin_set *set, const cors_origin *o)
{
    return cors_set_rule(set, o) != NULL;
}

int cors_set_find(const cors_origin_set *set, const cors_origin *o)
{
    const cors_port_rule *rule = cors_set_rule(set, o);

    return rule ? rule->line : -1;
}

/*
 * RFC 9110 tchar, by byte: 0 for any other byte, else the byte in lower
 * case.  A table, since every preflight checks each byte of its
 * Access-Control-Request-Headers, and it folds case as it checks.
 */
static const unsigned char cors_tchar[256] = {
    ['!'] = '!', ['#'] = '#', ['$'] = '$', ['%'] = '%', ['&'] = '&',
    ['\''] = '\'', ['*'] = '*', ['+'] = '+', ['-'] = '-', ['.'] = '.',
    ['^'] = '^', ['_'] = '_', ['`'] = '`', ['|'] = '|', ['~'] = '~',
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
    ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e',
    ['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j',
    ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o',
    ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't',
    ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
    ['Z'] = 'z', ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd',
    ['e'] = 'e', ['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i',
    ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
    ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's',
    ['t'] = 't', ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x',
    ['y'] = 'y', ['z'] = 'z'
};

int cors_is_token(const char *s, apr_size_t len)
{
    apr_size_t i;

    if (len == 0) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (!cors_tchar[(unsigned char)s[i]]) {
            return 0;
        }
    }
    return 1;
}

int cors_list_next(const char **p, const char *end,
                   const char **tok, apr_size_t *len)
{
    const char *s = *p, *e;

    while (s < end && (*s == ' ' || *s == '\t' || *s == ',')) {
        s++;
    }
    if (s == end) {
        *p = s;
        return 0;
    }
    /* one pass: the token, OWS, then a comma or the end */
    for (e = s; e < end && cors_tchar[(unsigned char)*e]; e++) {
    }
    *tok = s;
    *len = e - s;
    while (e < end && (*e == ' ' || *e == '\t')) {
        e++;
    }
    if (e == end || *e == ',') {
        *p = e;
        return 1;
    }
    /* not a token: the element up to its comma, OWS trimmed */
    *p = memchr(e, ',', end - e);
    if (*p == NULL) {
        *p = end;
    }
    for (e = *p; e > s && (e[-1] == ' ' || e[-1] == '\t'); e--) {
    }
    *len = e - s;
    return -1;
}

int cors_names_has(const apr_array_header_t *names, const char *tok,
                   apr_size_t len)
{
    int i;

    if (len == 0) {
        return 0;               /* a name is a token: never empty */
    }
    for (i = 0; names && i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);

        /* the first byte, folded by the table, rules out most names */
        if (cors_tchar[(unsigned char)name[0]]
                == cors_tchar[(unsigned char)tok[0]]
            && strncasecmp(name, tok, len) == 0 && name[len] == '\0') {
            return 1;
        }
    }
    return 0;
}

int cors_names_add(apr_array_header_t *names, const char *name)
{
    apr_size_t len = strlen(name);

    if (cors_names_has(names, name, len)) {
        return 0;
    }
    APR_ARRAY_PUSH(names, const char *) = apr_pstrmemdup(names->pool, name,
                                                         len);
    return 1;
}

int cors_request_headers_allowed(const char *acrh, apr_size_t len,
                                 const apr_array_header_t *names, int star,
                                 const char **bad, apr_size_t *badlen)
{
    const char *p = acrh, *end = acrh + len, *tok;
    apr_size_t toklen;
    int rv;

    while ((rv = cors_list_next(&p, end, &tok, &toklen)) != 0) {
        if (rv < 0
            || (star ? (toklen == 13
                        && strncasecmp(tok, "authorization", 13) == 0
                        && !cors_names_has(names, tok, toklen))
                     : !cors_names_has(names, tok, toklen))) {
            *bad = tok;
            *badlen = toklen;
            return 0;
        }
    }
    return 1;
}

int cors_method_is_simple(const char *m)
{
    switch (m[0]) {
    case 'G':
        return !strcmp(m, "GET");
    case 'H':
        return !strcmp(m, "HEAD");
    case 'P':
        return !strcmp(m, "POST");
    }
    return 0;
}

int cors_method_is_safe(const char *m)
{
    switch (m[0]) {
    case 'G':
        return !strcmp(m, "GET");
    case 'H':
        return !strcmp(m, "HEAD");
    case 'O':
        return !strcmp(m, "OPTIONS");
    }
    return 0;
}

const char *cors_method_normalize(const char *m)
{
    static const char *const known[] = {
        "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", NULL
    };
    int c = apr_toupper(m[0]), i;

    for (i = 0; known[i]; i++) {
        if (known[i][0] == c && !strcasecmp(m, known[i])) {
            return known[i];
        }
    }
    return m;
}

int cors_method_listed(const apr_array_header_t *names, const char *m)
{
    int i;

    for (i = 0; i < names->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(names, i, const char *), m)) {
            return 1;
        }
    }
    return 0;
}

int cors_method_is_forbidden(const char *m)
{
    int c = apr_tolower(m[0]);

    return (c == 'c' && !strcasecmp(m, "CONNECT"))
        || (c == 't' && (!strcasecmp(m, "TRACE") || !strcasecmp(m, "TRACK")));
}

/* The Fetch standard's forbidden request-header names: set by the browser
 * alone, never by a page's script. */
static const char *const cors_forbidden_headers[] = {
    "Accept-Charset", "Accept-Encoding", "Access-Control-Request-Headers",
    "Access-Control-Request-Method", "Connection", "Content-Length",
    "Cookie", "Cookie2", "Date", "DNT", "Expect", "Host", "Keep-Alive",
    "Origin", "Referer", "Set-Cookie", "TE", "Trailer",
    "Transfer-Encoding", "Upgrade", "Via", NULL
};

int cors_header_is_forbidden(const char *name)
{
    int c = apr_tolower(name[0]), i;

    if (!strncasecmp(name, "Proxy-", 6) || !strncasecmp(name, "Sec-", 4)) {
        return 1;
    }
    /* the first letter rules out most names without a call */
    for (i = 0; cors_forbidden_headers[i]; i++) {
        if (apr_tolower(cors_forbidden_headers[i][0]) == c
            && !strcasecmp(name, cors_forbidden_headers[i])) {
            return 1;
        }
    }
    return 0;
}

int cors_header_is_safelisted(const char *name)
{
    /* Content-Type is safelisted for three types only (a JSON body needs
     * it listed), and Range for one form that browsers differ on */
    int c = apr_tolower(name[0]);

    return (c == 'a' && (!strcasecmp(name, "Accept")
                         || !strcasecmp(name, "Accept-Language")))
        || (c == 'c' && !strcasecmp(name, "Content-Language"));
}

const char *cors_request_headers_refused(apr_pool_t *p, const char *acrh,
                                         apr_size_t len,
                                         const apr_array_header_t *names,
                                         int star, apr_size_t max)
{
    const char *s = acrh, *end = acrh + len, *bad;
    apr_size_t badlen;
    char *out = apr_palloc(p, max + 4);
    apr_size_t n = 0;

    while (s < end
           && !cors_request_headers_allowed(s, end - s, names, star,
                                            &bad, &badlen)) {
        if (n + (n > 0) + badlen > max) {
            memcpy(out + n, "...", 3);
            n += 3;
            break;
        }
        if (n > 0) {
            out[n++] = ' ';
        }
        memcpy(out + n, bad, badlen);
        n += badlen;
        /* go on after the refused element */
        s = bad + badlen;
    }
    out[n] = '\0';
    return out;
}

const char *const cors_canary_origins[] = {
    "https://mod-cors-canary.invalid",
    "http://mod-cors-canary.invalid",
    NULL
};

const char *cors_quote(apr_pool_t *p, const char *s, apr_size_t max)
{
    apr_size_t len = strlen(s), n = 0, i, quotes = 0;
    int cut = max && len > max;
    char *out;

    len = cut ? max : len;
    for (i = 0; i < len; i++) {
        quotes += s[i] == '"';
    }
    out = apr_palloc(p, len + 3 * quotes + (cut ? 3 : 0) + 3);
    out[n++] = '"';
    for (i = 0; i < len; i++) {
        if (s[i] == '"') {
            memcpy(out + n, "\\x22", 4);
            n += 4;
        }
        else {
            out[n++] = s[i];
        }
    }
    if (cut) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n++] = '"';
    out[n] = '\0';
    return out;
}

/* --- trust: registrable domains and a regex's domain set --- */

#if defined(__GNUC__)
/*
 * The last host this thread asked about, and where its registrable
 * domain starts (-1: none): an Origin comes back request after request,
 * and libpsl's lookup costs thousands of instructions.
 */
static __thread char cors_memo_host[CORS_ORIGIN_MAX + 1];
static __thread int cors_memo_at;
#endif

const char *cors_registrable_domain(const char *host, int is_ip)
{
    const char *d;

    if (is_ip || !strcmp(host, "localhost")) {
        return host;
    }
#if defined(__GNUC__)
    if (cors_memo_host[0] && !strcmp(host, cors_memo_host)) {
        return cors_memo_at < 0 ? NULL : host + cors_memo_at;
    }
#endif
    cors_match_init(NULL);
    if (cors_psl == NULL) {
        return NULL;            /* no list: nothing can be judged */
    }
    d = psl_registrable_domain(cors_psl, host);
#if defined(__GNUC__)
    if (apr_cpystrn(cors_memo_host, host, sizeof(cors_memo_host))
        - cors_memo_host == (apr_ssize_t)strlen(host)) {
        cors_memo_at = d ? (int)(d - host) : -1;
    }
    else {
        cors_memo_host[0] = '\0';      /* too long to remember */
    }
#endif
    return d;
}

const char *cors_origin_domain(const cors_origin *o,
                               char buf[CORS_ORIGIN_MAX + 1])
{
    if (o->is_null || o->host_len > CORS_ORIGIN_MAX) {
        return NULL;
    }
    cors_lower(buf, o->host, o->host_len);
    buf[o->host_len] = '\0';
    return cors_registrable_domain(buf, o->host_is_ip);
}

int cors_domains_has(const apr_array_header_t *domains, const char *d)
{
    int i;

    for (i = 0; d && domains && i < domains->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(domains, i, const char *), d)) {
            return 1;
        }
    }
    return 0;
}

/* Most names one regex's final groups may expand to. */
#define CORS_DOMAINS_MAX 16

/* Is s[i] escaped by an odd run of backslashes before it? */
static int cors_escaped(const char *s, apr_size_t i)
{
    apr_size_t n = 0;

    while (i > n && s[i - n - 1] == '\\') {
        n++;
    }
    return n & 1;
}

/*
 * The regex text with the ways of writing a literal dot ("\.", "[.]",
 * "\x2e", "\x{2e}", "\056") and "\-" written as the character itself.
 */
static char *cors_regex_literal_dots(apr_pool_t *p, const char *s)
{
    apr_size_t len = strlen(s), i = 0, n = 0;
    char *out = apr_palloc(p, len + 1);

    while (i < len) {
        if (s[i] == '\\' && i + 1 < len) {
            if (s[i + 1] == '.' || s[i + 1] == '-') {
                out[n++] = s[i + 1];
                i += 2;
                continue;
            }
            if (!strncasecmp(s + i, "\\x2e", 4)
                || !strncmp(s + i, "\\056", 4)) {
                out[n++] = '.';
                i += 4;
                continue;
            }
            if (!strncasecmp(s + i, "\\x{2e}", 6)) {
                out[n++] = '.';
                i += 6;
                continue;
            }
            out[n++] = s[i++];  /* keep the escape and what it escapes */
            out[n++] = s[i++];
            continue;
        }
        if (!strncmp(s + i, "[.]", 3)) {
            out[n++] = '.';
            i += 3;
            continue;
        }
        out[n++] = s[i++];
    }
    out[n] = '\0';
    return out;
}

/*
 * Where the group closed by the ")" at s[end] opens, or -1.  Escapes and
 * bracket expressions are skipped; the scan runs forward, as PCRE reads.
 */
static apr_ssize_t cors_group_start(const char *s, apr_size_t end)
{
    apr_ssize_t stack[64];
    int depth = 0;
    apr_size_t i = 0;

    while (i < end) {
        if (s[i] == '\\') {
            i += 2;
            continue;
        }
        if (s[i] == '[') {
            i++;
            i += s[i] == '^';
            i += s[i] == ']';
            while (i < end && s[i] != ']') {
                i += s[i] == '\\' ? 2 : 1;
            }
            i++;
            continue;
        }
        if (s[i] == '(') {
            if (depth == 64) {
                return -1;
            }
            stack[depth++] = i;
        }
        else if (s[i] == ')' && depth > 0) {
            depth--;
        }
        i++;
    }
    return i == end && depth > 0 ? stack[depth - 1] : -1;
}

/*
 * Split s[from..to) at its top-level "|" (outside groups and bracket
 * expressions): the alternatives' bounds go to starts[] and ends[].
 * Returns how many, or -1 beyond max.
 */
static int cors_alternatives(const char *s, apr_size_t from, apr_size_t to,
                             apr_size_t *starts, apr_size_t *ends, int max)
{
    int n = 0, depth = 0;
    apr_size_t i = from, start = from;

    while (i <= to) {
        if (i == to || (s[i] == '|' && depth == 0)) {
            if (n == max) {
                return -1;
            }
            starts[n] = start;
            ends[n++] = i;
            start = i + 1;
            i++;
            continue;
        }
        if (s[i] == '\\') {
            i += 2;
            continue;
        }
        if (s[i] == '[') {
            i++;
            i += i < to && s[i] == '^';
            i += i < to && s[i] == ']';
            while (i < to && s[i] != ']') {
                i += s[i] == '\\' ? 2 : 1;
            }
            i++;
            continue;
        }
        depth += s[i] == '(';
        depth -= s[i] == ')' && depth > 0;
        i++;
    }
    return n;
}

/* How many characters of s[0..len) end in a port: ":443", ":\d+",
 * ":[0-9]{2,5}", or the same in a group made optional ("(:\d+)?"). */
static apr_size_t cors_port_suffix(const char *s, apr_size_t len)
{
    apr_size_t i = len, inner = len;
    int group = 0;

    if (len >= 2 && s[len - 1] == '?' && s[len - 2] == ')'
        && !cors_escaped(s, len - 2)) {
        group = 1;
        inner = len - 2;
    }
    i = inner;
    while (i > 0 && strchr("0123456789d[]-+*?{},\\", s[i - 1])) {
        i--;
    }
    if (i == 0 || s[i - 1] != ':' || i == inner) {
        return 0;
    }
    i--;                        /* the ":" */
    if (group) {
        if (i >= 3 && !strncmp(s + i - 3, "(?:", 3)) {
            i -= 3;
        }
        else if (i >= 1 && s[i - 1] == '(') {
            i -= 1;
        }
        else {
            return 0;
        }
    }
    return len - i;
}

/*
 * The literal run of host characters at the end of s[0..len), reduced to
 * its registrable domain and added to the set (nothing for a public
 * suffix or less).
 */
static void cors_domain_of_run(apr_pool_t *p, const char *s, apr_size_t len,
                               apr_array_header_t *set)
{
    apr_size_t i = len;
    const char *d;
    char *run;
    int ip = 1, dots = 0;
    apr_size_t k;

    /* going back, a quantifier or an escape ("\\d") ends the run */
    while (i > 0 && (apr_isalnum(s[i - 1]) || s[i - 1] == '-'
                     || s[i - 1] == '_' || s[i - 1] == '.')
           && !cors_escaped(s, i - 1)) {
        i--;
    }
    while (i < len && s[i] == '.') {
        i++;
    }
    if (i == len) {
        return;
    }
    run = apr_pstrmemdup(p, s + i, len - i);
    for (k = 0; run[k]; k++) {
        run[k] = apr_tolower(run[k]);
        if (run[k] == '.') {
            if (run[k + 1] == '.' || run[k + 1] == '\0') {
                return;         /* an empty label: not a host name */
            }
            dots++;
        }
        else if (!apr_isdigit(run[k])) {
            ip = 0;
        }
    }
    d = cors_registrable_domain(run, ip && dots == 3);
    if (d && !cors_domains_has(set, d)) {
        APR_ARRAY_PUSH(set, const char *) = apr_pstrdup(p, d);
    }
}

/*
 * One alternative of a regex: its end anchor and port dropped, a final
 * group expanded into each of its alternatives (recursively, at most
 * *budget names in all), and each name's run reduced to its domain.
 * Returns 0 when the budget ran out.
 */
static int cors_domains_expand(apr_pool_t *p, const char *s, apr_size_t len,
                               apr_array_header_t *set, int *budget)
{
    apr_size_t starts[CORS_DOMAINS_MAX], ends[CORS_DOMAINS_MAX];
    apr_ssize_t g;
    apr_size_t body;
    int n, i;

    if (len && s[len - 1] == '$' && !cors_escaped(s, len - 1)) {
        len--;
    }
    len -= cors_port_suffix(s, len);
    if (len == 0 || s[len - 1] != ')' || cors_escaped(s, len - 1)) {
        if ((*budget)-- <= 0) {
            return 0;
        }
        cors_domain_of_run(p, s, len, set);
        return 1;
    }
    g = cors_group_start(s, len - 1);
    if (g < 0) {
        return 1;
    }
    body = g + 1;
    if (s[body] == '?') {
        /* (?:...) and named groups hold names; lookarounds do not */
        if (s[body + 1] == ':') {
            body += 2;
        }
        else if ((s[body + 1] == '<' || s[body + 1] == 'P'
                  || s[body + 1] == '\'')
                 && s[body + 2] != '=' && s[body + 2] != '!') {
            const char *close = memchr(s + body, s[body + 1] == '\''
                                       ? '\'' : '>', len - 1 - body);

            if (close == NULL) {
                return 1;
            }
            body = close - s + 1;
        }
        else {
            return 1;
        }
    }
    n = cors_alternatives(s, body, len - 1, starts, ends, CORS_DOMAINS_MAX);
    if (n < 0) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        char *name = apr_pstrcat(p, apr_pstrmemdup(p, s, g),
                                 apr_pstrmemdup(p, s + starts[i],
                                                ends[i] - starts[i]), NULL);

        if (!cors_domains_expand(p, name, strlen(name), set, budget)) {
            return 0;
        }
    }
    return 1;
}

apr_array_header_t *cors_regex_domains(apr_pool_t *p, const char *regex)
{
    apr_array_header_t *set = apr_array_make(p, 2, sizeof(const char *));
    char *s = cors_regex_literal_dots(p, regex);
    apr_size_t starts[CORS_DOMAINS_MAX], ends[CORS_DOMAINS_MAX];
    int n, i, budget = CORS_DOMAINS_MAX;

    /* the run of host characters stops at "://" by itself: a host-only
     * regex is read the same way */
    n = cors_alternatives(s, 0, strlen(s), starts, ends, CORS_DOMAINS_MAX);
    for (i = 0; i < n; i++) {
        if (!cors_domains_expand(p, s + starts[i], ends[i] - starts[i], set,
                                 &budget)) {
            n = -1;
            break;
        }
    }
    if (n < 0) {
        apr_array_clear(set);   /* too many names to say */
    }
    return set;
}

/*
 * Read the literal host of a regex: runs of letters, digits, "-", "_",
 * "." and "\.", "\-"; anything else (a bracket expression, a group, a
 * quantifier, an escape such as "\d") ends a run.  dots[] records which
 * dots of the longest run were written unescaped.
 */
static const char *cors_regex_host(apr_pool_t *p, const char *s,
                                   char **dots)
{
    char *best = NULL, *best_dots = NULL;
    apr_size_t best_len = 0, len = strlen(s);
    char *run = apr_palloc(p, len + 1), *run_dots = apr_palloc(p, len + 1);
    apr_size_t n = 0, i = 0;

    for (;;) {
        int c = i < len ? (unsigned char)s[i] : 0, ch = 0, bare = 0;
        apr_size_t next = i + 1;

        if (c == '\\' && i + 1 < len && (s[i + 1] == '.' || s[i + 1] == '-')) {
            ch = (unsigned char)s[i + 1];
            next = i + 2;
        }
        else if (c && (apr_isalnum(c) || c == '-' || c == '_' || c == '.')) {
            ch = c;
            bare = c == '.';
        }
        /* a quantified character is not part of the literal host */
        if (ch && !(next < len && strchr("?*+{", s[next]))) {
            run[n] = apr_tolower(ch);
            run_dots[n++] = bare;
            i = next;
            continue;
        }
        {
            apr_size_t a = 0, b = n;

            /* the run ends here: dots at either end are not the host's */
            while (a < b && run[a] == '.') {
                a++;
            }
            while (b > a && run[b - 1] == '.') {
                b--;
            }
            if (b - a > best_len && b - a >= 2) {
                best_len = b - a;
                best = apr_pstrmemdup(p, run + a, best_len);
                best_dots = apr_pmemdup(p, run_dots + a, best_len);
            }
        }
        n = 0;
        if (c == 0) {
            break;
        }
        if (ch) {
            i = next;           /* the quantifier ends the next run */
        }
        else if (c == '[') {
            /* a bracket expression, skipped whole ("[]a]" included) */
            i++;
            i += i < len && s[i] == '^';
            i += i < len && s[i] == ']';
            while (i < len && s[i] != ']') {
                i += s[i] == '\\' && i + 1 < len ? 2 : 1;
            }
            i++;
        }
        else if (c == '{') {
            while (i < len && s[i] != '}') {
                i++;
            }
            i++;
        }
        else {
            /* "\d", "\w" and the like are classes, not characters */
            i += c == '\\' && i + 1 < len ? 2 : 1;
        }
    }
    *dots = best_dots;
    return best;
}

const char *cors_regex_probes(apr_pool_t *p, const char *regex,
                              const char **host,
                              apr_array_header_t **probes)
{
    const char *sep = strstr(regex, "://"), *scheme = "https";
    const char *h;
    char *dots;
    apr_array_header_t *a;
    apr_size_t i, n;

    *probes = NULL;
    *host = NULL;
    if (sep == NULL) {
        return "it has no '://'";
    }
    /* the scheme it names, in its longest form ("https?" is https) */
    n = sep - regex;
    if ((n >= 5 && !strncasecmp(sep - 5, "https", 5))
        || (n >= 6 && !strncasecmp(sep - 6, "https?", 6))) {
        scheme = "https";
    }
    else if (n >= 4 && !strncasecmp(sep - 4, "http", 4)) {
        scheme = "http";
    }
    h = cors_regex_host(p, sep + 3, &dots);
    if (h == NULL) {
        return "no literal host name (such as example\\.com) can be read "
               "from it";
    }
    *host = h;
    a = apr_array_make(p, 8, sizeof(const char *));
    APR_ARRAY_PUSH(a, const char *) = apr_pstrcat(p, scheme, "://evil", h,
                                                  NULL);
    APR_ARRAY_PUSH(a, const char *) = apr_pstrcat(p, scheme, "://", h,
                                                  ".evil.test", NULL);
    n = strlen(h);
    for (i = 0; i < n; i++) {
        if (dots[i]) {
            char *x = apr_pstrcat(p, scheme, "://", h, NULL);

            x[strlen(scheme) + 3 + i] = 'x';
            APR_ARRAY_PUSH(a, const char *) = x;
        }
    }
    if (!strcmp(scheme, "https")) {
        APR_ARRAY_PUSH(a, const char *) = apr_pstrcat(p, "http://", h, NULL);
    }
    APR_ARRAY_PUSH(a, const char *) = apr_pstrcat(p, scheme, "://", h, ".",
                                                  NULL);
    *probes = a;
    return NULL;
}

/* --- counters --- */

#if !defined(__GNUC__)
/* APR has 64-bit atomics from 1.7 */
void cors_counter_add(volatile cors_counter *c, apr_uint64_t n)
{
    apr_atomic_add64(c, n);
}

apr_uint64_t cors_counter_read(volatile cors_counter *c)
{
    return apr_atomic_read64(c);
}
#endif
