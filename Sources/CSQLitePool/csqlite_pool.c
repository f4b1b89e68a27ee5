// A size-class pool for SQLite's allocations of up to 4 KiB. Each block carries an 8-byte
// header (its class, or -1 for a large block taken straight from malloc, and the size SQLite
// asked for). Freed small blocks go to their class's free list and are reused; nothing is
// returned to malloc, so the pool holds at most SQLite's peak of small blocks.
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "csqlite_pool.h"

#define HEADER 16
#define CLASSES 7   /* 64, 128, 256, 512, 1024, 2048, 4096 bytes of payload */

typedef struct Block { struct Block *next; } Block;

static Block *free_lists[CLASSES];
static long free_count;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

static int class_for(int n) {
    int size = 64;
    for (int c = 0; c < CLASSES; c++, size <<= 1) {
        if (n <= size) return c;
    }
    return -1;
}

static int class_size(int c) { return 64 << c; }

static void *pool_malloc(int n) {
    if (n <= 0) n = 1;
    int c = class_for(n);
    unsigned char *raw = NULL;
    if (c >= 0) {
        pthread_mutex_lock(&pool_lock);
        Block *b = free_lists[c];
        if (b) {
            free_lists[c] = b->next;
            free_count--;
        }
        pthread_mutex_unlock(&pool_lock);
        raw = b ? (unsigned char *)b : malloc(HEADER + class_size(c));
    } else {
        raw = malloc(HEADER + (size_t)n);
    }
    if (!raw) return NULL;
    ((int32_t *)raw)[0] = c;
    ((int32_t *)raw)[1] = n;
    return raw + HEADER;
}

static void pool_free(void *p) {
    if (!p) return;
    unsigned char *raw = (unsigned char *)p - HEADER;
    int c = ((int32_t *)raw)[0];
    if (c < 0) {
        free(raw);
        return;
    }
    Block *b = (Block *)raw;
    pthread_mutex_lock(&pool_lock);
    b->next = free_lists[c];
    free_lists[c] = b;
    free_count++;
    pthread_mutex_unlock(&pool_lock);
}

static int pool_size(void *p) {
    if (!p) return 0;
    unsigned char *raw = (unsigned char *)p - HEADER;
    int c = ((int32_t *)raw)[0];
    return c < 0 ? ((int32_t *)raw)[1] : class_size(c);
}

static void *pool_realloc(void *p, int n) {
    if (!p) return pool_malloc(n);
    if (n <= pool_size(p)) {
        ((int32_t *)((unsigned char *)p - HEADER))[1] = n;
        return p;
    }
    void *q = pool_malloc(n);
    if (!q) return NULL;
    memcpy(q, p, (size_t)pool_size(p));
    pool_free(p);
    return q;
}

static int pool_roundup(int n) {
    int c = class_for(n);
    return c >= 0 ? class_size(c) : (n + 7) & ~7;
}

static int pool_init(void *unused) { (void)unused; return SQLITE_OK; }
static void pool_shutdown(void *unused) { (void)unused; }

int csqlite_install_pool(void) {
    static const sqlite3_mem_methods methods = {
        pool_malloc, pool_free, pool_realloc, pool_size, pool_roundup, pool_init, pool_shutdown, NULL,
    };
    return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
}

long csqlite_pool_free_blocks(void) {
    pthread_mutex_lock(&pool_lock);
    long n = free_count;
    pthread_mutex_unlock(&pool_lock);
    return n;
}
