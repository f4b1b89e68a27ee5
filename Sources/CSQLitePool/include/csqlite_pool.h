#ifndef CSQLITE_POOL_H
#define CSQLITE_POOL_H

/// Installs a small-block pool as SQLite's memory allocator (SQLITE_CONFIG_MALLOC), so the
/// records SQLite builds for every inserted row reuse freed blocks instead of calling malloc.
/// Debian's SQLite is built without lookaside memory (SQLITE_OMIT_LOOKASIDE), which would
/// otherwise serve them. Must run before SQLite is first used in the process; returns
/// SQLITE_OK, or SQLITE_MISUSE when SQLite was already initialised (then nothing changes).
int csqlite_install_pool(void);

/// Blocks currently kept in the pool's free lists (for tests).
long csqlite_pool_free_blocks(void);

#endif
