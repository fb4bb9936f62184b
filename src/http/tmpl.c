/* Mustache-subset compiler and renderer. Escaping is the default; raw output must be asked for with {{{ }}}.
 * Must not evaluate code or reach outside the context it is given. */
#include "http/tmpl.h"
#include "core/date.h"
#include "core/files.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <time.h>

enum node_type { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };

struct node {
    enum node_type type;
    char *text;          /* literal text, or the name */
    size_t len;
    char *filter;        /* one of filters[] or NULL */
    int line;            /* of the tag in its template, for errors found after parsing (a missing partial) */
    struct node *child;  /* sections */
    struct node *next;
};

struct tmpl { char *name; struct node *root; };

/* Every filter a tag may name; any other is refused when the template loads, not ignored when it renders. */
static const char *const filters[] = { "date", "datetime", "num", "pct", "url", NULL };

static bool known_filter(const char *f)
{
    for (int i = 0; filters[i]; i++)
        if (!strcmp(filters[i], f)) return true;
    return false;
}

/* 1-based line of byte offset at in src. */
static int line_at(const char *src, size_t at)
{
    int line = 1;
    for (size_t i = 0; i < at && src[i]; i++) line += src[i] == '\n';
    return line;
}
struct tmpl_set { struct tmpl *items; size_t n; };

static void free_nodes(struct node *n)
{
    while (n) {
        struct node *next = n->next;
        free(n->text);
        free(n->filter);
        free_nodes(n->child);
        free(n);
        n = next;
    }
}

static struct node *new_node(enum node_type t, const char *s, size_t len)
{
    struct node *n = calloc(1, sizeof *n);
    n->type = t;
    n->text = strndup(s, len);
    n->len = len;
    return n;
}

static char *trim_dup(const char *s, size_t len)
{
    while (len && (*s == ' ')) s++, len--;
    while (len && s[len - 1] == ' ') len--;
    return strndup(s, len);
}

/* Parses src from *pos until {{/end}} (or the end when end is NULL). */
static struct node *parse(const char *name, const char *src, size_t *pos, const char *end, int *err)
{
    struct node *head = NULL, **tail = &head;
    size_t n = strlen(src);
    while (*pos < n) {
        const char *open = strstr(src + *pos, "{{");
        size_t o = open ? (size_t)(open - src) : n;
        if (o > *pos) {
            *tail = new_node(N_TEXT, src + *pos, o - *pos);
            tail = &(*tail)->next;
        }
        if (!open) { *pos = n; break; }
        int triple = src[o + 2] == '{';
        const char *close = strstr(src + o + 2, triple ? "}}}" : "}}");
        if (!close) {
            fprintf(stderr, "template %s: unclosed tag at byte %zu\n", name, o);
            *err = 1;
            return head;
        }
        const char *in = src + o + 2 + triple;
        size_t inlen = close - in;
        *pos = close - src + 2 + triple;
        char sigil = triple ? '{' : *in;
        if (!triple && strchr("#^/>!&", sigil)) in++, inlen--;
        char *tag = trim_dup(in, inlen);
        if (sigil == '!') { free(tag); continue; }
        if (sigil == '/') {
            if (!end || strcmp(tag, end)) {
                fprintf(stderr, "template %s: unexpected {{/%s}}\n", name, tag);
                *err = 1;
            }
            free(tag);
            return head;
        }
        struct node *nd = calloc(1, sizeof *nd);
        nd->line = line_at(src, o);
        char *bar = strchr(tag, '|');
        if (bar) {
            char *f = bar + 1;
            while (*f == ' ') f++;
            nd->filter = strdup(f);
            while (bar > tag && bar[-1] == ' ') bar--;
            *bar = 0;
            const char *why = !known_filter(nd->filter) ? "unknown filter" : strchr("#^>", sigil) ? "a filter where no value is written" : NULL;
            if (why) {
                fprintf(stderr, "template %s line %d: %s |%s (filters: date, datetime, num, pct, url)\n", name, nd->line, why, nd->filter);
                *err = 1;
            }
        }
        nd->text = tag;
        nd->len = strlen(tag);
        switch (sigil) {
        case '#': case '^':
            nd->type = sigil == '#' ? N_SECTION : N_INVERTED;
            nd->child = parse(name, src, pos, tag, err);
            break;
        case '>': nd->type = N_PARTIAL; break;
        case '{': case '&': nd->type = N_RAW; break;
        default: nd->type = N_VAR; break;
        }
        *tail = nd;
        tail = &nd->next;
        if (*err) return head;
    }
    if (end) {
        fprintf(stderr, "template %s: missing {{/%s}}\n", name, end);
        *err = 1;
    }
    return head;
}

