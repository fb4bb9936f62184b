/* Writing the search index: cutting an item's text into passages, replacing them, and indexing the plan tables.
 * Must not touch search_fts directly: the triggers of migration 0006 keep it equal to search_passage (on PostgreSQL
 * the passage carries its tokens, search_tsv.c). */
#include "store/search.h"
#include "core/buf.h"
#include "core/signer.h"
#include "core/date.h"
#include "core/heading.h"
#include "core/text.h"
#include "store/search_tsv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct span {
    size_t s, e;
    bool para; /* first sentence of a paragraph: a good place to start a new chunk */
};

struct spans {
    struct span *v;
    size_t n, cap;
};

static void add_span(struct spans *a, size_t s, size_t e, bool para)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 32;
        a->v = realloc(a->v, a->cap * sizeof *a->v);
        if (!a->v) abort();
    }
    a->v[a->n++] = (struct span){ s, e, para };
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static size_t chars(const char *t, size_t s, size_t e)
{
    size_t n = 0;
    for (size_t i = s; i < e; i++)
        n += ((unsigned char)t[i] & 0xC0) != 0x80;
    return n;
}

/* Byte offset just past SEARCH_CHUNK_MAX characters from s, moved back to the last space when there is one, so a
 * run-on sentence (a table flattened to text) is cut between words. */
static size_t cut_long(const char *t, size_t s, size_t e)
{
    size_t i = s, n = 0;
    while (i < e && n < SEARCH_CHUNK_MAX) {
        i++;
        while (i < e && ((unsigned char)t[i] & 0xC0) == 0x80)
            i++;
        n++;
    }
    if (i >= e)
        return e;
    for (size_t k = i; k > s + (i - s) / 2; k--)
        if (is_space(t[k - 1]))
            return k;
    return i;
}

static void add_sentence(struct spans *a, const char *t, size_t s, size_t e, bool para)
{
    while (s < e && is_space(t[s]))
        s++;
    while (e > s && is_space(t[e - 1]))
        e--;
    while (s < e) {
        size_t c = cut_long(t, s, e);
        add_span(a, s, c, para);
        para = false;
        s = c;
        while (s < e && is_space(t[s]))
            s++;
    }
}

/* Sentences of t: ends at . ! ? … followed by a space, and at every line break (plans list their items one a line);
 * a blank line starts a paragraph. */
static void sentences(struct spans *a, const char *t)
{
    size_t n = strlen(t), s = 0;
    bool para = true;
    for (size_t i = 0; i < n; i++) {
        bool end = false;
        if (t[i] == '\n') {
            end = true;
        } else if ((t[i] == '.' || t[i] == '!' || t[i] == '?') && i + 1 < n && is_space(t[i + 1])) {
            end = true;
        } else if ((unsigned char)t[i] == 0xE2 && i + 3 < n && (unsigned char)t[i + 1] == 0x80 &&
                   (unsigned char)t[i + 2] == 0xA6 && is_space(t[i + 3])) {
            i += 2; /* U+2026 … */
            end = true;
        }
        if (!end)
            continue;
        size_t before = a->n;
        add_sentence(a, t, s, i + 1, para);
        if (a->n > before)
            para = false;
        s = i + 1;
        if (t[i] == '\n') {
            /* Only blank characters up to the next line break: a blank line, a new paragraph. */
            size_t k = s;
            while (k < n && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r'))
                k++;
            if (k < n && t[k] == '\n')
                para = true;
        }
    }
    add_sentence(a, t, s, n, para);
}

/* Groups sentences into chunks [s, e) of the text, greedily: a chunk takes the next sentence while it stays within
 * the maximum, but stops at a paragraph once it has the minimum; a short last chunk joins the one before it. */
static struct spans chunks(const char *t)
{
    struct spans in = {0}, out = {0};
    sentences(&in, t);
    size_t i = 0;
    while (i < in.n) {
        size_t s = in.v[i].s, e = in.v[i].e, len = chars(t, s, e);
        size_t j = i + 1;
        for (; j < in.n; j++) {
            size_t more = chars(t, e, in.v[j].e);
            if (len + more > SEARCH_CHUNK_MAX || (in.v[j].para && len >= SEARCH_CHUNK_MIN))
                break;
            len += more;
            e = in.v[j].e;
        }
        if (out.n > 0 && len < SEARCH_CHUNK_MIN / 2 && j >= in.n &&
            chars(t, out.v[out.n - 1].s, e) <= SEARCH_CHUNK_MAX + SEARCH_CHUNK_MIN)
            out.v[out.n - 1].e = e;
        else
            add_span(&out, s, e, false);
        i = j;
    }
    free(in.v);
    return out;
}

/* NFC, with control characters that no reader needs turned into spaces: \x01 and \x02 mark matches in snippets. */
static char *clean(const char *s)
{
    char *t = text_nfc(s ? s : "");
    if (!t)
        return NULL;
    for (char *p = t; *p; p++)
        if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7F)
            *p = ' ';
    return t;
}

