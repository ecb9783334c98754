/* A clock a test can move.  Preloaded into a browser (LD_PRELOAD), it
 * adds an offset to every wall and monotonic clock the browser reads, so
 * that a preflight cache's hours pass between two fetch() calls.  The
 * offset, a signed 64-bit count of nanoseconds in the machine's byte
 * order, is the first 8 bytes of the file CORS_TEST_CLOCK names; the
 * harness rewrites it while the browser runs, and every process of the
 * browser sees the new value on its next reading (the file is mapped).
 *
 * A program that waits until an absolute time it computed from a moved
 * clock would wait the offset too long, so the calls that take an
 * absolute time get it moved back.  Relative waits (poll, epoll, nanosleep)
 * need nothing.  Only the harness moves the clock, and only forward,
 * while the browser is idle.
 *
 * libfaketime does this in general, but deadlocks Firefox at startup: its
 * first clock reading comes from inside the allocator's initialisation,
 * and it then looks up symbols that are missing, whose error message
 * needs the allocator.  Here every lookup is of a symbol that exists.
 *
 *   cc -shared -fPIC -o clock.so clock.c -ldl
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define NS 1000000000LL

/* the mapped offset, or a zero that never changes */
static const volatile int64_t *clock_offset;

static int64_t offset(void)
{
    static const int64_t none = 0;

    if (!clock_offset) {
        const char *file = getenv("CORS_TEST_CLOCK");
        int fd = file ? open(file, O_RDONLY | O_CLOEXEC) : -1;
        void *map = MAP_FAILED;

        if (fd >= 0) {
            map = mmap(NULL, sizeof(int64_t), PROT_READ, MAP_SHARED, fd, 0);
            close(fd);
        }
        /* two threads may both map it: either mapping is right */
        clock_offset = map == MAP_FAILED ? &none : map;
    }
    return *clock_offset;
}

/* The next definition of name: the C library's.  A lookup that finds a
 * symbol allocates nothing, so it is safe inside the allocator. */
#define REAL(name) \
    static __typeof__(name) *real; \
    if (!real) { \
        real = (__typeof__(name) *)dlsym(RTLD_NEXT, #name); \
    }

static int moved(clockid_t clk)
{
    switch (clk) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_BOOTTIME:
    case CLOCK_REALTIME_ALARM:
    case CLOCK_BOOTTIME_ALARM:
    case CLOCK_TAI:
        return 1;
    }
    return 0;
}

static struct timespec shift(struct timespec t, int64_t ns)
{
    int64_t all = (int64_t)t.tv_sec * NS + t.tv_nsec + ns;

    t.tv_sec = all / NS;
    t.tv_nsec = all % NS;
    if (t.tv_nsec < 0) {
        t.tv_sec--;
        t.tv_nsec += NS;
    }
    return t;
}

/* An absolute time of a moved clock, as the kernel's clock reads it.
 * Every clock moves by the same offset, so a condition variable's clock
 * need not be known. */
static const struct timespec *back(const struct timespec *at,
                                   struct timespec *buf)
{
    if (!at) {
        return at;
    }
    *buf = shift(*at, -offset());
    return buf;
}

int clock_gettime(clockid_t clk, struct timespec *tp)
{
    int rv;

    REAL(clock_gettime);
    rv = real(clk, tp);
    if (rv == 0 && moved(clk)) {
        *tp = shift(*tp, offset());
    }
    return rv;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    struct timespec now;

    (void)tz;
    clock_gettime(CLOCK_REALTIME, &now);
    tv->tv_sec = now.tv_sec;
    tv->tv_usec = now.tv_nsec / 1000;
    return 0;
}

time_t time(time_t *t)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);
    if (t) {
        *t = now.tv_sec;
    }
    return now.tv_sec;
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
                    struct timespec *rem)
{
    struct timespec buf;

    REAL(clock_nanosleep);
    if ((flags & TIMER_ABSTIME) && moved(clk)) {
        req = back(req, &buf);
    }
    return real(clk, flags, req, rem);
}

int pthread_cond_timedwait(pthread_cond_t *restrict c,
                           pthread_mutex_t *restrict m,
                           const struct timespec *restrict at)
{
    struct timespec buf;

    REAL(pthread_cond_timedwait);
    return real(c, m, back(at, &buf));
}

int pthread_cond_clockwait(pthread_cond_t *restrict c,
                           pthread_mutex_t *restrict m, clockid_t clk,
                           const struct timespec *restrict at)
{
    struct timespec buf;

    REAL(pthread_cond_clockwait);
    return real(c, m, clk, moved(clk) ? back(at, &buf) : at);
}

int pthread_mutex_timedlock(pthread_mutex_t *restrict m,
                            const struct timespec *restrict at)
{
    struct timespec buf;

    REAL(pthread_mutex_timedlock);
    return real(m, back(at, &buf));
}

int sem_timedwait(sem_t *restrict s, const struct timespec *restrict at)
{
    struct timespec buf;

    REAL(sem_timedwait);
    return real(s, back(at, &buf));
}

int sem_clockwait(sem_t *restrict s, clockid_t clk,
                  const struct timespec *restrict at)
{
    struct timespec buf;

    REAL(sem_clockwait);
    return real(s, clk, moved(clk) ? back(at, &buf) : at);
}

int timerfd_settime(int fd, int flags, const struct itimerspec *new,
                    struct itimerspec *old)
{
    struct itimerspec abs;

    REAL(timerfd_settime);
    if ((flags & TFD_TIMER_ABSTIME) && new
        && (new->it_value.tv_sec || new->it_value.tv_nsec)) {
        abs = *new;
        abs.it_value = shift(abs.it_value, -offset());
        new = &abs;
    }
    return real(fd, flags, new, old);
}
