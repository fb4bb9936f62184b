/* Unit tests for store/backup.c and the durability setting of store/sqlite.c, on real files in a temp directory: a
 * backup is whole, one moment, and checked; a restore never overwrites data unasked nor accepts an altered backup. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store/backup.h"
#include "store/db.h"
#include "store/migrate.h"

/* The file the fixture's file_blob row names, and its SHA-256 (sha256sum of the UTF-8 bytes). */
#define PROOF "bằng chứng"
static const char proof_sha[] = "d751d40e8248a0bb0d3e0cf250e8d644fdeab0dfde5a2f9f56e55dc9f9af04ca";

struct fx { char dir[64], db[128], files[128]; db *d; };

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f) { return remove(p); }

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

static int64_t count(const char *db_path, const char *sql)
{
    db *d = db_open(db_path, NULL);
    if (!d) return -1;
    int64_t n = db_scalar_int(db_prepare(d, sql), -1);
    db_close(d);
    return n;
}

static int exists(const char *dir, const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return access(p, F_OK) == 0;
}

/* A migrated database in its own directory, with one uploaded file in files/ and a marker row. */
static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/dxday-backup-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->db, sizeof f->db, "%s/live/dxday.db", f->dir);
    snprintf(f->files, sizeof f->files, "%s/live/files", f->dir);
    char live[96];
    snprintf(live, sizeof live, "%s/live", f->dir);
    mkdir(live, 0700);
    mkdir(f->files, 0700);
    f->d = db_open(f->db, NULL);
    if (!f->d || store_migrate(f->d)) return -1;
    char p[256], sql[300];
    snprintf(p, sizeof p, "%s/%s", f->files, proof_sha);
    write_file(p, PROOF);
    snprintf(sql, sizeof sql, "INSERT INTO file_blob (sha256, name, mime, size, created_at) VALUES ('%s', 'a.txt', 'text/plain', %zu, "
                              "'2026-10-10T00:00:00Z'); INSERT INTO meta (key, value) VALUES ('marker', 'trước sao lưu')", proof_sha, strlen(PROOF));
    if (db_exec(f->d, sql)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    db_close(f->d);
    nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static void test_round_trip_keeps_rows_and_files(void **state)
{
    struct fx *f = *state;
    char bk[96], target[128], err[1024] = "";
    struct backup_stats st;
    snprintf(bk, sizeof bk, "%s/bk", f->dir);
    assert_int_equal(store_backup(f->db, bk, &st, err, sizeof err), 0);
    assert_int_equal(st.files, 1);
    assert_int_equal(st.file_bytes, (int64_t)strlen(PROOF));
    assert_true(st.db_bytes > 0);
    assert_true(exists(bk, BACKUP_DB_NAME));
    assert_false(exists(bk, BACKUP_DB_NAME ".part"));
    assert_false(exists(bk, BACKUP_DB_NAME "-wal"));   /* one self-contained file */

    snprintf(target, sizeof target, "%s/restored/x.db", f->dir);
    assert_int_equal(store_restore(bk, target, false, &st, err, sizeof err), 0);
    assert_int_equal(st.files, 1);
    assert_int_equal(count(target, "SELECT COUNT(*) FROM meta WHERE key = 'marker' AND value = 'trước sao lưu'"), 1);
    assert_int_equal(count(target, "SELECT COUNT(*) FROM file_blob"), 1);
    char p[256];
    snprintf(p, sizeof p, "%s/restored/files/%s", f->dir, proof_sha);
    assert_string_equal(read_file(p), PROOF);
}

static void test_backup_refuses_a_directory_with_content(void **state)
{
    struct fx *f = *state;
    char bk[96], p[160], err[1024] = "";
    snprintf(bk, sizeof bk, "%s/bk", f->dir);
    mkdir(bk, 0700);
    snprintf(p, sizeof p, "%s/older.txt", bk);
    write_file(p, "một bản cũ");
    assert_int_equal(store_backup(f->db, bk, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "đã có nội dung"));
    assert_false(exists(bk, BACKUP_DB_NAME));
    assert_string_equal(read_file(p), "một bản cũ");
}

static void test_backup_without_a_referenced_file_is_not_complete(void **state)
{
    struct fx *f = *state;
    char bk[96], p[256], err[1024] = "";
    snprintf(p, sizeof p, "%s/%s", f->files, proof_sha);
    unlink(p);
    snprintf(bk, sizeof bk, "%s/bk", f->dir);
    assert_int_equal(store_backup(f->db, bk, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, proof_sha));
    assert_false(exists(bk, BACKUP_DB_NAME));   /* no dxday.db: nobody mistakes it for a whole backup */
}

static void test_backup_is_one_moment_and_does_not_wait_for_a_writer(void **state)
{
    struct fx *f = *state;
    db *w = db_open(f->db, NULL);
    assert_non_null(w);
    assert_int_equal(db_begin(w), 0);
    assert_int_equal(db_exec(w, "INSERT INTO meta (key, value) VALUES ('uncommitted', 'x')"), 0);
    char bk[96], err[1024] = "";
    snprintf(bk, sizeof bk, "%s/bk", f->dir);
    assert_int_equal(store_backup(f->db, bk, NULL, err, sizeof err), 0);   /* while the write lock is held */
    assert_int_equal(db_commit(w), 0);
    db_close(w);
    char copy[128];
    snprintf(copy, sizeof copy, "%s/%s", bk, BACKUP_DB_NAME);
    assert_int_equal(count(copy, "SELECT COUNT(*) FROM meta WHERE key = 'uncommitted'"), 0);
    assert_int_equal(count(copy, "SELECT COUNT(*) FROM meta WHERE key = 'marker'"), 1);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM meta WHERE key = 'uncommitted'"), 1);
}

static void test_restore_needs_force_over_data(void **state)
{
    struct fx *f = *state;
    char bk[96], target[128], err[1024] = "";
    snprintf(bk, sizeof bk, "%s/bk", f->dir);
    assert_int_equal(store_backup(f->db, bk, NULL, err, sizeof err), 0);
    /* A database with data of its own, different from the backup's. */
    snprintf(target, sizeof target, "%s/other.db", f->dir);
    db *o = db_open(target, NULL);
    assert_non_null(o);
    assert_int_equal(store_migrate(o), 0);
    assert_int_equal(db_exec(o, "INSERT INTO meta (key, value) VALUES ('marker', 'của máy khác')"), 0);
    db_close(o);
    assert_int_equal(store_restore(bk, target, false, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "--force"));
    assert_int_equal(count(target, "SELECT COUNT(*) FROM meta WHERE value = 'của máy khác'"), 1);
    assert_int_equal(store_restore(bk, target, true, NULL, err, sizeof err), 0);
    assert_int_equal(count(target, "SELECT COUNT(*) FROM meta WHERE value = 'của máy khác'"), 0);
    assert_int_equal(count(target, "SELECT COUNT(*) FROM meta WHERE value = 'trước sao lưu'"), 1);
}

static void test_restore_refuses_an_altered_or_partial_backup(void **state)
{
    struct fx *f = *state;
    char bk[96], target[128], p[256], err[1024] = "";
    snprintf(bk, sizeof bk, "%s/bk", f->dir);
    assert_int_equal(store_backup(f->db, bk, NULL, err, sizeof err), 0);
    snprintf(p, sizeof p, "%s/files/%s", bk, proof_sha);
    write_file(p, "đã bị sửa");
    snprintf(target, sizeof target, "%s/restored/x.db", f->dir);
    assert_int_equal(store_restore(bk, target, false, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, proof_sha));
    assert_int_equal(access(target, F_OK), -1);   /* nothing written */
    char dir[96];
    snprintf(dir, sizeof dir, "%s/restored", f->dir);
    assert_int_equal(access(dir, F_OK), -1);
    /* A directory without dxday.db (a backup cut short) is not a backup. */
    snprintf(p, sizeof p, "%s/%s", bk, BACKUP_DB_NAME);
    unlink(p);
    assert_int_equal(store_restore(bk, target, false, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, BACKUP_DB_NAME));
}

static void test_commits_are_synced_unless_told_otherwise(void **state)
{
    struct fx *f = *state;
    /* PRAGMA synchronous: 1 NORMAL, 2 FULL. FULL is what survives a power cut (see README, Durability). */
    unsetenv("DXDAY_SYNCHRONOUS");
    db *d = db_open(f->db, NULL);
    assert_int_equal(db_scalar_int(db_prepare(d, "PRAGMA synchronous"), -1), 2);
    db_close(d);
    setenv("DXDAY_SYNCHRONOUS", "normal", 1);
    d = db_open(f->db, NULL);
    assert_int_equal(db_scalar_int(db_prepare(d, "PRAGMA synchronous"), -1), 1);
    db_close(d);
    setenv("DXDAY_SYNCHRONOUS", "off", 1);   /* not offered: a typo must not silently drop the promise */
    char *err = NULL;
    assert_null(db_open(f->db, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "DXDAY_SYNCHRONOUS"));
    free(err);
    unsetenv("DXDAY_SYNCHRONOUS");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_keeps_rows_and_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_refuses_a_directory_with_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_without_a_referenced_file_is_not_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_is_one_moment_and_does_not_wait_for_a_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_needs_force_over_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_refuses_an_altered_or_partial_backup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commits_are_synced_unless_told_otherwise, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
