/* Copies a dxday database into an empty one on any engine (see copy.h): tables listed from the catalogs, columns by
 * name, rows in foreign-key order, in one transaction on the target. Must not write to the source, and must not
 * copy a derived structure raw (the search index, counters): the target's own triggers and tokenizer make those. */
#include "store/copy.h"
#include "store/copy_catalog.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/search_tsv.h"
#include "store/uploads.h"
#include "core/buf.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Rows read from the source per query: PostgreSQL's backend holds a whole result in memory (pg.c), so a table is read
 * a page at a time; SQLite would stream it anyway. */
#define PAGE 20000
/* Parameters per INSERT: many rows per statement cut the round trips to a server, and 999 is SQLite's historical
 * limit (pg.c takes any number). */
#define MAX_PARAMS 999
#define MAX_SELF 4

struct col {
    char *name;
    char fam;                 /* 'i' integer, 'r' real, 't' text (anything else is copied as its text) */
};

struct tab {
    char *name;
    struct col *cols;
    int ncols;
    int64_t rows;             /* in the source's snapshot */
    char *order;              /* the source's insertion order: rowid, a WITHOUT ROWID table's key, or ctid */
    bool tokens;              /* the target is PostgreSQL and this is search_passage: add the tsvector of title, body */
    int title_i, body_i;
    int nself, self_i[MAX_SELF], key_i;   /* columns referencing this table itself, and the column they point at */
    bool placed;
};

struct ctx {
    const char *from, *to;    /* the connection strings */
    db *src, *dst, *ref;
    bool src_pg, dst_pg;
    json_t *ref_counts;       /* table → rows in a freshly migrated database */
    struct tab *t;
    size_t nt;
    char *err;
    size_t errlen;
};