static int add_template(struct tmpl_set *set, const char *name, const char *src)
{
    size_t pos = 0;
    int err = 0;
    struct node *root = parse(name, src, &pos, NULL, &err);
    if (err) { free_nodes(root); return -1; }
    set->items = realloc(set->items, (set->n + 1) * sizeof *set->items);
    set->items[set->n++] = (struct tmpl){ strdup(name), root };
    return 0;
}

static const struct tmpl *find(const struct tmpl_set *set, const char *name);

/* Every {{>name}} names a template of the set: a missing partial is a deployment error, found at startup. */
static int missing_partials(const struct tmpl_set *set, const char *name, const struct node *n)
{
    int missing = 0;
    for (; n; n = n->next) {
        if (n->type == N_PARTIAL && !find(set, n->text)) {
            fprintf(stderr, "template %s line %d: no partial %s (templates/%s.html)\n", name, n->line, n->text, n->text);
            missing++;
        }
        missing += missing_partials(set, name, n->child);
    }
    return missing;
}

static struct tmpl_set *checked(struct tmpl_set *set)
{
    int missing = 0;
    for (size_t i = 0; i < set->n; i++) missing += missing_partials(set, set->items[i].name, set->items[i].root);
    if (missing) { tmpl_free(set); return NULL; }
    return set;
}

struct tmpl_set *tmpl_load_sources(const char *const *pairs)
{
    struct tmpl_set *set = calloc(1, sizeof *set);
    for (; *pairs; pairs += 2)
        if (add_template(set, pairs[0], pairs[1])) { tmpl_free(set); return NULL; }
    return checked(set);
}

struct tmpl_set *tmpl_load(void)
{
    struct tmpl_set *set = calloc(1, sizeof *set);
    for (const struct embedded_file *f = embedded_files; f->path; f++) {
        size_t len = strlen(f->path);
        if (strncmp(f->path, "templates/", 10) || len < 15 || strcmp(f->path + len - 5, ".html")) continue;
        char *name = strndup(f->path + 10, len - 15), *src = strndup((const char *)f->data, f->size);
        int rc = add_template(set, name, src);
        free(name);
        free(src);
        if (rc) { tmpl_free(set); return NULL; }
    }
    return checked(set);
}

void tmpl_free(struct tmpl_set *set)
{
    if (!set) return;
    for (size_t i = 0; i < set->n; i++) { free(set->items[i].name); free_nodes(set->items[i].root); }
    free(set->items);
    free(set);
}

static const struct tmpl *find(const struct tmpl_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->items[i].name, name) == 0) return &set->items[i];
    return NULL;
}

/* Context stack: innermost last. It also carries the render's budget: the partial depth limit bounds how deep a
 * render goes but not how wide, so a partial that includes itself twice, or loops nested over the same list, would
 * multiply without bound. Ordinary pages stay far below both limits (a list of 100,000 rows is about 1M nodes). */
#ifndef TMPL_MAX_NODES /* the fuzzer builds with smaller limits, to spend its time elsewhere */
#define TMPL_MAX_NODES (8u * 1000 * 1000)
#endif
#ifndef TMPL_MAX_OUTPUT
#define TMPL_MAX_OUTPUT ((size_t)64 << 20)
#endif
struct stack { json_t *v[32]; int n; size_t nodes; bool over; };