/* One markdown table cell row into its cells, trimmed; returns how many (at most max). */
static int cells(const char *line, size_t len, char out[][400], int max)
{
    int n = 0;
    size_t i = 0;
    while (i < len && line[i] != '|') i++;
    while (i < len && n < max) {
        size_t s = ++i;
        while (i < len && (line[i] != '|' || line[i - 1] == '\\')) i++;
        if (i >= len) break;
        size_t a = s, b = i;
        while (a < b && (line[a] == ' ' || line[a] == '\t')) a++;
        while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t')) b--;
        snprintf(out[n++], 400, "%.*s", (int)(b - a), line + a);
    }
    return n;
}

static bool separator_row(const char *line, size_t len)
{
    bool dash = false;
    for (size_t i = 0; i < len; i++) {
        if (line[i] == '-') dash = true;
        else if (!strchr("|: \t\r", line[i])) return false;
    }
    return dash;
}

/* Tables row by row: a markdown table (header, |---| line, rows) becomes one line per row that names each cell by its
 * column, "Cơ quan chủ trì: Sở Y tế; Thời hạn: 30/11/2025.", so a row is a sentence that says what it holds. The
 * numbering column (STT, TT) is left out; a row with one filled cell (a group heading) is that cell. Other text is
 * kept as it is. malloc'd. */
static char *tables_as_rows(const char *t)
{
    struct buf b = {0};
    char head[16][400], row[16][400];
    int nh = 0;
    bool in_table = false;
    for (const char *p = t; *p;) {
        size_t len = strcspn(p, "\n");
        const char *q = p;
        while (q < p + len && (*q == ' ' || *q == '\t')) q++;
        bool piped = q < p + len && *q == '|';
        const char *next = p[len] ? p + len + 1 : p + len;
        if (piped && !in_table && *next) {
            size_t nlen = strcspn(next, "\n");
            if (separator_row(next, nlen)) {
                nh = cells(p, len, head, 16);
                in_table = true;
                p = next[nlen] ? next + nlen + 1 : next + nlen;
                continue;
            }
        }
        if (piped && in_table) {
            int nr = cells(p, len, row, 16), filled = 0, last = -1;
            for (int i = 0; i < nr; i++)
                if (row[i][0]) { filled++; last = i; }
            if (filled == 1 || (filled == 2 && row[0][0] && last == 1)) {
                buf_printf(&b, "%s\n", row[last]);
            } else if (filled) {
                int put = 0;
                for (int i = 0; i < nr; i++) {
                    if (!row[i][0]) continue;
                    char *fh = i < nh ? text_fold(head[i]) : NULL;
                    bool numbering = fh && (!strcmp(fh, "stt") || !strcmp(fh, "tt"));
                    free(fh);
                    if (numbering) continue;
                    for (char *x = row[i]; (x = strstr(x, "<br>"));) {   /* a line break inside a cell */
                        x[0] = ',';
                        x[1] = ' ';
                        memmove(x + 2, x + 4, strlen(x + 4) + 1);
                    }
                    buf_printf(&b, "%s%s%s%s", put++ ? "; " : "", i < nh && head[i][0] ? head[i] : "", i < nh && head[i][0] ? ": " : "", row[i]);
                }
                buf_puts(&b, ".\n");
            }
            p = next;
            continue;
        }
        in_table = false;
        buf_printf(&b, "%.*s%s", (int)len, p, p[len] ? "\n" : "");
        p = next;
    }
    if (!b.p) return strdup("");
    return b.p;
}