static int fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct ctx *c, const char *fmt, ...)
{
    if (c->err && c->errlen && !c->err[0]) {   /* the first reason is the one worth reading */
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static bool is_pg(const char *target)
{
    return !strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11);
}

static const char *file_of(const char *target) { return !strncmp(target, "sqlite:", 7) ? target + 7 : target; }








/* table → row count for every ordinary table of d; NULL (and err) on a database error. */
static json_t *count_all(struct ctx *c, db *d, const char *side)
{
    json_t *tables = copy_list_tables(d), *out = json_object();
    if (!tables) {
        fail(c, "không đọc được danh sách bảng của %s: %s", side, db_errmsg(d));
        json_decref(out);
        return NULL;
    }
    size_t i;
    json_t *row;
    json_array_foreach(tables, i, row) {
        const char *name = json_string_value(json_object_get(row, "name"));
        int64_t n = copy_count_rows(d, name);
        if (n < 0) {
            fail(c, "không đếm được bảng %s của %s: %s", name, side, db_errmsg(d));
            json_decref(out);
            out = NULL;
            break;
        }
        json_object_set_new(out, name, json_integer(n));
    }
    json_decref(tables);
    return out;
}

/* "Empty" means holding nothing but what `dxday migrate` itself inserts. Rather than a list of reference tables kept
 * by hand (org units, campaigns and their dates, built-in forms, indicators, meta, schema_migration, SQLite's
 * search_count row…, which grows with every migration), the target is compared with a database migrated a moment ago
 * by this same build (in memory: the reference data comes from the code and its embedded files, the same on both
 * engines, as tests/pg/seed_parity.sh checks): no table may hold more rows than it does there, and a table it does not
 * have must be empty. Counts, not contents: a target whose reference rows were edited still counts as empty, and the
 * copy replaces those tables with the source's rows anyway. */
static int check_empty(struct ctx *c)
{
    json_t *have = count_all(c, c->dst, "đích");
    if (!have) return -1;
    int rc = 0;
    const char *name;
    json_t *v;
    json_object_foreach(have, name, v) {
        json_int_t n = json_integer_value(v), base = json_integer_value(json_object_get(c->ref_counts, name));
        if (n > base) {
            rc = fail(c, "đích không trống: bảng %s có %lld dòng (một cơ sở dữ liệu mới chỉ có %lld); không ghi gì. "
                         "Hãy chép vào một cơ sở dữ liệu mới", name, (long long)n, (long long)base);
            break;
        }
    }
    json_decref(have);
    return rc;
}

static char family(const char *type)
{
    char t[64];
    size_t n = 0;
    for (; type && type[n] && n + 1 < sizeof t; n++) t[n] = (char)(type[n] >= 'A' && type[n] <= 'Z' ? type[n] + 32 : type[n]);
    t[n] = 0;
    /* SQLite's affinity rules, which PostgreSQL's names also satisfy (bigint, integer; double precision, real). */
    if (strstr(t, "blob") || strstr(t, "bytea")) return 'b';
    if (strstr(t, "int")) return 'i';
    if (strstr(t, "real") || strstr(t, "floa") || strstr(t, "doub")) return 'r';
    return 't';
}

static int col_index(const struct tab *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (!strcmp(t->cols[i].name, name)) return i;
    return -1;
}

/* One table's plan: the source's columns (each must exist on the target; the target may add only search_passage's
 * tokens, made here), its reading order, and its self-references. */
static int plan_table(struct ctx *c, struct tab *t, json_t *fks)
{
    json_t *sc = copy_list_columns(c->src, t->name), *dc = copy_list_columns(c->dst, t->name);
    int rc = 0;
    if (!sc || !dc || !json_array_size(sc)) rc = fail(c, "không đọc được các cột của bảng %s", t->name);
    else if (!json_array_size(dc)) rc = fail(c, "bảng %s của nguồn không có ở đích", t->name);
    size_t i;
    json_t *row;
    struct buf pk = { 0 };
    if (!rc) {
        t->cols = calloc(json_array_size(sc), sizeof *t->cols);
        if (!t->cols) abort();
        json_array_foreach(sc, i, row) {
            struct col *k = &t->cols[t->ncols++];
            k->name = strdup(json_string_value(json_object_get(row, "name")));
            k->fam = family(json_string_value(json_object_get(row, "type")));
            if (json_integer_value(json_object_get(row, "pk")) > 0) {
                /* pragma_table_info lists a key's columns in declaration order, its pk field numbering them in key
                 * order: the tables here have them alike, and any order is a total one, which is all paging needs. */
                if (pk.len) buf_puts(&pk, ", ");
                copy_put_ident(&pk, k->name);
            }
        }
        if (c->src_pg && !strcmp(t->name, "search_passage")) {
            /* PostgreSQL's tokens are its index, not data: never read, and made again for a PostgreSQL target. */
            int k = col_index(t, "tokens");
            if (k >= 0) {
                free(t->cols[k].name);
                memmove(&t->cols[k], &t->cols[k + 1], (size_t)(t->ncols - k - 1) * sizeof *t->cols);
                t->ncols--;
            }
        }
        json_array_foreach(dc, i, row) {
            const char *name = json_string_value(json_object_get(row, "name"));
            if (col_index(t, name) >= 0) continue;
            if (c->dst_pg && !strcmp(t->name, "search_passage") && !strcmp(name, "tokens")) t->tokens = true;
            else { rc = fail(c, "cột %s.%s của đích không có ở nguồn: hai bên không cùng lược đồ", t->name, name); break; }
        }
    }
    for (int k = 0; !rc && k < t->ncols; k++) {
        bool found = false;
        json_array_foreach(dc, i, row)
            if (!strcmp(json_string_value(json_object_get(row, "name")), t->cols[k].name)) found = true;
        if (!found) rc = fail(c, "cột %s.%s của nguồn không có ở đích: hai bên không cùng lược đồ", t->name, t->cols[k].name);
    }
    if (!rc && t->tokens) {
        t->title_i = col_index(t, "title");
        t->body_i = col_index(t, "body");
        if (t->title_i < 0 || t->body_i < 0) rc = fail(c, "search_passage của nguồn thiếu cột title hoặc body");
    }
    if (!rc) {
        if (c->src_pg) t->order = strdup("ctid");   /* insertion order for rows written once; any total order will do */
        else {
            struct buf q = { 0 };
            buf_puts(&q, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ? AND upper(sql) LIKE '%WITHOUT ROWID%'");
            char *sql = buf_take(&q);
            db_stmt *s = db_prepare(c->src, sql);
            db_bind_text(s, 1, t->name);
            bool wr = db_scalar_int(s, 0) > 0;
            free(sql);
            /* rowid keeps the order rows were written in (search_index.c lists a task's units in that order). */
            t->order = wr && pk.len ? buf_take(&pk) : strdup("rowid");
        }
    }
    /* Columns referencing this same table (org_unit.parent_id, task.instance_of…): inserted NULL, then set once every
     * row of the table is in, as the rows' order cannot be trusted to put parents first (a unit re-parented under one
     * created later). */
    json_array_foreach(fks, i, row) {
        if (rc) break;
        if (strcmp(json_string_value(json_object_get(row, "tab")), t->name) ||
            strcmp(json_string_value(json_object_get(row, "ref")), t->name)) continue;
        const char *to = json_string_value(json_object_get(row, "tcol"));
        int f = col_index(t, json_string_value(json_object_get(row, "fcol"))), k = to ? col_index(t, to) : -1;
        if (f < 0 || k < 0 || t->nself == MAX_SELF || (t->nself && k != t->key_i) || t->cols[f].fam != 'i' || t->cols[k].fam != 'i')
            rc = fail(c, "bảng %s tự tham chiếu theo cách lệnh copy chưa hỗ trợ", t->name);
        else {
            t->key_i = k;
            t->self_i[t->nself++] = f;
        }
    }
    buf_free(&pk);
    json_decref(sc);
    json_decref(dc);
    return rc;
}

/* Tables in an order where every table comes after those it references on the target (its foreign keys are the ones
 * checked), ties by name. */
static int order_tables(struct ctx *c, json_t *fks)
{
    struct tab *out = calloc(c->nt ? c->nt : 1, sizeof *out);
    if (!out) abort();
    size_t n = 0;
    while (n < c->nt) {
        size_t pick = c->nt;
        for (size_t i = 0; i < c->nt && pick == c->nt; i++) {
            if (c->t[i].placed) continue;
            bool ready = true;
            size_t k;
            json_t *row;
            json_array_foreach(fks, k, row) {
                const char *tab = json_string_value(json_object_get(row, "tab")), *ref = json_string_value(json_object_get(row, "ref"));
                if (strcmp(tab, c->t[i].name) || !strcmp(ref, tab)) continue;
                for (size_t j = 0; j < c->nt; j++)
                    if (!c->t[j].placed && !strcmp(c->t[j].name, ref)) ready = false;
            }
            if (ready) pick = i;
        }
        if (pick == c->nt) {
            free(out);
            return fail(c, "các khoá ngoại giữa các bảng tạo thành vòng: không xếp được thứ tự chép");
        }
        c->t[pick].placed = true;
        out[n++] = c->t[pick];
    }
    free(c->t);
    c->t = out;
    return 0;
}

static char *select_sql(const struct tab *t)
{
    struct buf b = { 0 };
    buf_puts(&b, "SELECT ");
    for (int i = 0; i < t->ncols; i++) {
        if (i) buf_puts(&b, ", ");
        copy_put_ident(&b, t->cols[i].name);
    }
    buf_puts(&b, " FROM ");
    copy_put_ident(&b, t->name);
    buf_printf(&b, " ORDER BY %s LIMIT ? OFFSET ?", t->order);
    return buf_take(&b);
}

static char *insert_sql(const struct tab *t, int nrows)
{
    struct buf b = { 0 };
    buf_puts(&b, "INSERT INTO ");
    copy_put_ident(&b, t->name);
    buf_puts(&b, " (");
    for (int i = 0; i < t->ncols; i++) {
        if (i) buf_puts(&b, ", ");
        copy_put_ident(&b, t->cols[i].name);
    }
    if (t->tokens) buf_puts(&b, ", tokens");
    buf_puts(&b, ") VALUES ");
    for (int r = 0; r < nrows; r++) {
        buf_puts(&b, r ? ", (" : "(");
        for (int i = 0; i < t->ncols; i++) buf_puts(&b, i ? ", ?" : "?");
        if (t->tokens) buf_puts(&b, ", CAST(? AS tsvector)");
        buf_puts(&b, ")");
    }
    return buf_take(&b);
}

struct pending { int64_t key, v[MAX_SELF]; unsigned nulls; };

/* Binds one source row as parameters first+1… of ins, each by its column's type. */
static int bind_row(struct ctx *c, const struct tab *t, db_stmt *s, db_stmt *ins, int first, struct pending *p)
{
    for (int i = 0; i < t->ncols; i++) {
        int at = first + i + 1;
        bool self = false;
        for (int k = 0; k < t->nself; k++)
            if (t->self_i[k] == i) self = true;
        if (self || db_col_is_null(s, i)) {
            db_bind_null(ins, at);
            continue;
        }
        const struct col *k = &t->cols[i];
        if (k->fam == 'i') {
            /* The text, parsed: exact for any 64-bit integer, and a value SQLite kept as text in an INTEGER column is
             * refused here rather than read as 0. */
            const char *v = db_col_text(s, i);
            char *end;
            errno = 0;
            long long n = v ? strtoll(v, &end, 10) : 0;
            if (!v || end == v || *end || errno)
                return fail(c, "bảng %s, cột %s: giá trị '%.40s' không phải số nguyên; không chép", t->name, k->name, v ? v : "");
            db_bind_int(ins, at, n);
        } else if (k->fam == 'r') {
            double x = db_col_double(s, i);   /* before the text: SQLite's text of a real has only 15 digits */
            const char *v = db_col_text(s, i);
            char *end;
            if (!v || (strtod(v, &end), end == v || *end))
                return fail(c, "bảng %s, cột %s: giá trị '%.40s' không phải số; không chép", t->name, k->name, v ? v : "");
            db_bind_double(ins, at, x);
        } else if (k->fam == 'b') {
            size_t n = 0;
            unsigned char *v = db_col_blob(s, i, &n);
            db_bind_blob(ins, at, v, n);
            free(v);
        } else db_bind_text(ins, at, db_col_text(s, i));
    }
    if (t->tokens) {
        /* What search_index.c stores beside a passage it writes: the tokens of its title and body chunk. */
        char *tsv = search_tsvector(db_col_text(s, t->title_i), db_col_text(s, t->body_i));
        db_bind_text(ins, first + t->ncols + 1, tsv);
        free(tsv);
    }
    if (p) {
        p->key = db_col_int(s, t->key_i);
        p->nulls = 0;
        for (int k = 0; k < t->nself; k++) {
            if (db_col_is_null(s, t->self_i[k])) p->nulls |= 1u << k;
            else p->v[k] = db_col_int(s, t->self_i[k]);
        }
    }
    return 0;
}

static int run(struct ctx *c, db_stmt *s, const char *what, const char *table)
{
    int st = db_step(s);
    db_done(s);
    return st == DB_ERROR ? fail(c, "không %s bảng %s ở đích: %s", what, table, db_errmsg(c->dst)) : 0;
}

/* Sets the self-references held back while the rows went in. */
static int set_self(struct ctx *c, const struct tab *t, const struct pending *p, size_t n)
{
    struct buf b = { 0 };
    buf_puts(&b, "UPDATE ");
    copy_put_ident(&b, t->name);
    for (int k = 0; k < t->nself; k++) {
        buf_puts(&b, k ? ", " : " SET ");
        copy_put_ident(&b, t->cols[t->self_i[k]].name);
        buf_puts(&b, " = ?");
    }
    buf_puts(&b, " WHERE ");
    copy_put_ident(&b, t->cols[t->key_i].name);
    buf_puts(&b, " = ?");
    char *sql = buf_take(&b);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        db_stmt *s = db_prepare(c->dst, sql);
        for (int k = 0; k < t->nself; k++) {
            if (p[i].nulls & (1u << k)) db_bind_null(s, k + 1);
            else db_bind_int(s, k + 1, p[i].v[k]);
        }
        db_bind_int(s, t->nself + 1, p[i].key);
        rc = run(c, s, "ghi được liên kết trong", t->name);
    }
    free(sql);
    return rc;
}

static int copy_table(struct ctx *c, const struct tab *t, int64_t *written)
{
    int per_row = t->ncols + (t->tokens ? 1 : 0);
    int batch = MAX_PARAMS / per_row > 0 ? MAX_PARAMS / per_row : 1;
    char *sel = select_sql(t), *full = insert_sql(t, batch), *part = NULL;
    struct pending *pend = NULL;
    size_t npend = 0;
    if (t->nself && t->rows > 0 && !(pend = calloc((size_t)t->rows, sizeof *pend))) abort();
    int64_t done = 0;
    db_stmt *ins = NULL;
    int inrow = 0, want = 0, rc = 0;
    for (int64_t off = 0; !rc && off < t->rows; off += PAGE) {
        db_stmt *s = db_prepare(c->src, sel);
        db_bind_int(s, 1, PAGE);
        db_bind_int(s, 2, off);
        int st;
        while ((st = db_step(s)) == DB_ROW) {
            if (done == t->rows) { rc = fail(c, "bảng %s của nguồn có nhiều dòng hơn số đã đếm", t->name); break; }
            if (!ins) {
                /* The last statement of a table takes only the rows left: the count is from the same snapshot. */
                want = t->rows - done < batch ? (int)(t->rows - done) : batch;
                if (want < batch && !part) part = insert_sql(t, want);
                ins = db_prepare(c->dst, want == batch ? full : part);
                inrow = 0;
            }
            bool keep = false;
            for (int k = 0; k < t->nself; k++) keep = keep || !db_col_is_null(s, t->self_i[k]);
            if ((rc = bind_row(c, t, s, ins, inrow * per_row, keep ? &pend[npend] : NULL))) break;
            npend += keep;
            inrow++;
            done++;
            if (inrow == want) {
                rc = run(c, ins, "ghi được vào", t->name);
                ins = NULL;
                if (rc) break;
            }
        }
        if (st == DB_ERROR && !rc) rc = fail(c, "không đọc được bảng %s của nguồn: %s", t->name, db_errmsg(c->src));
        db_done(s);
    }
    if (ins) db_done(ins);
    if (!rc && done != t->rows) rc = fail(c, "bảng %s của nguồn có %lld dòng, đã đếm %lld", t->name, (long long)done, (long long)t->rows);
    if (!rc && npend) rc = set_self(c, t, pend, npend);
    *written += done;
    free(pend);
    free(sel);
    free(full);
    free(part);
    return rc;
}

/* PostgreSQL hands out ids from sequences that the copied rows did not move: each is set past its column's largest
 * value (to 1 on an empty table), or the next row inserted would collide with a copied one. */
static int move_sequences(struct ctx *c)
{
    json_t *seqs = copy_list_sequences(c->dst);
    if (!seqs) return fail(c, "không đọc được các sequence của đích: %s", db_errmsg(c->dst));
    int rc = 0;
    size_t i;
    json_t *row;
    json_array_foreach(seqs, i, row) {
        struct buf b = { 0 };
        buf_puts(&b, "SELECT setval(CAST(? AS regclass), COALESCE(MAX(");
        copy_put_ident(&b, json_string_value(json_object_get(row, "col")));
        buf_puts(&b, "), 0) + 1, false) FROM ");
        copy_put_ident(&b, json_string_value(json_object_get(row, "tab")));
        char *sql = buf_take(&b);
        db_stmt *s = db_prepare(c->dst, sql);
        db_bind_text(s, 1, json_string_value(json_object_get(row, "seq")));
        rc = run(c, s, "đặt được sequence của", json_string_value(json_object_get(row, "tab")));
        free(sql);
        if (rc) break;
    }
    json_decref(seqs);
    return rc;
}

/* The migrations applied, in order: the source must be at this build's level, neither behind nor ahead. */
static int check_level(struct ctx *c)
{
    const char *sql = "SELECT version FROM schema_migration ORDER BY version";
    json_t *want = copy_rows(c->ref, sql, NULL), *have = copy_rows(c->src, sql, NULL);
    int rc = 0;
    if (!want) rc = fail(c, "không dựng được cơ sở dữ liệu mẫu để so sánh: %s", db_errmsg(c->ref));
    else if (!have)
        rc = fail(c, "nguồn không phải cơ sở dữ liệu dxday (không đọc được bảng schema_migration: %s)", db_errmsg(c->src));
    else if (!json_equal(want, have)) {
        size_t nw = json_array_size(want), nh = json_array_size(have);
        long long lw = nw ? json_integer_value(json_object_get(json_array_get(want, nw - 1), "version")) : 0;
        long long lh = nh ? json_integer_value(json_object_get(json_array_get(have, nh - 1), "version")) : 0;
        if (!nh) rc = fail(c, "nguồn không phải cơ sở dữ liệu dxday (schema_migration trống)");
        else if (lh > lw)
            rc = fail(c, "nguồn ở mức migration %lld, mới hơn bản dxday này (%lld): hãy chép bằng bản dxday mới hơn", lh, lw);
        else
            rc = fail(c, "nguồn ở mức migration %lld (%zu bản), bản dxday này ở mức %lld (%zu bản): hãy chạy "
                         "`dxday --db NGUỒN migrate` trên nguồn trước", lh, nh, lw, nw);
    }
    json_decref(want);
    json_decref(have);
    return rc;
}


static int cmp_count(const void *a, const void *b)
{
    return strcmp(((const struct copy_count *)a)->table, ((const struct copy_count *)b)->table);
}

/* Both sides' counts, by table, into r: the source's from its snapshot, the target's as committed. */
/* A server on the target keeps uploaded files' bytes in the database (uploads.h) and the source's kept them on disk:
 * each recorded file goes from the source's directory into file_content, in the copy's transaction. A file missing
 * there fails the copy: the target would name files it cannot serve. */
static int files_into_database(struct ctx *c, struct copy_result *r)
{
    db_stmt *s = db_prepare(c->dst, "SELECT sha256, size FROM file_blob WHERE sha256 NOT IN (SELECT sha256 FROM file_content) "
                                    "ORDER BY sha256");
    json_t *rows = db_rows(s);
    if (!rows) return fail(c, "không đọc được danh sách tệp ở đích: %s", db_errmsg(c->dst));
    int rc = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *sha = json_string_value(json_object_get(row, "sha256"));
        int64_t size = json_integer_value(json_object_get(row, "size"));
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", r->files_from, sha ? sha : "");
        FILE *f = sha && strspn(sha, "0123456789abcdef") == 64 && strlen(sha) == 64 ? fopen(path, "rb") : NULL;
        unsigned char *data = f && size >= 0 ? malloc((size_t)size + 1) : NULL;
        size_t got = data ? fread(data, 1, (size_t)size, f) : 0;
        if (f) fclose(f);
        if (!data || got != (size_t)size) {
            free(data);
            rc = fail(c, "tệp đã tải lên %s không có (hoặc không đủ %lld byte) trong %s; không chép gì", sha ? sha : "?",
                      (long long)size, r->files_from);
            break;
        }
        db_stmt *ins = db_prepare(c->dst, "INSERT INTO file_content (sha256, data) VALUES (?, ?)");
        db_bind_text(ins, 1, sha);
        db_bind_blob(ins, 2, data, (size_t)size);
        rc = run(c, ins, "chép được tệp vào", "file_content");
        free(data);
        if (rc) break;
        r->files_moved++;
    }
    json_decref(rows);
    return rc;
}

