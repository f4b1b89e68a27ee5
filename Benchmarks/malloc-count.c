// Counts heap allocations of a process for the load phase of Benchmarks/compare-influxdb.
// Build: gcc -O2 -shared -fPIC -o malloc-count.so malloc-count.c
// Use:   LD_PRELOAD=./malloc-count.so MALLOC_COUNT_FILE=/tmp/n collectlite serve ...
// Every SIGUSR2 appends the number of allocations so far (malloc, calloc, realloc,
// posix_memalign, aligned_alloc, memalign) as one line to MALLOC_COUNT_FILE.
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static atomic_ulong allocations;
static int out_fd = -1;

void *malloc(size_t n) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t a, size_t n) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); return __libc_memalign(a, n); }
int posix_memalign(void **out, size_t a, size_t n) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    void *p = __libc_memalign(a, n);
    if (!p) return 12;
    *out = p;
    return 0;
}

static void dump(int sig) {
    (void)sig;
    if (out_fd < 0) return;
    char digits[32];
    char line[33];
    unsigned long n = atomic_load(&allocations);
    int len = 0;
    do { digits[len++] = (char)('0' + n % 10); n /= 10; } while (n && len < 31);
    for (int i = 0; i < len; i++) line[i] = digits[len - 1 - i];
    line[len] = '\n';
    (void)!write(out_fd, line, (size_t)len + 1);
}

__attribute__((constructor)) static void start(void) {
    const char *path = getenv("MALLOC_COUNT_FILE");
    if (path) out_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    struct sigaction action = {0};
    action.sa_handler = dump;
    action.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &action, NULL);
}