static int exec1(db_stmt *s)
{
    if (!s)
        return -1;
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

static int delete_rows(db *d, const char *kind, int64_t ref_id)
{
    db_stmt *s = db_prepare(d, "DELETE FROM search_passage WHERE kind = ? AND ref_id = ?");
    if (!s)
        return -1;
    db_bind_text(s, 1, kind);
    db_bind_int(s, 2, ref_id);
    return exec1(s);
}

/* The number of a kind, given one the first time the kind is seen; 0 on error or when there are too many kinds. */
static int64_t kind_number(db *d, const char *kind)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM search_kind WHERE name = ?");
    if (!s)
        return 0;
    db_bind_text(s, 1, kind);
    int64_t k = db_scalar_int(s, 0);
    if (!k && (s = db_prepare(d, "INSERT INTO search_kind (name) VALUES (?) RETURNING id"))) {
        db_bind_text(s, 1, kind);
        k = db_scalar_int(s, 0);
    }
    return k > 0 && k < ((int64_t)1 << (63 - SEARCH_ID_KIND_SHIFT)) ? k : 0;
}

/* The first id of (kind, ref_id)'s block: the block it has when it is indexed already, so that replacing an item keeps
 * its number; else the block after the highest in use for the kind. 0 on error or when the kind is full. */
static int64_t id_base(db *d, const char *kind, int64_t ref_id)
{
    const int64_t seq_mask = ((int64_t)1 << SEARCH_ID_ITEM_SHIFT) - 1;
    db_stmt *s = db_prepare(d, "SELECT id FROM search_passage WHERE kind = ? AND ref_id = ? LIMIT 1");
    if (!s)
        return 0;
    db_bind_text(s, 1, kind);
    db_bind_int(s, 2, ref_id);
    int64_t id = db_scalar_int(s, 0);
    if (id)
        return id & ~seq_mask;
    int64_t k = kind_number(d, kind);
    /* The last id of the kind: the first row at or below the kind's end, walking the primary key backwards, and ours
     * if it is not below the kind's start. PostgreSQL, whose statistics still see the table as it was before a long
     * transaction of inserts, took a range of the kind's ids for one row and read all of them (as it did for max(id)),
     * so indexing slowed with each passage: 20,000 passages 150 s, now 15 s. */
    if (!k || !(s = db_prepare(d, "SELECT id FROM search_passage WHERE id <= ? ORDER BY id DESC LIMIT 1")))
        return 0;
    int64_t lo = k << SEARCH_ID_KIND_SHIFT, hi = lo | (((int64_t)1 << SEARCH_ID_KIND_SHIFT) - 1);
    db_bind_int(s, 1, hi);
    int64_t top = db_scalar_int(s, 0);
    if (top < lo)
        top = 0;
    int64_t next = top ? (top & ~seq_mask) + seq_mask + 1 : lo + seq_mask + 1;
    return next <= hi ? next : 0;
}

