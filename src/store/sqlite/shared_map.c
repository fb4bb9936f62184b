/* A SQLite VFS over the default one whose database files are memory-mapped once per process, not once per connection:
 * every connection reads the same pages through one read-only shared mapping. Must not change what is read or written
 * (every other call goes to the default VFS as it is), nor ever unmap a page another connection may still hold. */
#include "store/sqlite/shared_map.h"
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Why: SQLite's unix VFS maps the file per connection, and the kernel counts a page in the resident size once per
 * mapping that touched it. With the bench's 100,000 passages each worker's connection touched the same ~64 MB of the
 * index, and remapped (faulting every page again) after each write another connection committed.
 *
 * One mapping per file (device and inode), shared by the files open on it: address space for the largest mmap_size
 * asked is reserved at the first fetch, and the file is mapped into it from the start as far as it reaches, growing
 * in place (MAP_FIXED over the reservation, never over a mapped page). A connection reads through it only as far as
 * the file reached when it last looked (fstat): after SQLite tells it the file may have changed (xUnfetch with no
 * page) it looks again, as the unix VFS remaps. The mapping, and the descriptor it keeps open, go when the last file
 * on it closes: closing a descriptor drops the process's POSIX locks on the file, so it is never closed while any
 * connection of this VFS has the file open, and this VFS is the default, so every connection of the process is one. */
struct shared {
    dev_t dev;
    ino_t ino;
    int fd, refs;
    char *base;          /* the reservation, NULL until the first fetch */
    size_t reserved;
    size_t mapped;       /* bytes of the file mapped at base (under mu) */
    struct shared *next;
};

struct mfile {
    sqlite3_file base;
    struct shared *map;  /* NULL: not a main database, or it could not be opened a second time: no mapping of ours */
    sqlite3_int64 limit; /* this connection's mmap_size */
    size_t valid;        /* how far this connection may read through map (the file's size when it last looked) */
    sqlite3_file *real;
};

/* SQLite's own ceiling on a mapping (SQLITE_MAX_MMAP_SIZE's default), and so on the address space reserved. */
#define MAP_MAX ((sqlite3_int64)0x7fff0000)

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct shared *all;

static sqlite3_vfs *orig;
static sqlite3_vfs vfs;
static sqlite3_io_methods methods;
static size_t page;

#define REAL(f) (((struct mfile *)(f))->real)

static void release(struct shared *m)
{
    pthread_mutex_lock(&mu);
    if (--m->refs == 0) {
        for (struct shared **p = &all; *p; p = &(*p)->next)
            if (*p == m) {
                *p = m->next;
                break;
            }
        if (m->base)
            munmap(m->base, m->reserved);
        close(m->fd);
        free(m);
    }
    pthread_mutex_unlock(&mu);
}

/* The shared mapping of the file at path, made the first time. The file is found by stat(), never by opening it again:
 * closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's included, and another
 * process could then take the file from under this one's connections (delete the WAL they read). A descriptor is
 * opened only for a file not shared yet, and kept until the last file on it closes. */
static struct shared *attach(const char *path)
{
    struct stat st;
    if (stat(path, &st))
        return NULL;
    pthread_mutex_lock(&mu);
    struct shared *m = all;
    while (m && !(m->dev == st.st_dev && m->ino == st.st_ino))
        m = m->next;
    if (m) {
        m->refs++;
    } else {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        struct stat again;
        /* Replaced between the two looks: no mapping rather than a descriptor that would have to be closed. */
        if (fd >= 0 && !fstat(fd, &again) && again.st_dev == st.st_dev && again.st_ino == st.st_ino &&
            (m = calloc(1, sizeof *m))) {
            *m = (struct shared){ .dev = st.st_dev, .ino = st.st_ino, .fd = fd, .refs = 1, .next = all };
            all = m;
        }
        /* else a descriptor opened is left open (the file was replaced at that moment, or no memory was left): see
         * above why it is not closed. */
    }
    pthread_mutex_unlock(&mu);
    return m;
}