static void report(struct copy_result *r, json_t *src, json_t *dst)
{
    r->n = 0;
    r->t = calloc(json_object_size(src) + json_object_size(dst) + 1, sizeof *r->t);
    if (!r->t) abort();
    r->match = true;
    const char *name;
    json_t *v;
    json_object_foreach(src, name, v) {
        json_t *d = json_object_get(dst, name);
        r->t[r->n++] = (struct copy_count){ strdup(name), json_integer_value(v), d ? json_integer_value(d) : -1 };
        /* Files moved from the source's directory are rows only the target has. */
        int64_t want = json_integer_value(v) + (!strcmp(name, "file_content") ? r->files_moved : 0);
        if (d && json_integer_value(d) != want) r->match = false;
    }
    json_object_foreach(dst, name, v)
        if (!json_object_get(src, name)) r->t[r->n++] = (struct copy_count){ strdup(name), -1, json_integer_value(v) };
    qsort(r->t, r->n, sizeof *r->t, cmp_count);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The copy proper, in one transaction on the target; the source is read from one snapshot. */
static int copy_all(struct ctx *c, struct copy_result *r, json_t **src_counts)
{
    /* A read-only snapshot, so the copy is one moment of the source while its server carries on: SQLite's deferred
     * BEGIN (a WAL reader never blocks writers), PostgreSQL's REPEATABLE READ. db_begin would take the write lock. */
    if (db_exec(c->src, c->src_pg ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN"))
        return fail(c, "không mở được giao dịch đọc ở nguồn: %s", db_errmsg(c->src));
    int rc = (*src_counts = count_all(c, c->src, "nguồn")) ? 0 : -1;
    json_t *fks = NULL;
    if (!rc) {
        /* Not copied: schema_migration (the target has its own, at the same level: check_level), and SQLite's
         * search_count, a counter the target's triggers keep (a view on PostgreSQL). */
        const char *name;
        json_t *v;
        c->t = calloc(json_object_size(*src_counts) + 1, sizeof *c->t);
        if (!c->t) abort();
        json_object_foreach(*src_counts, name, v) {
            if (!strcmp(name, "schema_migration") || !strcmp(name, "search_count")) continue;
            c->t[c->nt++] = (struct tab){ .name = strdup(name), .rows = json_integer_value(v) };
        }
        if (!(fks = copy_list_fks(c->dst))) rc = fail(c, "không đọc được các khoá ngoại của đích: %s", db_errmsg(c->dst));
    }
    for (size_t i = 0; !rc && i < c->nt; i++) rc = plan_table(c, &c->t[i], fks);
    if (!rc) rc = order_tables(c, fks);
    json_decref(fks);
    if (rc) {
        db_exec(c->src, "ROLLBACK");
        return rc;
    }
    double t0 = now_s();
    if (db_begin(c->dst)) {
        rc = fail(c, "không mở được giao dịch ở đích: %s", db_locked(c->dst) ? "cơ sở dữ liệu đang bận" : db_errmsg(c->dst));
        db_rollback(c->dst);
        db_exec(c->src, "ROLLBACK");
        return rc;
    }
    /* Asked again under the write lock, so nothing can have been written in between. */
    rc = check_empty(c);
    /* The reference rows the target's migration made are replaced by the source's (they may differ: an edited form, an
     * older org list), children before parents. */
    for (size_t i = c->nt; !rc && i-- > 0;) {
        struct buf b = { 0 };
        buf_puts(&b, "DELETE FROM ");
        copy_put_ident(&b, c->t[i].name);
        char *sql = buf_take(&b);
        rc = run(c, db_prepare(c->dst, sql), "xoá được dữ liệu mẫu của", c->t[i].name);
        free(sql);
    }
    for (size_t i = 0; !rc && i < c->nt; i++) rc = copy_table(c, &c->t[i], &r->rows);
    if (!rc && c->dst_pg) rc = move_sequences(c);
    for (size_t i = 0; !rc && i < c->nt; i++) {
        int64_t n = copy_count_rows(c->dst, c->t[i].name);
        if (n != c->t[i].rows)
            rc = fail(c, "bảng %s: nguồn %lld dòng, đích %lld sau khi chép; đã huỷ, không ghi gì", c->t[i].name,
                      (long long)c->t[i].rows, (long long)n);
    }
    if (!rc && store_uploads_in_database(c->to) && !store_uploads_in_database(c->from)) rc = files_into_database(c, r);
    if (rc) db_rollback(c->dst);
    else if (db_commit(c->dst)) rc = fail(c, "không ghi được (commit) ở đích: %s", db_errmsg(c->dst));
    r->seconds = now_s() - t0;
    db_exec(c->src, "ROLLBACK");
    return rc;
}

int store_copy(const char *from, const char *to, struct copy_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (err && errlen) err[0] = 0;
    struct ctx c = { .err = err, .errlen = errlen, .src_pg = is_pg(from), .dst_pg = is_pg(to), .from = from, .to = to };
    store_uploads_dir(from, r->files_from, sizeof r->files_from);
    store_uploads_dir(to, r->files_to, sizeof r->files_to);
    r->files_in_db[0] = store_uploads_in_database(from);
    r->files_in_db[1] = store_uploads_in_database(to);
    /* A string that looks like a URL of another kind would otherwise open as a SQLite file of that name. */
    for (int i = 0; i < 2; i++) {
        const char *s = i ? to : from;
        if (!*s || (strstr(s, "://") && !is_pg(s)))
            return fail(&c, "chuỗi kết nối %s không hợp lệ: dùng đường dẫn tệp SQLite (hoặc sqlite:ĐƯỜNG_DẪN) hoặc "
                            "postgresql://…", i ? "đích" : "nguồn");
    }
    if (!strcmp(from, to)) return fail(&c, "nguồn và đích là cùng một cơ sở dữ liệu");
    struct stat sf, st;
    bool dst_existed = c.dst_pg || stat(file_of(to), &st) == 0;
    if (!c.src_pg && stat(file_of(from), &sf) != 0)
        return fail(&c, "không có tệp cơ sở dữ liệu nguồn %s", file_of(from));
    if (!c.src_pg && !c.dst_pg && dst_existed && sf.st_dev == st.st_dev && sf.st_ino == st.st_ino)
        return fail(&c, "nguồn và đích là cùng một tệp");

    if (!c.src_pg && !copy_sqlite_is_dxday(file_of(from)))
        return fail(&c, "nguồn %s không phải cơ sở dữ liệu dxday (không có bảng schema_migration)", file_of(from));

    char *e = NULL;
    int rc = 0;
    json_t *src_counts = NULL, *dst_counts = NULL;
    if (!(c.src = db_open(from, &e))) rc = fail(&c, "không mở được nguồn: %s", e ? e : "?");
    free(e);
    e = NULL;
    /* This build's migration level and reference data: a database migrated now, in memory. */
    if (!rc && (!(c.ref = db_open(":memory:", &e)) || store_migrate(c.ref)))
        rc = fail(&c, "không dựng được cơ sở dữ liệu mẫu để so sánh%s%s", e ? ": " : "", e ? e : "");
    free(e);
    e = NULL;
    if (!rc) rc = check_level(&c);
    if (!rc && !(c.ref_counts = count_all(&c, c.ref, "cơ sở dữ liệu mẫu"))) rc = -1;
    if (!rc && !(c.dst = db_open(to, &e))) rc = fail(&c, "không mở được đích: %s", e ? e : "?");
    free(e);
    if (!rc && c.src_pg && c.dst_pg && copy_same_pg(c.src, c.dst)) rc = fail(&c, "nguồn và đích là cùng một cơ sở dữ liệu");
    /* Before migrating, so that a target in use is refused without even a schema change; asked again in the copy's
     * transaction. */
    if (!rc) rc = check_empty(&c);
    if (!rc && store_migrate(c.dst)) rc = fail(&c, "không migrate được đích: %s", db_errmsg(c.dst));
    if (!rc) rc = copy_all(&c, r, &src_counts);
    if (src_counts && c.dst && (dst_counts = count_all(&c, c.dst, "đích"))) report(r, src_counts, dst_counts);
    if (!rc && !r->match) rc = fail(&c, "đã chép, nhưng số dòng hai bên không khớp ở bảng ghi dưới đây");
    json_decref(src_counts);
    json_decref(dst_counts);
    json_decref(c.ref_counts);
    for (size_t i = 0; i < c.nt; i++) {
        for (int k = 0; k < c.t[i].ncols; k++) free(c.t[i].cols[k].name);
        free(c.t[i].cols);
        free(c.t[i].name);
        free(c.t[i].order);
    }
    free(c.t);
    db_close(c.src);
    db_close(c.ref);
    db_close(c.dst);
    if (rc && !dst_existed) {
        /* Nothing of a failed copy stays behind, not even the empty database this call made. */
        char p[1100];
        unlink(file_of(to));
        snprintf(p, sizeof p, "%s-wal", file_of(to));
        unlink(p);
        snprintf(p, sizeof p, "%s-shm", file_of(to));
        unlink(p);
    }
    return rc;
}

void store_copy_result_free(struct copy_result *r)
{
    for (size_t i = 0; i < r->n; i++) free(r->t[i].table);
    free(r->t);
    r->t = NULL;
    r->n = 0;
}