static int insert_chunks(db *d, const char *kind, int64_t ref_id, const char *title, char *body, const char *url,
                         const char *date, int64_t base)
{
    struct spans c = chunks(body);
    if (c.n == 0)
        add_span(&c, 0, 0, false); /* a title alone is still worth finding */
    int rc = c.n >> SEARCH_ID_ITEM_SHIFT ? -1 : 0; /* more chunks than a block holds: 39 million characters */
    /* SQLite's FTS5 triggers index a passage as it is written; PostgreSQL stores our tokens beside it (0006). */
    bool pg = !strcmp(db_engine(d), "postgresql");
    size_t nh = 0;
    struct heading *hs = headings_find(body, &nh);
    for (size_t i = 0; i < c.n && !rc; i++) {
        db_stmt *s = db_prepare(d, pg ? "INSERT INTO search_passage (id, kind, ref_id, seq, title, body, url, date, heading, tokens) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS tsvector))"
                                      : "INSERT INTO search_passage (id, kind, ref_id, seq, title, body, url, date, heading) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!s) {
            rc = -1;
            break;
        }
        /* The section the chunk opens in: where it starts, past a heading that opens the chunk itself. */
        const struct heading *h = heading_in_force(hs, nh, c.v[i].s + 1);
        char *heading = h ? strndup(body + h->at, h->len) : NULL;
        char save = body[c.v[i].e];
        body[c.v[i].e] = '\0';
        db_bind_int(s, 1, base + (int64_t)i);
        db_bind_text(s, 2, kind);
        db_bind_int(s, 3, ref_id);
        db_bind_int(s, 4, (int64_t)i);
        db_bind_text(s, 5, title);
        db_bind_text(s, 6, body + c.v[i].s);
        db_bind_text(s, 7, url);
        db_bind_text(s, 8, date);
        db_bind_text(s, 9, heading);
        char *tsv = pg ? search_tsvector(title, body + c.v[i].s) : NULL;
        if (pg) db_bind_text(s, 10, tsv);
        free(tsv);
        free(heading);
        body[c.v[i].e] = save;
        rc = exec1(s);
    }
    free(hs);
    free(c.v);
    return rc;
}

/* PostgreSQL: moves search_generation (migration 0018) once per transaction, after the passages changed, so that
 * every connection's counts of terms (search_query.c) are counted again. Outside a transaction each call commits on
 * its own; after the change, a reader can at worst count the new passages under the old number and count again. */
static int bump_generation(db *d)
{
    if (strcmp(db_engine(d), "postgresql"))
        return 0;
    return exec1(db_prepare(d, "UPDATE search_generation SET n = n + 1, tx = txid_current() "
                               "WHERE id = 1 AND tx IS DISTINCT FROM txid_current()"));
}

int store_search_put(db *d, const char *kind, int64_t ref_id, const char *title, const char *body, const char *url,
                     const char *date)
{
    if (!kind || !*kind || !title || !url)
        return -1;
    char *t = clean(title), *b0 = clean(body), *b = b0 ? tables_as_rows(b0) : NULL;
    free(b0);
    if (!t || !b || (date && !text_valid_utf8(date, strlen(date)))) {
        free(t);
        free(b);
        return -1;
    }
    int rc = -1;
    if (db_begin(d) == 0) {
        int64_t base = id_base(d, kind, ref_id);
        rc = base ? delete_rows(d, kind, ref_id) : -1;
        if (!rc)
            rc = insert_chunks(d, kind, ref_id, t, b, url, date, base);
        if (!rc)
            rc = bump_generation(d);
        if (rc)
            db_rollback(d);
        else
            rc = db_commit(d);
    }
    free(t);
    free(b);
    return rc;
}

int store_search_delete(db *d, const char *kind, int64_t ref_id)
{
    if (!kind)
        return -1;
    int rc = delete_rows(d, kind, ref_id);
    return rc ? rc : bump_generation(d);
}

/* "2022-09-15" as officials read it, "15/09/2022"; anything else as it is. */
static void put_date(struct buf *b, const char *iso)
{
    struct ymd d;
    char vn[16];
    if (iso && date_parse_iso(iso, &d)) {
        date_format_vn(d, vn);
        buf_puts(b, vn);
    } else if (iso) {
        buf_puts(b, iso);
    }
}

static const char *col(json_t *row, const char *k)
{
    const char *v = json_string_value(json_object_get(row, k));
    return v && *v ? v : NULL;
}