static int m_close(sqlite3_file *f)
{
    struct mfile *p = (struct mfile *)f;
    int rc = p->real->pMethods ? p->real->pMethods->xClose(p->real) : SQLITE_OK;
    if (p->map)
        release(p->map);
    p->map = NULL;
    return rc;
}

/* How far the file reaches now, mapped into m as far as the reservation goes; the bytes this connection may read. */
static size_t look(struct shared *m, sqlite3_int64 limit)
{
    struct stat st;
    size_t valid = 0;
    pthread_mutex_lock(&mu);
    if (!fstat(m->fd, &st)) {
        size_t size = (size_t)st.st_size / page * page;
        if (!m->base && limit > 0) {
            size_t want = ((size_t)limit + page - 1) / page * page;
            void *b = mmap(NULL, want, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (b != MAP_FAILED) {
                m->base = b;
                m->reserved = want;
            }
        }
        if (m->base) {
            size_t to = size < m->reserved ? size : m->reserved;
            if (to > m->mapped &&
                mmap(m->base + m->mapped, to - m->mapped, PROT_READ, MAP_SHARED | MAP_FIXED, m->fd, (off_t)m->mapped) !=
                    MAP_FAILED)
                m->mapped = to;
            valid = size < m->mapped ? size : m->mapped;
        }
    }
    pthread_mutex_unlock(&mu);
    return valid;
}

static int m_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
    struct mfile *p = (struct mfile *)f;
    *pp = NULL;
    if (!p->map)
        return p->real->pMethods->iVersion >= 3 ? p->real->pMethods->xFetch(p->real, off, amt, pp) : SQLITE_OK;
    sqlite3_int64 end = off + amt;
    if (off < 0 || amt <= 0 || end > p->limit)
        return SQLITE_OK; /* SQLite reads it with xRead instead */
    if ((size_t)end > p->valid)
        p->valid = look(p->map, p->limit);
    if ((size_t)end <= p->valid)
        *pp = p->map->base + off;
    return SQLITE_OK;
}

static int m_unfetch(sqlite3_file *f, sqlite3_int64 off, void *pg)
{
    struct mfile *p = (struct mfile *)f;
    if (!p->map)
        return p->real->pMethods->iVersion >= 3 ? p->real->pMethods->xUnfetch(p->real, off, pg) : SQLITE_OK;
    if (!pg)
        p->valid = 0; /* the file may have been truncated: look again before reading through the mapping */
    return SQLITE_OK;
}

static int m_file_control(sqlite3_file *f, int op, void *arg)
{
    struct mfile *p = (struct mfile *)f;
    /* The limit is ours: given to the default VFS, it would map the file for this connection itself as the file grows
     * (its size hints) and read through that mapping. */
    if (op == SQLITE_FCNTL_MMAP_SIZE && p->map) {
        sqlite3_int64 want = *(sqlite3_int64 *)arg;
        *(sqlite3_int64 *)arg = p->limit;
        if (want >= 0)
            p->limit = want < MAP_MAX ? want : MAP_MAX;
        return SQLITE_OK;
    }
    return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int m_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o) { return REAL(f)->pMethods->xRead(REAL(f), b, n, o); }
static int m_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int m_truncate(sqlite3_file *f, sqlite3_int64 n)
{
    struct mfile *p = (struct mfile *)f;
    if (p->map && n >= 0 && (size_t)n < p->valid)
        p->valid = (size_t)n / page * page;
    return p->real->pMethods->xTruncate(p->real, n);
}
static int m_sync(sqlite3_file *f, int flags) { return REAL(f)->pMethods->xSync(REAL(f), flags); }
static int m_size(sqlite3_file *f, sqlite3_int64 *n) { return REAL(f)->pMethods->xFileSize(REAL(f), n); }
static int m_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int m_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int m_check(sqlite3_file *f, int *out) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int m_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int m_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int m_shm_map(sqlite3_file *f, int i, int sz, int ext, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, pp);
}
static int m_shm_lock(sqlite3_file *f, int off, int n, int flags) { return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags); }
static void m_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int m_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }

static int m_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    struct mfile *p = (struct mfile *)f;
    memset(p, 0, sizeof *p);
    p->real = (sqlite3_file *)(p + 1);
    int rc = orig->xOpen(orig, name, p->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        /* The default VFS may leave methods to close even on a failure; SQLite calls xClose only when pMethods is set. */
        if (p->real->pMethods)
            p->real->pMethods->xClose(p->real);
        return rc;
    }
    /* Only the main database of a file of its own (not a temporary one, not a journal or the WAL): its methods
     * must reach version 3 (xFetch) for SQLite to map it at all. */
    if ((flags & SQLITE_OPEN_MAIN_DB) && name && !(flags & SQLITE_OPEN_DELETEONCLOSE) &&
        p->real->pMethods->iVersion >= 3)
        p->map = attach(name);
    f->pMethods = &methods;
    return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *v, const char *n, int sync) { return orig->xDelete(orig, n, sync); }
static int v_access(sqlite3_vfs *v, const char *n, int flags, int *out) { return orig->xAccess(orig, n, flags, out); }
static int v_full(sqlite3_vfs *v, const char *n, int len, char *out) { return orig->xFullPathname(orig, n, len, out); }
static void *v_dlopen(sqlite3_vfs *v, const char *n) { return orig->xDlOpen(orig, n); }
static void v_dlerror(sqlite3_vfs *v, int n, char *msg) { orig->xDlError(orig, n, msg); }
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *s))(void) { return orig->xDlSym(orig, h, s); }
static void v_dlclose(sqlite3_vfs *v, void *h) { orig->xDlClose(orig, h); }
static int v_random(sqlite3_vfs *v, int n, char *out) { return orig->xRandomness(orig, n, out); }
static int v_sleep(sqlite3_vfs *v, int us) { return orig->xSleep(orig, us); }
static int v_time(sqlite3_vfs *v, double *t) { return orig->xCurrentTime(orig, t); }
static int v_last_error(sqlite3_vfs *v, int n, char *s) { return orig->xGetLastError ? orig->xGetLastError(orig, n, s) : 0; }
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *t) { return orig->xCurrentTimeInt64(orig, t); }

void sqlite_shared_map_forget_pages(void)
{
    pthread_mutex_lock(&mu);
    for (struct shared *m = all; m; m = m->next)
        if (m->base && m->mapped)
            madvise(m->base, m->mapped, MADV_DONTNEED);
    pthread_mutex_unlock(&mu);
}

static int registered = SQLITE_ERROR;

static void register_once(void)
{
    orig = sqlite3_vfs_find(NULL);
    long ps = sysconf(_SC_PAGESIZE);
    if (!orig || orig->iVersion < 2 || ps <= 0)
        return;
    page = (size_t)ps;
    methods = (sqlite3_io_methods){
        .iVersion = 3, .xClose = m_close, .xRead = m_read, .xWrite = m_write, .xTruncate = m_truncate,
        .xSync = m_sync, .xFileSize = m_size, .xLock = m_lock, .xUnlock = m_unlock,
        .xCheckReservedLock = m_check, .xFileControl = m_file_control, .xSectorSize = m_sector,
        .xDeviceCharacteristics = m_device, .xShmMap = m_shm_map, .xShmLock = m_shm_lock,
        .xShmBarrier = m_shm_barrier, .xShmUnmap = m_shm_unmap, .xFetch = m_fetch, .xUnfetch = m_unfetch,
    };
    vfs = (sqlite3_vfs){
        .iVersion = 2, .szOsFile = (int)sizeof(struct mfile) + orig->szOsFile, .mxPathname = orig->mxPathname,
        .zName = "dxday-shared-map", .xOpen = m_open, .xDelete = v_delete, .xAccess = v_access,
        .xFullPathname = v_full, .xDlOpen = v_dlopen, .xDlError = v_dlerror, .xDlSym = v_dlsym,
        .xDlClose = v_dlclose, .xRandomness = v_random, .xSleep = v_sleep, .xCurrentTime = v_time,
        .xGetLastError = v_last_error, .xCurrentTimeInt64 = v_time64,
    };
    registered = sqlite3_vfs_register(&vfs, 1);
}

int sqlite_shared_map_register(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_once);
    return registered;
}
