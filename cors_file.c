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
 * cors_file: origin list files (CORSAllowOriginFile,
 * docs/mod_cors.html#origin-files).  A file is read whole into a version
 * of its own -- a pool, the origin sets -- and a child looks at the file
 * again at most once a second: when its modification time, size or inode
 * changed, the thread that looked reads it into a new version, outside
 * any lock, and swaps it in whole.  A version with a bad line is refused
 * whole and the one in force stays; so does the last one when the file
 * is gone.  A request holds the version it matches against until it is
 * done with it, so a version is freed with its last user, and a request
 * never sees a mix of two.
 *
 * Calls cors_match only.  cors_config (startup) and cors_decide call it.
 */

#include "apr_allocator.h"
#include "apr_atomic.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"

#if APR_HAS_THREADS
#include "apr_thread_mutex.h"
#endif

#include <sys/stat.h>

#include "cors_internal.h"

APLOG_USE_MODULE(cors);

/* Longest line of a file; longer ones are refused, never cut short. */
#define CORS_FILE_LINE_MAX 1024

/* How often a child looks at each file. */
#define CORS_FILE_EVERY apr_time_from_sec(1)

#if APR_HAS_THREADS
/* Taken for as long as it takes to read or swap a pointer. */
static apr_thread_mutex_t *cors_files_lock;
#endif

/* The lock a swap and a request's look at f->current take, if any. */
static void cors_files_lock_take(int take)
{
#if APR_HAS_THREADS
    if (cors_files_lock && take) {
        apr_thread_mutex_lock(cors_files_lock);
    }
    else if (cors_files_lock) {
        apr_thread_mutex_unlock(cors_files_lock);
    }
#endif
}

static void cors_file_free(cors_file_set *v)
{
    if (apr_atomic_dec32(&v->refs) == 0) {
        apr_pool_destroy(v->pool);
    }
}

static apr_status_t cors_file_unload(void *data)
{
    cors_origin_file *f = data;

    /* the configuration goes: no request is left to use it */
    if (f->current) {
        cors_file_free(f->current);
        f->current = NULL;
    }
    return APR_SUCCESS;
}

/*
 * Why a word of the file is not an origin pattern it may hold (from p),
 * or NULL and *pat, from the version's pool v.
 */
static const char *cors_file_word(apr_pool_t *p, apr_pool_t *v,
                                  const char *w, cors_pattern *pat)
{
    const char *why;

    if (!strcmp(w, "*") || !strcasecmp(w, "none") || !strcmp(w, "null")) {
        return apr_psprintf(p, "%s cannot be listed in a file: write "
                            "CORSAllowOrigin %s in the configuration",
                            cors_quote(p, w, 0), w);
    }
    if (*w == '^' || strchr(w, '\\') || w[strlen(w) - 1] == '$') {
        return apr_psprintf(p, "%s looks like a regex, which a file cannot "
                            "hold: write it with CORSAllowOriginMatch, or "
                            "list the origins", cors_quote(p, w, 0));
    }
    why = cors_pattern_parse(v, w, pat);
    return why ? apr_psprintf(p, "invalid origin %s: %s",
                              cors_quote(p, w, 0), why)
               : NULL;
}

/*
 * Read f->path into a new version *out, from a pool and allocator of its
 * own.  Returns NULL, or what is wrong, naming path:line.  Each line's
 * warning goes to warnings, as "path:line: text".
 */
static const char *cors_file_read(apr_pool_t *scratch, cors_origin_file *f,
                                  apr_array_header_t *warnings,
                                  cors_file_set **out)
{
    apr_allocator_t *allocator;
    apr_pool_t *p;
    apr_file_t *fd;
    apr_status_t rv;
    cors_file_set *v;
    char buf[CORS_FILE_LINE_MAX + 2];
    const char *err = NULL;
    int line = 0;

    if (apr_allocator_create(&allocator) != APR_SUCCESS) {
        return "out of memory";
    }
    if (apr_pool_create_unmanaged_ex(&p, NULL, allocator) != APR_SUCCESS) {
        apr_allocator_destroy(allocator);
        return "out of memory";
    }
    apr_allocator_owner_set(allocator, p);
    rv = apr_file_open(&fd, f->path, APR_FOPEN_READ | APR_FOPEN_BUFFERED,
                       APR_OS_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        char msg[120];

        apr_pool_destroy(p);
        return apr_psprintf(scratch, "cannot read %s: %s", f->path,
                            apr_strerror(rv, msg, sizeof(msg)));
    }
    v = apr_pcalloc(p, sizeof(*v));
    v->pool = p;
    v->set = cors_set_make(p);
    v->suffix_set = cors_set_make(p);
    v->refs = 1;
    while (err == NULL && apr_file_gets(buf, sizeof(buf), fd) == APR_SUCCESS) {
        char *s = buf, *end;
        const char *say;
        cors_pattern pat = { 0 };

        line++;
        end = s + strlen(s);
        if (end - s > CORS_FILE_LINE_MAX && end[-1] != '\n') {
            err = "longer than 1024 bytes";
            break;
        }
        s[strcspn(s, "#")] = '\0';     /* an origin holds no '#' */
        while (apr_isspace(*s)) {
            s++;
        }
        for (end = s + strlen(s); end > s && apr_isspace(end[-1]); end--) {
        }
        *end = '\0';
        if (*s == '\0') {
            continue;
        }
        if (strpbrk(s, " \t")) {
            err = "one origin per line";
            break;
        }
        if ((err = cors_file_word(scratch, p, s, &pat))) {
            break;
        }
        pat.line = line;
        if (cors_pattern_under_public_suffix(&pat)) {
            cors_set_add(p, v->suffix_set, &pat);
            say = cors_pattern_suffix_warning(scratch, s, &pat);
        }
        else {
            cors_set_add(p, v->set, &pat);
            say = f->cred ? cors_pattern_http_warning(scratch, &pat) : NULL;
        }
        if (say) {
            APR_ARRAY_PUSH(warnings, const char *) = apr_psprintf(scratch,
                "%s:%d: %s", f->path, line, say);
        }
        v->count++;
    }
    apr_file_close(fd);
    if (err) {
        apr_pool_destroy(p);
        return apr_psprintf(scratch, "%s:%d: %s.", f->path, line, err);
    }
    *out = v;
    return NULL;
}

/* What tells one version of the file from the next: mtime, size, inode. */
static void cors_file_remember(cors_origin_file *f, const struct stat *st)
{
    f->mtime = apr_time_make(st->st_mtim.tv_sec, st->st_mtim.tv_nsec / 1000);
    f->size = st->st_size;
    f->inode = st->st_ino;
}

static int cors_file_changed(const cors_origin_file *f, const struct stat *st)
{
    return f->mtime != apr_time_make(st->st_mtim.tv_sec,
                                     st->st_mtim.tv_nsec / 1000)
           || f->size != st->st_size || f->inode != st->st_ino;
}

const char *cors_file_load(apr_pool_t *pconf, cors_origin_file *f,
                           apr_array_header_t *warnings)
{
    struct stat st;
    const char *err;

    if (stat(f->path, &st) != 0) {
        return apr_psprintf(pconf, "cannot read %s: it does not exist or "
                            "cannot be reached.", f->path);
    }
    if ((err = cors_file_read(pconf, f, warnings, &f->current))) {
        return err;
    }
    cors_file_remember(f, &st);
    apr_pool_cleanup_register(pconf, f, cors_file_unload,
                              apr_pool_cleanup_null);
    return NULL;
}

/* Count a reading of the file in the counters, if there are any. */
static void cors_file_count(cors_origin_file *f, int refused)
{
    if (f->reloads) {
        cors_counter_add(&f->reloads[refused], 1);
    }
}

/*
 * Look at the file again: the thread that does reads a changed file into
 * a new version and swaps it in.  Every message is logged once per
 * version of the file, or once when it goes.
 */
static void cors_file_look(cors_origin_file *f)
{
    apr_pool_t *scratch;
    apr_array_header_t *warnings;
    cors_file_set *v = NULL, *old;
    struct stat st;
    const char *err;
    int i;

    if (stat(f->path, &st) != 0) {
        if (!f->gone) {
            f->gone = 1;
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, f->s, "CORS008: "
                         "%s:%d: CORSAllowOriginFile %s is gone; the %d "
                         "origins last read from it stay in force.",
                         f->where.file, f->where.line, f->path,
                         f->current ? f->current->count : 0);
        }
        return;
    }
    f->gone = 0;
    if (!cors_file_changed(f, &st)) {
        return;
    }
    cors_file_remember(f, &st);         /* this version is read once */
    if (apr_pool_create_unmanaged_ex(&scratch, NULL, NULL) != APR_SUCCESS) {
        return;
    }
    warnings = apr_array_make(scratch, 1, sizeof(const char *));
    err = cors_file_read(scratch, f, warnings, &v);
    if (err || v == NULL) {
        cors_file_count(f, 1);
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, f->s, "CORS008: %s:%d: "
                     "CORSAllowOriginFile: the new version of %s is refused, "
                     "and the %d origins read before stay in force: %s",
                     f->where.file, f->where.line, f->path,
                     f->current ? f->current->count : 0, err);
        apr_pool_destroy(scratch);
        return;
    }
    for (i = 0; i < warnings->nelts; i++) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, f->s, "CORS001: %s",
                     APR_ARRAY_IDX(warnings, i, const char *));
    }
    apr_pool_destroy(scratch);
    cors_files_lock_take(1);
    old = f->current;
    f->current = v;
    cors_files_lock_take(0);
    if (old) {
        cors_file_free(old);
    }
    cors_file_count(f, 0);
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, f->s, "CORS008: %s:%d: "
                 "CORSAllowOriginFile %s read again: %d origins.",
                 f->where.file, f->where.line, f->path, v->count);
}