static int64_t col_int(json_t *row, const char *k) { return json_integer_value(json_object_get(row, k)); }

static int index_plan(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT id, number, issued, issuer, title, source_text FROM plan WHERE id = ?");
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    json_t *p = db_row(s);
    if (!p)
        return -1;
    struct buf b = {0};
    /* The number and issuer are how officials name a plan ("Kế hoạch 1092/QĐ-BTTTT"): make them searchable. */
    /* One sentence, so the assistant can answer "văn bản số … ban hành ngày nào, do ai ban hành" with it. */
    /* The number says what kind of document it is ("…/KH-…" a plan); its title what it is about. */
    buf_puts(&b, col(p, "number") && strstr(col(p, "number"), "KH") ? "Kế hoạch" : "Văn bản");
    if (col(p, "number"))
        buf_printf(&b, " số %s", col(p, "number"));
    if (col(p, "issued")) {
        buf_puts(&b, " ban hành ngày ");
        put_date(&b, col(p, "issued"));
    }
    if (col(p, "issuer"))
        buf_printf(&b, ", cơ quan ban hành: %s", col(p, "issuer"));
    if (col(p, "title"))
        buf_printf(&b, ", về việc: %s", col(p, "title"));
    buf_puts(&b, ".");
    /* Who signed it, read from its signature block: "ai ký kế hoạch …" is answered beside the number and date. */
    char signer[300];
    if (col(p, "source_text") && doc_signer(col(p, "source_text"), signer, sizeof signer))
        buf_printf(&b, " Người ký: %s.", signer);
    buf_puts(&b, "\n\n");
    int rc = 0;
    if (col(p, "source_text")) {
        buf_puts(&b, col(p, "source_text"));
    } else {
        s = db_prepare(d, "SELECT ref, title FROM task WHERE plan_id = ? AND instance_of IS NULL ORDER BY sort");
        if (!s)
            rc = -1;
        else {
            db_bind_int(s, 1, id);
            while (db_step(s) == DB_ROW)
                buf_printf(&b, "%s. %s\n\n", db_col_text(s, 0), db_col_text(s, 1));
            db_done(s);
        }
    }
    char url[48];
    snprintf(url, sizeof url, "/ke-hoach/%lld", (long long)id);
    /* The issuer belongs to what a plan is about ("kế hoạch của Trung ương Đoàn"): it rides along in the title. */
    char *title = NULL;
    if (asprintf(&title, "%s%s%s", col(p, "title") ? col(p, "title") : "", col(p, "issuer") ? " – " : "",
                 col(p, "issuer") ? col(p, "issuer") : "") < 0)
        title = NULL;
    if (!rc)
        rc = store_search_put(d, "plan", id, title ? title : "", b.p ? b.p : "", url, col(p, "issued"));
    free(title);
    buf_free(&b);
    json_decref(p);
    return rc;
}

static void put_units(db *d, struct buf *b, int64_t task_id, const char *role, const char *label)
{
    /* Units in the order they were named: SQLite's rowid; PostgreSQL keeps no insertion order, and ctid is the
     * nearest for rows written once in one transaction (task_unit rows are). */
    db_stmt *s = db_prepare(d, strcmp(db_engine(d), "postgresql")
                                   ? "SELECT name FROM task_unit WHERE task_id = ? AND role = ? ORDER BY rowid"
                                   : "SELECT name FROM task_unit WHERE task_id = ? AND role = ? ORDER BY ctid");
    if (!s)
        return;
    db_bind_int(s, 1, task_id);
    db_bind_text(s, 2, role);
    int n = 0;
    while (db_step(s) == DB_ROW)
        buf_printf(b, "%s%s", n++ ? ", " : label, db_col_text(s, 0));
    if (n)
        buf_puts(b, ".\n");
    db_done(s);
}

