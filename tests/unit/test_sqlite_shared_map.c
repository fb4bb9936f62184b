/* The SQLite database file mapped once per process (store/sqlite/shared_map.c): connections share one mapping, see
 * each other's writes as the file grows and shrinks, and pages let go come back unchanged. Must not test through HTTP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include "store/db.h"
#include "store/sqlite/shared_map.h"

static char path[128];

static void remove_files(void)
{
    char f[160];
    for (const char *const *x = (const char *const[]){ "", "-wal", "-shm", NULL }; *x; x++) {
        snprintf(f, sizeof f, "%s%s", path, *x);
        unlink(f);
    }
}

static int setup(void **state)
{
    snprintf(path, sizeof path, "/tmp/dxday-shared-map-%d.db", (int)getpid());
    remove_files();
    return 0;
}

static int teardown(void **state)
{
    remove_files();
    return 0;
}

static db *open_or_fail(void)
{
    char *err = NULL;
    db *d = db_open(path, &err);
    if (!d)
        fail_msg("db_open: %s", err ? err : "?");
    return d;
}

/* The mappings of the database file in this process, as /proc/self/maps lists them. */
static int mappings_of_file(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    int n = 0;
    size_t len = strlen(path);
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        size_t l = strlen(line);
        n += l >= len && !strcmp(line + l - len, path);
    }
    if (f)
        fclose(f);
    return n;
}

static void fill(db *d, int from, int to)
{
    assert_int_equal(db_begin(d), 0);
    for (int i = from; i < to; i++) {
        db_stmt *s = db_prepare(d, "INSERT INTO big (id, body) VALUES (?, ?)");
        char body[2100];
        memset(body, 'a' + i % 26, sizeof body - 1);
        body[sizeof body - 1] = 0;
        db_bind_int(s, 1, i);
        db_bind_text(s, 2, body);
        assert_int_equal(db_step(s), DB_DONE);
        db_done(s);
    }
    assert_int_equal(db_commit(d), 0);
}

static int64_t scalar(db *d, const char *sql)
{
    db_stmt *s = db_prepare(d, sql);
    int64_t v = db_scalar_int(s, -1);
    assert_false(db_failed(d));
    return v;
}

/* Two connections reading the whole table: one mapping of the file, where the default VFS makes one each. */
static void two_connections_share_one_mapping(void **state)
{
    db *a = open_or_fail(), *b = open_or_fail();
    assert_int_equal(db_exec(a, "CREATE TABLE big (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"), 0);
    fill(a, 0, 2000);
    assert_int_equal(db_exec(a, "PRAGMA wal_checkpoint(TRUNCATE)"), 0); /* the rows into the file, read by mmap */
    assert_int_equal(scalar(a, "SELECT SUM(length(body)) FROM big"), 2000 * 2099);
    assert_int_equal(scalar(b, "SELECT SUM(length(body)) FROM big"), 2000 * 2099);
    assert_int_equal(mappings_of_file(), 1);
    db_close(a);
    db_close(b);
    assert_int_equal(mappings_of_file(), 0); /* gone with the last connection */
}

/* One connection grows the file past what the other has mapped, then shrinks it (VACUUM): the other reads every
 * row right each time, through the mapping or around it, and never past the end of the file. */
static void writes_through_another_connection_are_read_right(void **state)
{
    db *a = open_or_fail(), *b = open_or_fail();
    assert_int_equal(db_exec(a, "CREATE TABLE big (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"), 0);
    fill(a, 0, 500);
    assert_int_equal(db_exec(a, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
    assert_int_equal(scalar(b, "SELECT COUNT(*) FROM big WHERE length(body) = 2099"), 500);
    fill(a, 500, 3000);
    assert_int_equal(db_exec(a, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
    assert_int_equal(scalar(b, "SELECT COUNT(*) FROM big WHERE length(body) = 2099"), 3000);
    assert_int_equal(scalar(b, "SELECT SUM(unicode(substr(body, 1, 1))) FROM big"), scalar(a, "SELECT SUM(97 + id % 26) FROM big"));
    assert_int_equal(db_exec(a, "DELETE FROM big WHERE id >= 100"), 0);
    assert_int_equal(db_exec(a, "VACUUM"), 0);
    assert_int_equal(db_exec(a, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
    assert_int_equal(scalar(b, "SELECT COUNT(*) FROM big WHERE length(body) = 2099"), 100);
    fill(a, 100, 1500);
    assert_int_equal(db_exec(a, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
    assert_int_equal(scalar(b, "SELECT COUNT(*) FROM big WHERE length(body) = 2099"), 1500);
    db_close(a);
    db_close(b);
}

/* Pages let go are read again from the file, the same. */
static void pages_let_go_come_back(void **state)
{
    db *a = open_or_fail();
    assert_int_equal(db_exec(a, "CREATE TABLE big (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"), 0);
    fill(a, 0, 1000);
    assert_int_equal(db_exec(a, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
    int64_t before = scalar(a, "SELECT SUM(unicode(substr(body, 2000, 1)) * id) FROM big");
    sqlite_shared_map_forget_pages();
    assert_int_equal(scalar(a, "SELECT SUM(unicode(substr(body, 2000, 1)) * id) FROM big"), before);
    db_close(a);
}

/* Whether another process sees a lock of this one on the bytes SQLite's readers lock (the shared range above
 * PENDING_BYTE, 0x40000000): POSIX locks are the process's, so only a child can tell. */
static bool others_see_a_reader(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_RDWR);
        struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0x40000000 + 2, .l_len = 510 };
        _exit(fd >= 0 && !fcntl(fd, F_GETLK, &l) && l.l_type != F_UNLCK ? 0 : 1);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* A connection opened while another reads must not drop the reader's lock: closing any descriptor of the file would,
 * and another process could then checkpoint and delete the WAL the reader is reading. */
static void opening_a_connection_keeps_the_others_locks(void **state)
{
    db *a = open_or_fail();
    assert_int_equal(db_exec(a, "CREATE TABLE big (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"), 0);
    fill(a, 0, 10);
    db_stmt *s = db_prepare(a, "SELECT id FROM big ORDER BY id");
    assert_int_equal(db_step(s), DB_ROW); /* a read transaction open: the reader's lock held */
    assert_true(others_see_a_reader());
    db *b = open_or_fail();
    assert_int_equal(scalar(b, "SELECT COUNT(*) FROM big"), 10);
    assert_true(others_see_a_reader());
    db_done(s);
    db_close(b);
    db_close(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(two_connections_share_one_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(writes_through_another_connection_are_read_right, setup, teardown),
        cmocka_unit_test_setup_teardown(pages_let_go_come_back, setup, teardown),
        cmocka_unit_test_setup_teardown(opening_a_connection_keeps_the_others_locks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