static json_t *lookup(struct stack *st, const char *name)
{
    if (strcmp(name, ".") == 0) return st->v[st->n - 1];
    char first[128];
    const char *dot = strchr(name, '.');
    size_t flen = dot ? (size_t)(dot - name) : strlen(name);
    if (flen >= sizeof first) return NULL;
    memcpy(first, name, flen);
    first[flen] = 0;
    json_t *v = NULL;
    for (int i = st->n - 1; i >= 0 && !v; i--)
        if (json_is_object(st->v[i])) v = json_object_get(st->v[i], first);
    while (v && dot) {
        const char *next = strchr(dot + 1, '.');
        size_t l = next ? (size_t)(next - dot - 1) : strlen(dot + 1);
        if (l >= sizeof first) return NULL;
        memcpy(first, dot + 1, l);
        first[l] = 0;
        /* "items.0" reads an array element: lets a template test "has at least one". */
        if (json_is_array(v)) {
            char *end;
            long idx = strtol(first, &end, 10);
            v = *end || idx < 0 ? NULL : json_array_get(v, (size_t)idx);
        } else {
            v = json_is_object(v) ? json_object_get(v, first) : NULL;
        }
        dot = next;
    }
    return v;
}

static int truthy(json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v)) return 0;
    if (json_is_array(v)) return json_array_size(v) > 0;
    if (json_is_string(v)) return json_string_length(v) > 0;
    /* 0 is false so "{{#children}}… đơn vị trực thuộc{{/children}}" hides a zero count. */
    if (json_is_integer(v)) return json_integer_value(v) != 0;
    return 1;
}

static void put_number(struct buf *out, json_int_t n)
{
    /* Vietnamese groups thousands with dots: 1.234.567 */
    char digits[32];
    /* The magnitude in unsigned arithmetic: negating the smallest integer would overflow. */
    unsigned long long mag = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
    int len = snprintf(digits, sizeof digits, "%llu", mag);
    if (n < 0) buf_puts(out, "-");
    for (int i = 0; i < len; i++) {
        buf_put(out, digits + i, 1);
        if ((len - i - 1) % 3 == 0 && i < len - 1) buf_puts(out, ".");
    }
}

/* A value inside a URL's query or path: every byte but RFC 3986's unreserved ones percent-encoded, so "&", "#", "+",
 * "/", "?" and spaces stay part of the value ("Bộ TT&TT" → "B%E1%BB%99%20TT%26TT"). Needs no HTML escaping after. */
static void put_url(struct buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
            buf_put(out, s + i, 1);
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            buf_put(out, e, 3);
        }
    }
}