static int index_task(db *d, json_t *t)
{
    int64_t id = col_int(t, "id");
    struct buf b = {0};
    buf_printf(&b, "Nhiệm vụ %s", col(t, "ref") ? col(t, "ref") : "");
    if (col(t, "number"))
        buf_printf(&b, " của kế hoạch %s", col(t, "number"));
    buf_printf(&b, ": %s.\n", col(t, "plan_title") ? col(t, "plan_title") : "");
    if (col(t, "deliverable"))
        buf_printf(&b, "Kết quả, sản phẩm: %s.\n", col(t, "deliverable"));
    put_units(d, &b, id, "lead", "Đơn vị chủ trì: ");
    put_units(d, &b, id, "partner", "Đơn vị phối hợp: ");
    if (col(t, "due")) {
        buf_puts(&b, "Thời hạn: ");
        put_date(&b, col(t, "due"));
        buf_puts(&b, ".\n");
    } else if (col(t, "window_from") || col(t, "window_to")) {
        buf_puts(&b, "Thời gian: ");
        put_date(&b, col(t, "window_from"));
        buf_puts(&b, " – ");
        put_date(&b, col(t, "window_to"));
        buf_puts(&b, ".\n");
    }
    if (col(t, "recurrence"))
        buf_printf(&b, "Tần suất: %s.\n", col(t, "recurrence"));
    char url[48];
    snprintf(url, sizeof url, "/nhiem-vu/%lld", (long long)id);
    const char *date = col(t, "due") ? col(t, "due") : col(t, "window_to");
    int rc = store_search_put(d, "task", id, col(t, "title") ? col(t, "title") : "", b.p ? b.p : "", url, date);
    buf_free(&b);
    return rc;
}

int store_search_reindex_plans(db *d)
{
    if (db_begin(d))
        return -1;
    db_stmt *s = db_prepare(d, "DELETE FROM search_passage WHERE kind IN ('plan', 'task')");
    int rc = exec1(s);
    /* Ids first, then one item at a time: a plan's source text can be large, and all of them at once larger. */
    json_t *plans = NULL, *tasks = NULL;
    if (!rc) {
        s = db_prepare(d, "SELECT id FROM plan ORDER BY id");
        plans = s ? db_rows(s) : NULL;
        rc = plans ? 0 : -1;
    }
    size_t i;
    json_t *row;
    json_array_foreach(plans, i, row) {
        if (rc)
            break;
        rc = index_plan(d, col_int(row, "id"));
    }
    if (!rc) {
        s = db_prepare(d, "SELECT t.id, t.ref, t.title, t.deliverable, t.due, t.window_from, t.window_to, t.recurrence, "
                          "p.number, p.title AS plan_title FROM task t JOIN plan p ON p.id = t.plan_id "
                          "WHERE t.instance_of IS NULL ORDER BY t.id");
        tasks = s ? db_rows(s) : NULL;
        rc = tasks ? 0 : -1;
    }
    json_array_foreach(tasks, i, row) {
        if (rc)
            break;
        rc = index_task(d, row);
    }
    json_decref(plans);
    json_decref(tasks);
    if (rc) {
        db_rollback(d);
        return -1;
    }
    return db_commit(d);
}

int store_search_index_plan(db *d, int64_t plan_id)
{
    int rc = index_plan(d, plan_id);
    db_stmt *s = db_prepare(d, "SELECT t.id, t.ref, t.title, t.deliverable, t.due, t.window_from, t.window_to, t.recurrence, "
                               "p.number, p.title AS plan_title FROM task t JOIN plan p ON p.id = t.plan_id "
                               "WHERE t.plan_id = ? AND t.instance_of IS NULL ORDER BY t.id");
    json_t *tasks = NULL;
    if (!rc && s) {
        db_bind_int(s, 1, plan_id);
        tasks = db_rows(s);
    }
    size_t i;
    json_t *row;
    json_array_foreach(tasks, i, row) {
        if (rc)
            break;
        rc = index_task(d, row);
    }
    json_decref(tasks);
    return rc;
}