const cors_file_set *cors_file_acquire(cors_origin_file *f)
{
    apr_time_t now = apr_time_now();
    cors_file_set *v;

    if (now - f->checked >= CORS_FILE_EVERY
        && apr_atomic_cas32(&f->busy, 1, 0) == 0) {
        f->checked = now;
        cors_file_look(f);
        apr_atomic_set32(&f->busy, 0);
    }
    cors_files_lock_take(1);
    v = f->current;
    if (v) {
        apr_atomic_inc32(&v->refs);
    }
    cors_files_lock_take(0);
    return v;
}

void cors_file_release(const cors_file_set *v)
{
    if (v) {
        cors_file_free((cors_file_set *)v);
    }
}

int cors_file_find(const cors_file_set *v, const cors_origin *o,
                   int *untrusted)
{
    int line = cors_set_find(v->set, o);

    if (line < 0 && cors_set_find(v->suffix_set, o) >= 0) {
        *untrusted = 1;
    }
    return line;
}

void cors_file_child_init(apr_pool_t *pchild)
{
#if APR_HAS_THREADS
    if (apr_thread_mutex_create(&cors_files_lock, APR_THREAD_MUTEX_DEFAULT,
                                pchild) != APR_SUCCESS) {
        cors_files_lock = NULL;
    }
#endif
}