static void put_value(struct buf *out, json_t *v, const char *filter, int escape)
{
    char tmp[64];
    const char *s = NULL;
    size_t len = 0;
    if (json_is_string(v)) {
        s = json_string_value(v);
        len = json_string_length(v);
        struct ymd d;
        if (filter && strcmp(filter, "datetime") == 0 && len >= 16) {
            /* A stored UTC timestamp shown in Asia/Ho_Chi_Minh: "dd/mm/yyyy HH:MM". */
            struct tm tm = { 0 };
            if (sscanf(s, "%4d-%2d-%2dT%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min) == 5) {
                tm.tm_year -= 1900;
                tm.tm_mon -= 1;
                time_t t = timegm(&tm) + 7 * 3600;
                gmtime_r(&t, &tm);
                len = (size_t)snprintf(tmp, sizeof tmp, "%02d/%02d/%04d %02d:%02d", tm.tm_mday, tm.tm_mon + 1,
                                       tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
                s = tmp;
            }
        } else if (filter && strcmp(filter, "date") == 0 && len >= 10) {
            char iso[11];
            memcpy(iso, s, 10);
            iso[10] = 0;
            if (date_parse_iso(iso, &d)) { date_format_vn(d, tmp); s = tmp; len = strlen(tmp); }
        }
    } else if (json_is_integer(v)) {
        if (filter && strcmp(filter, "num") == 0) { put_number(out, json_integer_value(v)); return; }
        /* A whole number is a rate of n × 100 %: written with two zeros, since multiplying may overflow. */
        if (filter && strcmp(filter, "pct") == 0) {
            json_int_t n = json_integer_value(v);
            len = (size_t)snprintf(tmp, sizeof tmp, n ? "%lld00 %%" : "%lld %%", (long long)n);
            s = tmp;
        }
        else {
        len = snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
        s = tmp;
        }
    } else if (json_is_real(v) && filter && strcmp(filter, "pct") == 0) {
        /* A rate 0..1 as Vietnamese write it: "87,5 %". */
        long tenths = lround(json_real_value(v) * 1000);
        len = (size_t)snprintf(tmp, sizeof tmp, tenths % 10 ? "%ld,%ld %%" : "%ld %%", tenths / 10, labs(tenths % 10));
        s = tmp;
    } else if (json_is_real(v) && filter && strcmp(filter, "num") == 0) {
        put_number(out, (json_int_t)llround(json_real_value(v)));
        return;
    } else if (json_is_real(v)) {
        len = snprintf(tmp, sizeof tmp, "%g", json_real_value(v));
        s = tmp;
    } else if (json_is_true(v)) {
        s = "true"; len = 4;
    }
    if (!s) return;
    if (filter && strcmp(filter, "url") == 0) put_url(out, s, len);
    else if (escape) buf_put_html(out, s, len);
    else buf_put(out, s, len);
}

static void render_nodes(const struct tmpl_set *set, const struct node *n, struct stack *st, struct buf *out, int depth);

static void render_node(const struct tmpl_set *set, const struct node *n, struct stack *st, struct buf *out, int depth)
{
    json_t *v;
    switch (n->type) {
    case N_TEXT: buf_put(out, n->text, n->len); break;
    case N_VAR: put_value(out, lookup(st, n->text), n->filter, 1); break;
    case N_RAW: put_value(out, lookup(st, n->text), n->filter, 0); break;
    case N_INVERTED:
        if (!truthy(lookup(st, n->text))) render_nodes(set, n->child, st, out, depth);
        break;
    case N_SECTION:
        v = lookup(st, n->text);
        if (!truthy(v) || st->n >= 31) break;
        if (json_is_array(v)) {
            size_t i;
            json_t *it;
            json_array_foreach(v, i, it) {
                st->v[st->n++] = it;
                render_nodes(set, n->child, st, out, depth);
                st->n--;
            }
        } else if (json_is_object(v)) {
            st->v[st->n++] = v;
            render_nodes(set, n->child, st, out, depth);
            st->n--;
        } else {
            render_nodes(set, n->child, st, out, depth);
        }
        break;
    case N_PARTIAL: {
        const struct tmpl *t = find(set, n->text);
        if (t && depth < 16) render_nodes(set, t->root, st, out, depth + 1);
        break;
    }
    }
}

static void render_nodes(const struct tmpl_set *set, const struct node *n, struct stack *st, struct buf *out, int depth)
{
    for (; n && !st->over; n = n->next) {
        if (++st->nodes > TMPL_MAX_NODES || out->len > TMPL_MAX_OUTPUT) { st->over = true; return; }
        render_node(set, n, st, out, depth);
    }
}

int tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx, struct buf *out)
{
    const struct tmpl *t = find(set, name);
    if (!t) return -1;
    struct stack st = { { ctx }, 1, 0, false };
    size_t start = out->len;
    render_nodes(set, t->root, &st, out, 0);
    if (st.over) {
        fprintf(stderr, "template %s: stopped past %u nodes or %zu bytes\n", name, TMPL_MAX_NODES, TMPL_MAX_OUTPUT);
        /* Nothing half-rendered reaches the caller, who has nothing to free when it had nothing. */
        if (start == 0) buf_free(out);
        else { out->len = start; out->p[start] = 0; }
        return -1;
    }
    return 0;
}
